package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestStringListAcceptsTheFormsGrafanaInterpolates(t *testing.T) {
	cases := map[string]string{
		`"cpu"`:             "cpu",
		`["cpu","gpu"]`:     "cpu|gpu",
		`"cpu,gpu"`:         "cpu|gpu",
		`"{cpu,gpu}"`:       "cpu|gpu",
		`" cpu , cpu "`:     "cpu",
		`"$__all"`:          "",
		`["All"]`:           "",
		`"*"`:               "",
		`""`:                "",
		`["a,b", "c", "a"]`: "a|b|c",
	}
	for in, want := range cases {
		var l StringList
		if err := json.Unmarshal([]byte(in), &l); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := strings.Join(l, "|"); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	var q struct {
		States StringList `json:"states"`
	}
	err := decode(json.RawMessage(`{"states": 5}`), &q)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "states must be a []string") {
		t.Errorf("number for a list: %v", err)
	}
}

func TestDecodeRejectsBrokenJSONClearly(t *testing.T) {
	_, err := ParseJobs(json.RawMessage(`{"states": `), testRequest)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("got %v", err)
	}
}

func names(t *testing.T, f *data.Frame, col string) string {
	t.Helper()
	field, idx := f.FieldByName(col)
	if idx < 0 {
		t.Fatalf("no column %s", col)
	}
	var out []string
	for i := 0; i < field.Len(); i++ {
		v, ok := field.ConcreteAt(i)
		if !ok {
			out = append(out, "null")
			continue
		}
		out = append(out, toString(v))
	}
	return strings.Join(out, ",")
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}
