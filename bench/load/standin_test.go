package load

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

const fixtures = "../../pkg/slurm/testdata/slurmrestd"

const testToken = "bench-token-3b1f"

func startTestStandIn(t *testing.T, version string, jobs, nodes int) *StandIn {
	t.Helper()
	a, err := PrepareAnswers(fixtures, t.TempDir(), version, jobs, nodes, true)
	if err != nil {
		t.Fatal(err)
	}
	s, err := StartStandIn(a, testToken)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// The synthetic cluster, read through the data source's own client: every
// answer decodes, the jobs run on the nodes and partitions the nodes and
// partitions answers name, and nodes come in the states operators act on.
func TestStandInServesASyntheticClusterTheClientReads(t *testing.T) {
	for _, version := range []string{"v0.0.44", "v0.0.38"} {
		t.Run(version, func(t *testing.T) {
			s := startTestStandIn(t, version, 400, 300)
			c, err := slurm.New(slurm.Config{URL: s.URL(), APIVersion: version, User: "grafana", Token: testToken})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := context.Background()
			ans, err := c.Jobs(ctx, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ans.Jobs) != 400 {
				t.Fatalf("%d jobs, want 400", len(ans.Jobs))
			}
			nodes, err := c.Nodes(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(nodes) != 300 {
				t.Fatalf("%d nodes, want 300", len(nodes))
			}
			parts, err := c.Partitions(ctx)
			if err != nil {
				t.Fatal(err)
			}
			partNames := map[string]bool{}
			for _, p := range parts {
				partNames[p.Name] = true
			}
			nodeNames := map[string]bool{}
			states := map[string]int{}
			for _, n := range nodes {
				nodeNames[n.Name] = true
				states[n.State.Base]++
				if n.State.Has("DRAIN") {
					states["DRAIN"]++
					if n.Reason == "" {
						t.Errorf("drained node %s has no reason", n.Name)
					}
				}
				if len(n.Partitions) != 1 || !partNames[n.Partitions[0]] {
					t.Errorf("node %s is in %v, not in one of the partitions %v", n.Name, n.Partitions, partNames)
				}
			}
			if len(nodeNames) != 300 {
				t.Errorf("%d distinct node names", len(nodeNames))
			}
			for _, st := range []string{"ALLOCATED", "MIXED", "IDLE", "DOWN", "DRAIN"} {
				if states[st] == 0 {
					t.Errorf("no node is %s: %v", st, states)
				}
			}
			for _, j := range ans.Jobs {
				if !partNames[j.Partition] {
					t.Fatalf("job %s is in partition %q, which the partitions answer does not list", j.ID, j.Partition)
				}
			}
			if _, err := c.Reservations(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Diag(ctx); err != nil {
				t.Fatal(err)
			}
			var counted []string
			for _, call := range s.Calls() {
				if call.Status != http.StatusOK || call.Refusal != "" {
					t.Errorf("%s?%s: status %d %s", call.Endpoint, call.Query, call.Status, call.Refusal)
				}
				counted = append(counted, call.Endpoint)
			}
			for _, e := range []string{"jobs", "nodes", "partitions", "reservations", "diag"} {
				if !slices.Contains(counted, e) {
					t.Errorf("the %s call was not counted: %v", e, counted)
				}
			}
		})
	}
}

func get(t *testing.T, url, user, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if user != "" {
		req.Header.Set("X-SLURM-USER-NAME", user)
		req.Header.Set("X-SLURM-USER-TOKEN", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// What slurmrestd refuses, the stand-in refuses: no authentication, a query
// string the recorded release refused, and (Slurm's rate limit) the 31st call
// of a user within a moment.
func TestStandInRefusesLikeSlurm(t *testing.T) {
	s := startTestStandIn(t, "v0.0.44", 20, 20)
	if status, body := get(t, s.URL()+"/slurm/v0.0.44/ping", "", ""); status != http.StatusUnauthorized || body != "Authentication failure" {
		t.Errorf("without auth: %d %q", status, body)
	}
	if status, _ := get(t, s.URL()+"/slurm/v0.0.44/nodes?flags=ALL,DETAIL", "grafana", testToken); status < 400 {
		t.Errorf("a raw comma was answered %d; 26.05.3 refuses it", status)
	}
	refused := false
	for _, c := range s.Calls() {
		if strings.Contains(c.Query, "ALL,DETAIL") && c.Refusal != "" {
			refused = true
		}
	}
	if !refused {
		t.Error("the refused query is not recorded as refused")
	}
	// The burst of 30 is spent by the calls above and these.
	limited := 0
	for i := 0; i < 40; i++ {
		if status, body := get(t, s.URL()+"/slurm/v0.0.44/diag", "grafana", testToken); status == http.StatusTooManyRequests {
			limited++
			if !strings.Contains(body, "1804") {
				t.Errorf("rate-limited answer without Slurm's error 1804: %s", body)
			}
		}
	}
	if limited < 10 || limited > 12 {
		t.Errorf("%d of 40 calls at once were rate limited; want 11 (29 tokens left of the burst of 30), allowing for refill", limited)
	}
	if status, _ := get(t, s.URL()+"/slurm/v0.0.44/diag", "alice", testToken); status != http.StatusOK {
		t.Errorf("another user was limited by grafana's calls: %d", status)
	}
}
