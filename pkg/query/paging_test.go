package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

// pagedTypes parse each table query type and return its page, so that one
// test holds every table to the same contract.
var pagedTypes = map[string]func(raw json.RawMessage, maxRows int) (Page, error){
	TypeJobs: func(raw json.RawMessage, maxRows int) (Page, error) {
		q, err := ParseJobs(raw, rows(maxRows))
		return q.Page, err
	},
	TypeNodes: func(raw json.RawMessage, maxRows int) (Page, error) {
		q, err := ParseNodes(raw, rows(maxRows))
		return q.Page, err
	},
	TypeJobHistory: func(raw json.RawMessage, maxRows int) (Page, error) {
		q, err := ParseJobHistory(raw, rows(maxRows))
		return q.Page, err
	},
	TypePending: func(raw json.RawMessage, maxRows int) (Page, error) {
		q, err := ParsePending(raw, rows(maxRows))
		return q.Page, err
	},
}

// A data source whose maxRows is below every former default (5000) serves a
// query without a limit — what the app's pages send — with maxRows rows.
func TestPagingWithoutLimitTakesTheDataSourcesMaxRows(t *testing.T) {
	for name, parse := range pagedTypes {
		for _, raw := range []string{``, `{}`, `{"limit":0}`} {
			p, err := parse(json.RawMessage(raw), 100)
			if err != nil {
				t.Errorf("%s %q with maxRows 100: %v", name, raw, err)
				continue
			}
			if p.Limit != 100 || p.Offset != 0 {
				t.Errorf("%s %q with maxRows 100: page %+v, want limit 100", name, raw, p)
			}
		}
		if p, err := parse(nil, 0); err != nil || p.Limit != DefaultMaxRows {
			t.Errorf("%s without maxRows: page %+v %v, want limit %d", name, p, err, DefaultMaxRows)
		}
	}
}

func TestPagingRefusesOutOfBoundPagesNamingMaxRows(t *testing.T) {
	for name, parse := range pagedTypes {
		for raw, want := range map[string]string{
			`{"limit":101}`:  "limit is 101: it must be between 1 and 100 (the data source's maxRows)",
			`{"limit":-1}`:   "limit is -1: it must be between 1 and 100",
			`{"offset":-3}`:  "offset is -3",
			`{"limit":"10"}`: "limit",
		} {
			_, err := parse(json.RawMessage(raw), 100)
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s %s: %v, want an invalid query naming %q", name, raw, err, want)
			}
		}
		if p, err := parse(json.RawMessage(`{"limit":100,"offset":7}`), 100); err != nil || p != (Page{Limit: 100, Offset: 7}) {
			t.Errorf("%s: a page at maxRows: %+v %v", name, p, err)
		}
	}
}

// maxRows itself is bounded by the ceiling that keeps a response under 8 MiB.
func TestPagingCapsMaxRowsAtTheCeiling(t *testing.T) {
	p := Page{}
	if err := p.check(MaxRowsCeiling * 4); err != nil || p.Limit != MaxRowsCeiling {
		t.Errorf("maxRows above the ceiling: %+v %v", p, err)
	}
	p = Page{Limit: MaxRowsCeiling + 1}
	if err := p.check(MaxRowsCeiling * 4); !errors.Is(err, ErrInvalid) {
		t.Errorf("a limit above the ceiling: %v", err)
	}
}

// The frame carries the page it applied and says when rows are beyond it.
func TestPagedFrameTellsTheTotalAndTheNextPage(t *testing.T) {
	q, err := ParseJobs(json.RawMessage(`{"offset":1}`), rows(2))
	if err != nil {
		t.Fatal(err)
	}
	f := q.Frame(cluster.NewJobIndex(testJobs))
	if got := names(t, f, "job_id"); got != "2,3" {
		t.Errorf("page rows %s", got)
	}
	custom := f.Meta.Custom.(map[string]any)
	if custom["total"] != len(testJobs) || custom["limit"] != 2 || custom["offset"] != 1 {
		t.Errorf("meta.custom %v", custom)
	}
	if len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, "Showing rows 2–3 of 5") {
		t.Errorf("notices %+v", f.Meta.Notices)
	}
}
