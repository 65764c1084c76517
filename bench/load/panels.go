package load

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/useragent"
	"github.com/grafana/grafana-plugin-sdk-go/config"
)

// Panel is one dashboard panel's query.
type Panel struct {
	Name  string         // what the report calls it
	Model map[string]any // the query model the panel sends (without refId and datasource)
}

// Dashboard is what each simulated viewer has open: twelve panels, the Slurm
// queries of the bundled cluster overview and scheduler health dashboards and
// the app's Jobs and Nodes pages. The first is DESIGN §8's query budget (a
// state filter, a sort and a page of 5 000 rows).
var Dashboard = []Panel{
	{"jobs: pending by priority, 5000 rows", map[string]any{"queryType": "jobs", "states": []string{"PENDING"}, "sort": map[string]any{"field": "priority", "desc": true}, "limit": 5000}},
	{"jobs: running, first page", map[string]any{"queryType": "jobs", "states": []string{"RUNNING"}}},
	{"job_counts: running", map[string]any{"queryType": "job_counts", "states": []string{"RUNNING"}}},
	{"job_counts: pending", map[string]any{"queryType": "job_counts", "states": []string{"PENDING"}}},
	{"job_counts: by state", map[string]any{"queryType": "job_counts", "groupBy": []string{"state"}}},
	{"job_counts: by partition and state", map[string]any{"queryType": "job_counts", "groupBy": []string{"partition", "state"}, "states": []string{"RUNNING", "PENDING"}}},
	{"job_counts: pending by reason", map[string]any{"queryType": "job_counts", "groupBy": []string{"reason"}, "states": []string{"PENDING"}}},
	{"node_counts: by state", map[string]any{"queryType": "node_counts", "groupBy": []string{"state"}}},
	{"node_counts: down or drained", map[string]any{"queryType": "node_counts", "states": []string{"DOWN", "DRAIN", "NOT_RESPONDING"}}},
	{"nodes: 10000 rows", map[string]any{"queryType": "nodes", "limit": 10000}},
	{"partitions", map[string]any{"queryType": "partitions"}},
	{"scheduler", map[string]any{"queryType": "scheduler"}},
}

// Grafana builds the requests a Grafana 12.4 server sends for one
// provisioned data source.
type Grafana struct {
	URL        string // slurmrestd (the stand-in)
	APIVersion string
	Token      string // secureJsonData.token
	Interval   time.Duration
	Updated    time.Time // the data source's last update: same settings, same instance
}

// Settings is the data source as Grafana hands it to the plugin.
func (g Grafana) Settings() *backend.DataSourceInstanceSettings {
	jsonData, _ := json.Marshal(map[string]any{
		"apiVersion":             g.APIVersion,
		"authMode":               "token",
		"slurmUser":              "grafana",
		"refreshIntervalSeconds": int(g.Interval / time.Second),
	})
	return &backend.DataSourceInstanceSettings{
		ID:                      7,
		UID:                     "slurm-load",
		Type:                    "hpc-slurm-datasource",
		Name:                    "Slurm",
		URL:                     g.URL,
		JSONData:                jsonData,
		DecryptedSecureJSONData: map[string]string{"token": g.Token},
		Updated:                 g.Updated,
		APIVersion:              "v0alpha1",
	}
}

// PluginContext is what Grafana attaches to every call for viewer.
func (g Grafana) PluginContext(viewer int) backend.PluginContext {
	login := fmt.Sprintf("viewer%02d", viewer)
	ua, _ := useragent.New(GrafanaVersion, "linux", "amd64")
	return backend.PluginContext{
		//lint:ignore SA1019 Grafana 12 still sends the org id beside the namespace
		OrgID:                      1,
		Namespace:                  "default",
		PluginID:                   "hpc-slurm-datasource",
		PluginVersion:              "0.1.0",
		User:                       &backend.User{Login: login, Name: login, Email: login + "@example.org", Role: "Viewer"},
		DataSourceInstanceSettings: g.Settings(),
		GrafanaConfig: config.NewGrafanaCfg(map[string]string{
			"GF_APP_URL":                   "http://localhost:3000/",
			"GF_CONCURRENT_QUERY_COUNT":    "10",
			"GF_USER_FACING_DEFAULT_ERROR": "An error occurred",
		}),
		UserAgent:  ua,
		APIVersion: "v0alpha1",
	}
}

// Request is one panel's /api/ds/query as the plugin receives it: one query,
// refId A, the dashboard's last hour, the model with refId and datasource
// added like the frontend sends it.
func (g Grafana) Request(p Panel, viewer int, now time.Time) *backend.QueryDataRequest {
	model := map[string]any{"refId": "A", "datasource": map[string]any{"type": "hpc-slurm-datasource", "uid": "slurm-load"},
		"intervalMs": 15000, "maxDataPoints": 1000}
	for k, v := range p.Model {
		model[k] = v
	}
	raw, _ := json.Marshal(model)
	queryType, _ := p.Model["queryType"].(string)
	return &backend.QueryDataRequest{
		PluginContext: g.PluginContext(viewer),
		Headers:       map[string]string{"http_X-Grafana-Org-Id": "1"},
		Queries: []backend.DataQuery{{
			RefID:         "A",
			QueryType:     queryType,
			MaxDataPoints: 1000,
			Interval:      15 * time.Second,
			TimeRange:     backend.TimeRange{From: now.Add(-time.Hour), To: now},
			JSON:          raw,
		}},
	}
}
