package deploy

import (
	"strings"
	"testing"
)

// The checks above are only worth something if they reject bad input; these cases prove it.

func TestValidateSlurmQueryRejectsShapesOutsideTheModel(t *testing.T) {
	cases := []struct {
		name  string
		query map[string]any
		want  string // substring of one error; "" = valid
	}{
		{"counts by partition and state", map[string]any{"refId": "A", "queryType": "job_counts",
			"groupBy": []any{"partition", "state"}, "states": []any{"RUNNING"}}, ""},
		{"scheduler", map[string]any{"refId": "A", "queryType": "scheduler"}, ""},
		{"jobs with every filter", map[string]any{"refId": "A", "queryType": "jobs", "states": []any{"PENDING"},
			"partitions": []any{"$partition"}, "users": []any{"alice"}, "accounts": []any{"physics"}, "qos": []any{"normal"},
			"reasons": []any{"Resources"}, "nodes": []any{"node01"}, "nameRegex": "train-.*",
			"sort": map[string]any{"field": "submit_time", "desc": true}, "limit": 100}, ""},
		// Only the backend's parser knows these.
		{"unknown query type", map[string]any{"queryType": "bogus"}, `unknown queryType "bogus"`},
		{"missing query type", map[string]any{"refId": "A"}, "queryType is missing"},
		{"unknown dimension", map[string]any{"queryType": "node_counts", "groupBy": []any{"rack"}}, `groupBy has "rack"`},
		{"node_counts by user", map[string]any{"queryType": "node_counts", "groupBy": []any{"user"}}, `groupBy has "user"`},
		{"bad name regex", map[string]any{"queryType": "nodes", "nameRegex": "node[0-"}, "nameRegex is not a valid regular expression"},
		{"limit too high", map[string]any{"queryType": "jobs", "limit": 10000000}, "limit is 10000000"},
		{"unsortable field", map[string]any{"queryType": "jobs", "sort": map[string]any{"field": "gpus"}}, `sort.field "gpus"`},
		{"states not strings", map[string]any{"queryType": "jobs", "states": 5}, "states must be a []string"},
		{"job history", map[string]any{"queryType": "job_history", "states": []any{"COMPLETED"}, "limit": 500}, ""},
		{"job history beyond maxRows", map[string]any{"queryType": "job_history", "limit": 1000000}, "limit is 1000000"},
		{"wait percentile the backend lacks", map[string]any{"queryType": "history_series", "metric": "wait_p95"}, `metric is "wait_p95"`},
		{"usage grouped by a list", map[string]any{"queryType": "usage", "tres": "gpu", "groupBy": []any{"user"}}, "groupBy must be a string"},
		{"usage of an unknown TRES", map[string]any{"queryType": "usage", "tres": "energy"}, `tres is "energy"`},
		// Keys the backend's decoder would silently ignore.
		{"groupBy on a list query", map[string]any{"queryType": "jobs", "groupBy": []any{"user"}}, "unknown field(s) groupBy"},
		{"singular filter key", map[string]any{"queryType": "job_counts", "partition": "cpu"}, "unknown field(s) partition"},
		{"partitions on scheduler", map[string]any{"queryType": "scheduler", "partitions": []any{"cpu"}}, "unknown field(s) partitions"},
		{"metric on usage", map[string]any{"queryType": "usage", "metric": "wait_p50"}, "unknown field(s) metric"},
		{"misspelt state", map[string]any{"queryType": "jobs", "states": []any{"PENDNG"}}, `state PENDNG`},
		{"lower-case state", map[string]any{"queryType": "jobs", "states": []any{"running"}}, `state running`},
	}
	for _, c := range cases {
		errs := ValidateSlurmQuery(c.query)
		joined := strings.Join(errs, "; ")
		if c.want == "" && len(errs) > 0 {
			t.Errorf("%s: want valid, got %s", c.name, joined)
		}
		if c.want != "" && !strings.Contains(joined, c.want) {
			t.Errorf("%s: want an error containing %q, got %q", c.name, c.want, joined)
		}
	}
}

func TestCheckPinnedRejectsFloatingTags(t *testing.T) {
	for _, img := range []string{"grafana/grafana:12.4.10", "prom/prometheus:v3.5.0", "debian:12.12-slim",
		"golang:1.26.8-bookworm", "node:24.22.3-bookworm",
		"prom/node-exporter@sha256:" + strings.Repeat("a", 64)} {
		if err := checkPinned(img); err != nil {
			t.Errorf("%s: %v", img, err)
		}
	}
	for _, img := range []string{"grafana/grafana", "grafana/grafana:latest", "prom/prometheus:v3",
		"debian:bookworm", "node:24-bookworm", "grafana/grafana:main"} {
		if checkPinned(img) == nil {
			t.Errorf("%s: accepted as pinned", img)
		}
	}
}

func TestDockerignoreLastMatchWins(t *testing.T) {
	d := dockerignore{patterns: []string{"*", "!stack/", "!docker/slurm/entrypoint.sh", "**/node_modules"}}
	for p, want := range map[string]bool{
		"stack/up": false, "stack": false, "docker/slurm/entrypoint.sh": false,
		"docker/slurm/Dockerfile": true, "src/module.ts": true, "stack/node_modules/x": true,
	} {
		if got := d.excluded(p); got != want {
			t.Errorf("excluded(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestVariableSelector(t *testing.T) {
	for in, want := range map[string]string{
		"label_values(node_uname_info, nodename)": "node_uname_info",
		`label_values(up{job="node"}, instance)`:  `up{job="node"}`,
		"query_result(topk(5, node_load1))":       "topk(5, node_load1)",
		"label_values(nodename)":                  "",
		"metrics(node_)":                          "",
	} {
		if got := VariableSelector(in); got != want {
			t.Errorf("VariableSelector(%q) = %q, want %q", in, got, want)
		}
	}
}
