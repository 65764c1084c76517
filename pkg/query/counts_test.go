package query

import (
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func longRows(t *testing.T, f *data.Frame) string {
	t.Helper()
	if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong {
		t.Fatalf("not a numeric long frame: %+v", f.Meta)
	}
	n, _ := f.RowLen()
	var rows []string
	for r := 0; r < n; r++ {
		var cells []string
		for _, field := range f.Fields {
			v, _ := field.ConcreteAt(r)
			cells = append(cells, fmt.Sprint(v))
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	return strings.Join(rows, "; ")
}

var testParts = []slurm.Partition{{Name: "cpu"}, {Name: "gpu"}, {Name: "debug"}}
