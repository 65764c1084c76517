package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"gopkg.in/yaml.v3"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// SlurmDatasourceType is the plugin id of the nested data source.
const SlurmDatasourceType = "hpc-slurm-datasource"

// Slurm queries are checked by the backend itself: each one goes through the data source's
// QueryData, the entry point Grafana calls for panels and alert rules, which dispatches on
// queryType and parses the model with pkg/query (unknown query types and invalid fields are a
// 400 there). The instance is stopped before any query, so nothing is fetched: a query the
// parser accepts fails afterwards with "stopped" instead, a rejected one with 400.
//
// The backend's decoder ignores JSON keys it does not know (a misspelt "partition" would be no
// filter at all), so on top of that every key must be a JSON field of the backend's own model
// type for its query type (read by reflection from pkg/query, not copied), or one of the keys
// Grafana adds to every query.

// grafanaQueryKeys are the keys Grafana itself puts on any query model.
var grafanaQueryKeys = []string{"refId", "datasource", "datasourceId", "queryType", "hide", "key", "intervalMs", "maxDataPoints"}

// slurmStateNames are the job and node state words Slurm reports (pkg/slurm/state.go, where the
// list is unexported). The backend matches states case-insensitively and never rejects one, so a
// typo such as PENDNG would silently count nothing; the dashboards and rules spell them as Slurm does.
var slurmStateNames = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`PENDING RUNNING SUSPENDED COMPLETED CANCELLED FAILED TIMEOUT NODE_FAIL
		PREEMPTED BOOT_FAIL DEADLINE OUT_OF_MEMORY UNKNOWN DOWN IDLE ALLOCATED ERROR MIXED FUTURE
		COMPLETING CONFIGURING REQUEUED RESIZING REVOKED SIGNALING STAGE_OUT STOPPED DRAIN RESERVED PLANNED
		NOT_RESPONDING MAINTENANCE POWERED_DOWN POWERING_DOWN POWERING_UP POWER_DOWN REBOOT_REQUESTED CLOUD FAIL`) {
		slurmStateNames[s] = true
	}
}

var (
	backendOnce sync.Once
	backendDS   backend.QueryDataHandler
	backendErr  error
)

// stoppedBackend builds one instance of the real data source with the provisioned Slurm data
// source's jsonData (so limits are checked against its maxRows), on a loopback port nothing is
// asked on and with a dummy key, and stops it at once.
func stoppedBackend() (backend.QueryDataHandler, error) {
	backendOnce.Do(func() {
		jsonData, err := provisionedSlurmJSONData()
		if err != nil {
			backendErr = err
			return
		}
		inst, err := plugin.NewDatasource(context.Background(), backend.DataSourceInstanceSettings{
			UID:      "querycheck",
			Name:     "querycheck",
			URL:      "http://127.0.0.1:9",
			JSONData: jsonData,
			DecryptedSecureJSONData: map[string]string{
				"jwtKey": strings.Repeat("ab", 32),
			},
		})
		if err != nil {
			backendErr = fmt.Errorf("the backend refuses the provisioned jsonData: %w", err)
			return
		}
		if d, ok := inst.(interface{ Dispose() }); ok {
			d.Dispose()
		}
		h, ok := inst.(backend.QueryDataHandler)
		if !ok {
			backendErr = fmt.Errorf("the backend's instance %T does not answer QueryData", inst)
			return
		}
		backendDS = h
	})
	return backendDS, backendErr
}

// provisionedSlurmJSONData reads jsonData of the data source uid "slurm" from
// provisioning/datasources/*.yaml.
func provisionedSlurmJSONData() (json.RawMessage, error) {
	files, err := filepath.Glob(filepath.Join(RepoRoot(), "provisioning", "datasources", "*.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var doc struct {
			Datasources []struct {
				UID      string         `yaml:"uid"`
				Type     string         `yaml:"type"`
				JSONData map[string]any `yaml:"jsonData"`
			} `yaml:"datasources"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, ds := range doc.Datasources {
			if ds.UID == "slurm" && ds.Type == SlurmDatasourceType {
				return json.Marshal(ds.JSONData)
			}
		}
	}
	return nil, fmt.Errorf("no %s data source with uid slurm in provisioning/datasources", SlurmDatasourceType)
}

// BackendParse sends one query model to the backend's QueryData and returns the backend's own
// error when it rejects the query (HTTP 400), nil when the parser accepted it.
func BackendParse(q map[string]any) error {
	h, err := stoppedBackend()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(q)
	if err != nil {
		return err
	}
	qt, _ := q["queryType"].(string)
	now := time.Now()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // nothing may be fetched
	resp, err := h.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: backend.PluginContext{DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{UID: "querycheck"}},
		Queries: []backend.DataQuery{{RefID: "check", QueryType: qt, JSON: raw,
			// As a dashboard sends it: the last 6 hours, 1-minute interval.
			TimeRange: backend.TimeRange{From: now.Add(-6 * time.Hour), To: now}, Interval: time.Minute, MaxDataPoints: 360}},
	})
	if err != nil {
		return fmt.Errorf("QueryData failed: %w", err)
	}
	r := resp.Responses["check"]
	if r.Error != nil && r.Status == backend.StatusBadRequest {
		return r.Error
	}
	return nil
}

// SlurmQueryKeys returns the keys a query of type qt may carry: its model's fields, as the
// backend's query registry declares them, and Grafana's (false when the backend has no such type).
func SlurmQueryKeys(qt string) ([]string, bool) {
	t, ok := query.Lookup(qt)
	if !ok {
		return nil, false
	}
	return append(t.Fields(), grafanaQueryKeys...), true
}

// ValidateSlurmQuery checks one query object with the backend and returns every problem found
// (nil when the backend accepts it and every key is one of its model's fields).
func ValidateSlurmQuery(q map[string]any) []string {
	var errs []string
	qt, _ := q["queryType"].(string)
	if err := BackendParse(q); err != nil {
		errs = append(errs, "the backend rejects it: "+err.Error())
	}
	if qt == "" || !slices.Contains(query.Types(), qt) {
		// The backend said why; keys of an unknown type cannot be checked.
		if len(errs) == 0 {
			errs = append(errs, fmt.Sprintf("queryType %q is not one the backend serves (%s)", qt, strings.Join(query.Types(), ", ")))
		}
		return errs
	}
	keys, _ := SlurmQueryKeys(qt)
	var unknown []string
	for k := range q {
		if !slices.Contains(keys, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		errs = append(errs, fmt.Sprintf("unknown field(s) %s: the backend ignores them (%s has %s)",
			strings.Join(unknown, ", "), qt, strings.Join(keys[:len(keys)-len(grafanaQueryKeys)], ", ")))
	}
	if states, ok := q["states"].([]any); ok {
		for _, s := range states {
			str, _ := s.(string)
			if !strings.HasPrefix(str, "$") && !slurmStateNames[str] {
				errs = append(errs, fmt.Sprintf("state %v is not a Slurm state as Slurm spells it (e.g. RUNNING, DRAIN)", s))
			}
		}
	}
	return errs
}
