package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

func TestInterpolateLikeGrafana(t *testing.T) {
	got := interpolate(`rate(x{nodename=~"$node", n2=~"${nodes}"}[$__rate_interval]) * $__range_s`,
		map[string]string{"node": "node01", "nodes": "a|b"})
	want := `rate(x{nodename=~"node01", n2=~"a|b"}[2m]) * 3600`
	if got != want {
		t.Errorf("interpolate = %s\nwant          %s", got, want)
	}
	if got := interpolate(`up{x="$unknown"}`, nil); !unresolvedVariable.MatchString(got) {
		t.Errorf("an undefined variable must stay visible, got %s", got)
	}
}

func TestAllSelection(t *testing.T) {
	if got := (dashVariable{allValue: ".*", values: []string{"a"}}).allSelection(); got != ".*" {
		t.Errorf("with allValue: %s", got)
	}
	if got := (dashVariable{values: []string{"node01", "k8s-w1.x"}}).allSelection(); got != `(node01|k8s-w1\.x)` {
		t.Errorf("without allValue: %s", got)
	}
}

func TestOpenMetricsIsGroupedEscapedAndTerminated(t *testing.T) {
	var buf bytes.Buffer
	in := []series{
		{name: "b_metric", labels: labels{"name": `PS1 "A"`, "empty": ""}, value: constant(1)},
		{name: "a_metric", labels: labels{"job": "x"}, value: constant(2), alive: func(t float64) bool { return t < 60 }},
		{name: "b_metric", labels: labels{"name": "PS2"}, value: constant(3)},
	}
	n, err := writeOpenMetrics(&buf, in, 1000)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if lines[len(lines)-1] != "# EOF" {
		t.Fatalf("last line %q, want # EOF", lines[len(lines)-1])
	}
	perSeries := windowSeconds/stepSeconds + 1
	if want := 2*perSeries + 2; n != want { // a_metric only alive for t=0 and t=30
		t.Errorf("%d samples, want %d", n, want)
	}
	if lines[0] != `a_metric{job="x"} 2 1000` {
		t.Errorf("first line %q: families must be sorted and grouped", lines[0])
	}
	if !strings.Contains(buf.String(), `b_metric{name="PS1 \"A\""} 1 1000`) {
		t.Error("quotes in label values must be escaped and empty labels dropped")
	}
	seenB, backToA := false, false
	for _, l := range lines {
		if strings.HasPrefix(l, "b_metric") {
			seenB = true
		} else if seenB && strings.HasPrefix(l, "a_metric") {
			backToA = true
		}
	}
	if backToA {
		t.Error("a metric family is split: OpenMetrics requires its samples together")
	}
}

// The planted faults exist so that every alert rule has something to fire on; losing one would
// make the query check fail for a reason far from its cause.
func TestFleetHasThePlantedFaults(t *testing.T) {
	found := map[string]bool{}
	for _, s := range fleet() {
		switch {
		case s.name == "up" && s.labels["instance"] == downNode+":9100" && s.value(windowSeconds) == 0:
			found["exporter down"] = true
		case s.name == "DCGM_FI_DEV_XID_ERRORS" && s.value(windowSeconds) > 0:
			found["xid"] = true
		case s.name == "ipmi_sensor_state" && s.labels["type"] == "Power Supply" && s.value(0) > 0:
			found["psu"] = true
		case s.name == "kube_pod_status_phase" && s.labels["phase"] == "Pending" && s.value(0) == 1:
			found["pending pod"] = true
		}
	}
	for _, f := range []string{"exporter down", "xid", "psu", "pending pod"} {
		if !found[f] {
			t.Errorf("fleet lacks the %s fault", f)
		}
	}
}

func TestReadsOnlyGrafanaMetrics(t *testing.T) {
	for expr, want := range map[string]bool{
		`max by (datasource, kind) (hpc_slurm_snapshot_stale)`:                                              true,
		`histogram_quantile(0.95, sum by (le) (rate(hpc_slurm_upstream_call_duration_seconds_bucket[5m])))`: true,
		`hpc_slurm_snapshot_stale * on(instance) group_left node_uname_info`:                                false,
		`up{job="node"}`: false,
	} {
		if got := readsOnlyGrafanaMetrics(expr); got != want {
			t.Errorf("%s: %v, want %v", expr, got, want)
		}
	}
}

// queryDataFunc answers QueryData with a fixed response, standing in for the backend so that
// check's verdicts can be tested without a stack.
type queryDataFunc func(*backend.QueryDataRequest) *backend.QueryDataResponse

func (f queryDataFunc) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return f(req), nil
}

func TestLiveSlurmCheckAsksEveryPanelForDataOrWords(t *testing.T) {
	rows := 0
	l := &liveSlurm{handler: queryDataFunc(func(req *backend.QueryDataRequest) *backend.QueryDataResponse {
		if req.Queries[0].QueryType != "nodes" {
			t.Errorf("query type %q, want the target's", req.Queries[0].QueryType)
		}
		f := data.NewFrame("nodes", data.NewField("node", nil, make([]string, rows)))
		return &backend.QueryDataResponse{Responses: backend.Responses{"A": {Frames: data.Frames{f}}}}
	})}
	q := map[string]any{"refId": "A", "queryType": "nodes"}
	now := time.Now()
	cases := []struct {
		rows    int
		check   slurmCheck
		wantRow string
		failing bool
	}{
		{3, slurmCheck{query: q, dashboard: true}, "3", false},
		{0, slurmCheck{query: q, dashboard: true}, "0", true},
		{0, slurmCheck{query: q, dashboard: true, noValue: "No node is down"}, "0", false},
		{0, slurmCheck{query: q}, "0", false}, // a rule that does not fire
		{3, slurmCheck{query: q, dashboard: true, problems: []string{"bad"}}, "-", true},
	}
	for i, c := range cases {
		rows = c.rows
		got, problem := l.check(context.Background(), c.check, now.Add(-time.Hour), now)
		failing := problem != "" && !strings.HasPrefix(problem, "ok")
		if got != c.wantRow || failing != c.failing {
			t.Errorf("case %d: rows %s, problem %q; want rows %s, failing %v", i, got, problem, c.wantRow, c.failing)
		}
	}
}

// A live panel whose series are younger than its subquery's step is asked again until they show or
// the wait ends; a query error ends the wait at once.
func TestWaitForSeriesAsksAgainUntilTheDeadline(t *testing.T) {
	clock := time.Date(2026, 12, 6, 1, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	pause := func() { clock = clock.Add(5 * time.Second) }
	answers := []int{0, 0, 3}
	var asked []time.Time
	n, err := waitForSeries(func(at time.Time) (int, error) {
		asked = append(asked, at)
		n := answers[0]
		answers = answers[1:]
		return n, nil
	}, now, pause, clock.Add(time.Minute))
	if n != 3 || err != nil || len(asked) != 3 || !asked[2].Equal(asked[0].Add(10*time.Second)) {
		t.Errorf("got %d, %v after asking at %v", n, err, asked)
	}

	calls := 0
	n, _ = waitForSeries(func(time.Time) (int, error) { calls++; return 0, nil }, now, pause, clock.Add(30*time.Second))
	if n != 0 || calls != 7 {
		t.Errorf("no series: %d after %d calls, want 0 after 7 (30 s in 5 s pauses)", n, calls)
	}

	_, err = waitForSeries(func(time.Time) (int, error) { return 0, errors.New("bad_data") }, now, pause, clock.Add(time.Minute))
	if err == nil {
		t.Error("a query error must end the wait")
	}
}
