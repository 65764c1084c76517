package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// Every endpoint answering HTTP 200 {"meta":{},"errors":[],"warnings":[]}
// on first contact: health fails naming the missing Slurm version, and a
// query fails naming the missing list, instead of "0 nodes, OK".
func TestEmptyEnvelopesOnFirstContactFailHealthAndQueries(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	f.srv.SetFault(clustertest.EmptyEnvelope)
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusError || d.ErrorKind != "malformed answer" ||
		!strings.Contains(res.Message, "an answer without its Slurm version (meta.slurm.release)") {
		t.Errorf("health: %s %q %+v", res.Status, res.Message, d)
	}
	r := f.query(t, "nodes", nil)
	if r.Error == nil || !strings.Contains(r.Error.Error(), `the answer carries no "nodes" list`) {
		t.Errorf("nodes query: %v, %d frames", r.Error, len(r.Frames))
	}
}

// After good data, answers without their data leave queries on the last
// good data, labelled stale with what was missing, and health fails.
func TestEmptyEnvelopesAfterGoodDataServeStaleDataAndFailHealth(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	if n := len(cells(t, singleFrame(t, f.query(t, "jobs", nil)), "job_id")); n != 19 {
		t.Fatalf("first jobs query: %d rows", n)
	}
	f.srv.SetFault(clustertest.EmptyEnvelope)
	f.advance(t, 30*time.Second)

	frame := singleFrame(t, f.query(t, "jobs", nil))
	if n := len(cells(t, frame, "job_id")); n != 19 {
		t.Errorf("jobs during the fault: %d rows, want the last good 19", n)
	}
	if custom, _ := frame.Meta.Custom.(map[string]any); custom["stale"] != true {
		t.Errorf("jobs frame not marked stale: %v", frame.Meta.Custom)
	}
	if len(frame.Meta.Notices) != 1 || !strings.Contains(frame.Meta.Notices[0].Text, `the answer carries no "jobs" list`) {
		t.Errorf("notices %+v, want one naming the missing jobs list", frame.Meta.Notices)
	}

	// Ping and nodes answer normally again, but the last jobs refresh still
	// lacked its list: health says so.
	f.srv.SetFault(clustertest.None)
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusError || d.ErrorKind != "malformed answer" ||
		!strings.Contains(res.Message, `its last jobs answer carried no "jobs" list`) {
		t.Errorf("health: %s %q %+v", res.Status, res.Message, d)
	}
	f.advance(t, 30*time.Second)
	if res, _, _ := f.health(t); res.Status != backend.HealthStatusOk {
		t.Errorf("health after a good refresh: %s %q", res.Status, res.Message)
	}
}
