package plugin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Hostile or malformed requests are refused before anything reaches
// slurmrestd: injected paths, huge hostlists, control characters, wrong
// methods, oversized bodies, unknown fields. Each names what is wrong and
// leaves an audit line.
func TestHostileActionRequestsAreRefused(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	cases := hostileActionCases()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := strings.Count(f.logs.text(), "slurm operator action")
			c := f.act(t, tc.method, tc.path, tc.body, admin, nil)
			if c.status != tc.status || !strings.Contains(c.raw, tc.says) {
				t.Fatalf("%d %s, want %d saying %q", c.status, c.raw, tc.status, tc.says)
			}
			if tc.status == 405 && tc.path != "actions/capabilities" && c.header.Get("Allow") != "POST" {
				t.Errorf("Allow header %q", c.header.Get("Allow"))
			}
			if c.status == 400 && strings.HasPrefix(c.raw, `{"action"`) && c.body.Field == "" && !strings.Contains(c.body.Code, "invalid") {
				t.Errorf("a 400 names the field: %s", c.raw)
			}
			after := strings.Count(f.logs.text(), "slurm operator action")
			if strings.HasPrefix(tc.path, "actions/") && tc.path != "actions/capabilities" && !strings.Contains(tc.path, "..") && after != before+1 {
				t.Errorf("%d audit lines for one attempt", after-before)
			}
		})
	}
	if n := f.srv.Total(); n != 0 {
		t.Errorf("slurmrestd got %d calls from hostile requests", n)
	}
}

// A header cannot make a request without a user into one with a user:
// the user comes from the plugin context Grafana sends.
func TestActionHeadersDoNotImpersonate(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	pc := f.pluginContext()
	req := &backend.CallResourceRequest{PluginContext: pc, Path: "actions/jobs/5029/cancel", Method: http.MethodPost,
		URL: "actions/jobs/5029/cancel", Headers: map[string][]string{"X-Grafana-User": {"admin"}, "X-Grafana-Org-Role": {"Admin"}}}
	var status int
	_ = f.ds.CallResource(context.Background(), req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		status = r.Status
		return nil
	}))
	if status != http.StatusForbidden || f.srv.Total() != 0 {
		t.Fatalf("status %d, %d calls", status, f.srv.Total())
	}
}

// hostileCase is one hostile request and the refusal it must get.
type hostileCase struct {
	name, method, path, body string
	status                   int
	says                     string
}

// hostileActionCases are refused the same way by a data source on recorded
// answers and by one on the live stack (integration_actions_test.go).
func hostileActionCases() []hostileCase {
	manyJobs := make([]string, 129)
	for i := range manyJobs {
		manyJobs[i] = fmt.Sprintf(`"%d"`, 1000+i)
	}
	return []hostileCase{
		{"path traversal", "POST", "actions/jobs/..%2F..%2Fetc%2Fpasswd/cancel", "", 400, ""},
		{"dot segments", "POST", "actions/jobs/../nodes/node01/drain", "", 400, ".. segment"},
		{"escaped slash in a job id", "POST", "actions/jobs/1%2F2/cancel", "", 400, "not a job id"},
		{"shell in a job id", "POST", "actions/jobs/5029;rm%20-rf/cancel", "", 400, "not a job id"},
		{"query in a job id", "POST", "actions/jobs/5029%3Fsignal=KILL/cancel", "", 400, "not a job id"},
		{"job id 0", "POST", "actions/jobs/0/cancel", "", 400, "not a job id"},
		{"pending array remainder", "POST", "actions/jobs/5014_%5B3-6%5D/cancel", "", 400, "not a job id"},
		{"unknown job action", "POST", "actions/jobs/5029/suspend", "", 400, "not a job action"},
		{"node action on a job", "POST", "actions/jobs/5029/drain", "", 400, "not a job action"},
		{"shell in a node name", "POST", "actions/nodes/node01;reboot/drain", `{"reason":"x"}`, 400, "not a node name"},
		{"hostlist on the single route", "POST", "actions/nodes/node%5B01-04%5D/resume", "", 400, "actions/nodes/bulk"},
		{"huge hostlist", "POST", "actions/nodes/bulk", `{"action":"resume","nodes":"n[0-99999999]"}`, 400, "more than 128 nodes"},
		{"huge product hostlist", "POST", "actions/nodes/bulk", `{"action":"resume","nodes":"r[1-1000]n[1-1000]"}`, 400, "more than 128 nodes"},
		{"nested brackets", "POST", "actions/nodes/bulk", `{"action":"resume","nodes":"n[1-[2-3]]"}`, 400, "not a Slurm hostlist"},
		{"too many jobs", "POST", "actions/jobs/bulk", `{"action":"hold","jobs":[` + strings.Join(manyJobs, ",") + `]}`, 400, "at most 128"},
		{"drain without reason", "POST", "actions/nodes/node04/drain", "", 400, "reason is required"},
		{"newline in reason", "POST", "actions/nodes/node04/drain", `{"reason":"ok\nFAKE LOG LINE"}`, 400, "control"},
		{"escape sequence in reason", "POST", "actions/nodes/node04/drain", `{"reason":"\u001b[31mred"}`, 400, "control"},
		{"bidi override in reason", "POST", "actions/nodes/node04/drain", `{"reason":"a\u202eb"}`, 400, "control"},
		{"reason too long", "POST", "actions/nodes/node04/drain", `{"reason":"` + strings.Repeat("x", 257) + `"}`, 400, "at most 256"},
		{"unknown field", "POST", "actions/jobs/5029/cancel", `{"signal":"KILL"}`, 400, "signal"},
		{"not JSON", "POST", "actions/jobs/5029/cancel", `cancel it`, 400, "not a JSON object"},
		{"jobs not a list", "POST", "actions/jobs/bulk", `{"action":"cancel","jobs":"5029"}`, 400, "jobs"},
		{"oversized body", "POST", "actions/nodes/node04/drain", `{"reason":"` + strings.Repeat("x", 17<<10) + `"}`, 413, "16 KiB"},
		{"GET on a mutating route", "GET", "actions/jobs/5029/cancel", "", 405, "POST"},
		{"DELETE on a mutating route", "DELETE", "actions/jobs/5029/cancel", "", 405, "POST"},
		{"PUT on bulk", "PUT", "actions/nodes/bulk", `{"action":"resume","nodes":"node01"}`, 405, "POST"},
		{"POST on capabilities", "POST", "actions/capabilities", "", 405, ""},
		{"full URL", "POST", "http://evil.example/actions/jobs/1/cancel", "", 400, "full URL"},
	}
}
