package query

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

var update = flag.Bool("update", false, "rewrite README.md's registry table from the registry")

// testRequest is a data source request with a valid range and the default row bound.
var testRequest = Request{
	From: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC),
	To:   time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
	Now:  time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
}

// rows is testRequest on a data source whose maxRows is n.
func rows(n int) Request {
	r := testRequest
	r.MaxRows = n
	return r
}

// emptyData is what an empty cluster answers to every need.
var emptyData = Data{Snapshot: &cluster.Snapshot{}, Explanation: &pending.Explanation{}}

// Every registered type parses its README examples, and its frames build
// from empty data: the registry's declarations are usable as they stand.
func TestEveryTypeParsesItsExamplesAndAnswersEmptyData(t *testing.T) {
	for _, typ := range Registered() {
		if len(typ.Examples) == 0 || typ.Frame == "" {
			t.Errorf("%s: no examples or frame description", typ.Name)
		}
		for _, example := range typ.Examples {
			m, err := typ.Parse(json.RawMessage(example), testRequest)
			if err != nil {
				t.Errorf("%s: example %s: %v", typ.Name, example, err)
				continue
			}
			if m.Needs().String() == "" {
				t.Errorf("%s: example %s needs no data", typ.Name, example)
			}
			// Series grouped by a label have no frame without data.
			if _, err := m.Frames(emptyData); err != nil {
				t.Errorf("%s: example %s on empty data: %v", typ.Name, example, err)
			}
		}
	}
}

// One file per query type, its test beside it.
func TestEveryTypeHasItsFileAndTest(t *testing.T) {
	for _, name := range Types() {
		for _, f := range []string{name + ".go", name + "_test.go"} {
			if _, err := os.Stat(f); err != nil {
				t.Errorf("query type %s: %v", name, err)
			}
		}
	}
}

func TestTypeOfFindsTheTypeOrNamesTheKnownOnes(t *testing.T) {
	if typ, err := TypeOf("", json.RawMessage(`{"queryType":"nodes"}`)); err != nil || typ.Name != TypeNodes {
		t.Errorf("queryType only in the model: %v %v", typ.Name, err)
	}
	if typ, err := TypeOf(TypeJobs, json.RawMessage(`{"queryType":"nodes"}`)); err != nil || typ.Name != TypeJobs {
		t.Errorf("Grafana's queryType wins: %v %v", typ.Name, err)
	}
	for in, want := range map[string]string{
		"":          "queryType is missing: choose one of annotations, history_series, job_counts, job_history, jobs, node_counts, nodes, partitions, pending, reservations, scheduler, shares, usage, variables",
		"gpu_hours": `unknown queryType "gpu_hours": supported query types are annotations, history_series`,
	} {
		_, err := TypeOf(in, json.RawMessage(`{}`))
		if !errors.Is(err, ErrInvalid) || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// The types that read a window refuse a range that ends before it starts,
// before anything is fetched.
func TestWindowTypesRefuseABackwardRange(t *testing.T) {
	r := testRequest
	r.From, r.To = r.To, r.From
	for _, name := range []string{TypeJobHistory, TypeHistorySeries, TypeUsage, TypeAnnotations} {
		_, err := Parse(name, json.RawMessage(`{}`), r)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "timeRange must have a start before its end") {
			t.Errorf("%s: %v", name, err)
		}
	}
	open := testRequest
	open.To = time.Time{} // Grafana may leave the end out: now
	if _, err := Parse(TypeJobHistory, json.RawMessage(`{}`), open); err != nil {
		t.Errorf("range ending now: %v", err)
	}
}

// README.md's registry table is generated from the registry; -update
// rewrites it.
func TestReadmeRegistryTableIsTheRegistry(t *testing.T) {
	const begin, end = "<!-- registry: go test ./pkg/query -run Readme -update -->\n", "<!-- /registry -->"
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q … %q section", strings.TrimSpace(begin), end)
	}
	want := registryTable(t)
	if *update {
		if err := os.WriteFile("README.md", []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := text[i+len(begin) : j]; got != want {
		t.Errorf("README.md's registry table is not the registry's; run go test ./pkg/query -run Readme -update\n got:\n%s\nwant:\n%s", got, want)
	}
}

func registryTable(t *testing.T) string {
	var b strings.Builder
	b.WriteString("| queryType | model | example → data needed | frame |\n|---|---|---|---|\n")
	for _, typ := range Registered() {
		var examples []string
		for _, ex := range typ.Examples {
			m, err := typ.Parse(json.RawMessage(ex), testRequest)
			if err != nil {
				t.Fatalf("%s: %v", typ.Name, err)
			}
			examples = append(examples, fmt.Sprintf("`%s` → %s", ex, m.Needs()))
		}
		model := "`" + typ.Model() + "`"
		if typ.Feature != "" {
			model += fmt.Sprintf(" (API %s+)", slurm.Since(typ.Feature))
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", typ.Name, model, strings.Join(examples, "<br>"), typ.Frame)
	}
	return b.String()
}

// answer runs one query the way the data source does: parse, check the
// needs, build the frames from d.
func answer(t *testing.T, queryType, model string, r Request, wantNeeds Needs, d Data) data.Frames {
	t.Helper()
	m, err := Parse(queryType, json.RawMessage(model), r)
	if err != nil {
		t.Fatalf("%s %s: %v", queryType, model, err)
	}
	if got := m.Needs(); !reflect.DeepEqual(got, wantNeeds) {
		t.Errorf("%s %s needs %+v, want %+v", queryType, model, got, wantNeeds)
	}
	frames, err := m.Frames(d)
	if err != nil {
		t.Fatalf("%s %s: %v", queryType, model, err)
	}
	return frames
}

func kinds(k ...cluster.Kind) Needs { return Needs{Kinds: k} }
