package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

// runLive checks the dashboards and rules against the running local stack.
func runLive(root string) int {
	env, err := readStackEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return 1
	}
	prom := &prometheus{baseURL: env["PROMETHEUS_URL"]}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	end := time.Now()
	grafanas, err := prom.instantQuery(ctx, `up{job="grafana-hpc-slurm-datasource"} == 1`, end)
	if err != nil {
		fmt.Fprintf(os.Stderr, "querycheck: the stack's Prometheus (%s) does not answer: %v\n", prom.baseURL, err)
		return 1
	}
	// The data source logs every slurmrestd call at debug level; the table is what matters here.
	log.DefaultLogger = log.NewWithLevel(log.Warn)
	slurm, err := newLiveSlurm(env)
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return 1
	}
	defer slurm.dispose()
	fmt.Printf("live stack: Prometheus %s, slurmrestd %s; a Grafana is %sscraped\n\n",
		prom.baseURL, env["SLURMRESTD_URL"], map[bool]string{true: "", false: "not "}[grafanas > 0])
	if failed := evaluateAll(root, prom, end.Add(-time.Hour), end, mode{live: true, grafanaScraped: grafanas > 0, slurm: slurm}); failed != 0 {
		return 1
	}
	return 0
}

// readStackEnv reads $HPC_STACK_DIR/stack.env (default /var/lib/hpc-slurm-stack), which stack/up writes.
func readStackEnv() (map[string]string, error) {
	dir := os.Getenv("HPC_STACK_DIR")
	if dir == "" {
		dir = "/var/lib/hpc-slurm-stack"
	}
	path := filepath.Join(dir, "stack.env")
	f, err := os.Open(path) // #nosec G304 G703 -- the operator's own stack directory (HPC_STACK_DIR), a developer tool
	if err != nil {
		return nil, fmt.Errorf("the local stack is not up: %v (start it with stack/up && stack/seed)", err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = strings.Trim(v, `"'`)
		}
	}
	for _, k := range []string{"PROMETHEUS_URL", "SLURMRESTD_URL", "SLURM_JWT_KEY_FILE", "SLURM_API_USER"} {
		if env[k] == "" {
			return nil, fmt.Errorf("%s has no %s: was it written by stack/up?", path, k)
		}
	}
	return env, sc.Err()
}

// liveSlurm is the real data source, configured against the stack as Grafana would configure it.
type liveSlurm struct {
	handler  backend.QueryDataHandler
	settings backend.DataSourceInstanceSettings
	dispose  func()
}

func newLiveSlurm(env map[string]string) (*liveSlurm, error) {
	key, err := os.ReadFile(env["SLURM_JWT_KEY_FILE"])
	if err != nil {
		return nil, fmt.Errorf("reading the stack's JWT key: %w", err)
	}
	jsonData, err := json.Marshal(map[string]any{"authMode": "jwtKey", "slurmUser": env["SLURM_API_USER"], "apiVersion": "auto"})
	if err != nil {
		return nil, err
	}
	settings := backend.DataSourceInstanceSettings{UID: "slurm", Name: "Slurm (local stack)", Type: plugin.PluginID,
		URL: env["SLURMRESTD_URL"], JSONData: jsonData, DecryptedSecureJSONData: map[string]string{"jwtKey": string(key)}}
	inst, err := plugin.NewDatasource(context.Background(), settings)
	if err != nil {
		return nil, fmt.Errorf("the data source refuses the stack's settings: %w", err)
	}
	h, ok := inst.(backend.QueryDataHandler)
	if !ok {
		return nil, fmt.Errorf("the data source instance %T does not answer QueryData", inst)
	}
	dispose := func() {}
	if d, ok := inst.(interface{ Dispose() }); ok {
		dispose = d.Dispose
	}
	return &liveSlurm{handler: h, settings: settings, dispose: dispose}, nil
}

// check runs one Slurm query as Grafana sends it and returns its row count and any problem. A rule
// may rightly find nothing; a panel that finds nothing must say why in its noValue text.
func (l *liveSlurm) check(ctx context.Context, s slurmCheck, from, to time.Time) (string, string) {
	if len(s.problems) > 0 {
		return "-", strings.Join(s.problems, "; ")
	}
	raw, err := json.Marshal(s.query)
	if err != nil {
		return "-", err.Error()
	}
	qt, _ := s.query["queryType"].(string)
	resp, err := l.handler.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{PluginID: plugin.PluginID, DataSourceInstanceSettings: &l.settings},
		Queries: []backend.DataQuery{{RefID: "A", QueryType: qt, JSON: raw, MaxDataPoints: 1000,
			Interval: time.Minute, TimeRange: backend.TimeRange{From: from.Add(-5 * time.Hour), To: to}}},
	})
	if err != nil {
		return "-", err.Error()
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		return "-", fmt.Sprintf("%s: %v", r.Status, r.Error)
	}
	rows := 0
	for _, f := range r.Frames {
		n, _ := f.RowLen()
		rows += n
	}
	switch {
	case rows > 0:
		return fmt.Sprint(rows), ""
	case !s.dashboard:
		return "0", "ok (the alert does not fire)"
	case s.noValue != "":
		return "0", fmt.Sprintf("ok (no rows: the panel says %q)", s.noValue)
	}
	return "0", "no rows, and the panel does not say why (fieldConfig.defaults.noValue)"
}

var (
	grafanaMetric = regexp.MustCompile(`\bhpc_slurm_[a-z_]+`)
	otherMetric   = regexp.MustCompile(`\b(node_|DCGM_|ipmi_|kube_|cgroup_|up\b)`)
)

// readsOnlyGrafanaMetrics: the expression reads only the Slurm data source's own metrics, which
// exist only where Prometheus scrapes a Grafana running the plugin.
func readsOnlyGrafanaMetrics(expr string) bool {
	return grafanaMetric.MatchString(expr) && !otherMetric.MatchString(expr)
}
