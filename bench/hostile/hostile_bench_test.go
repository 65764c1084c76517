// Package hostile measures what a hostile or broken upstream costs the
// backend (issue 10, item 4): the duration of a fresh health check, of a
// first query, and the process's peak RSS, for answers of 200 MB (announced
// or chunked, garbage or valid JSON), a trickle and a stall. The upstream is
// clustertest's fault server; the data source is built by the exported
// factory with production settings, exactly as Grafana builds it.
//
//	go test -run XXX -bench . -benchtime 1x ./bench/hostile/
//
// Figures and their reading are in bench/README.md.
package hostile

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

// scenarios: the upstream behaviour, and how long a query may wait for the
// first refresh (the poller fetches five kinds, each bounded by the 10 s
// request timeout and retries; a query gives up at its own deadline).
var scenarios = []struct {
	name  string
	fault clustertest.Fault
}{
	{"normal answers", clustertest.None},
	{"200 MB announced, every endpoint", clustertest.Huge},
	{"200 MB chunked, every endpoint", clustertest.HugeChunked},
	{"200 MB of valid lists (jobs, nodes, …)", clustertest.HugeList},
	{"trickle, one byte per 20 ms", clustertest.Trickle},
	{"stall", clustertest.Stall},
}

func BenchmarkHostileUpstream(b *testing.B) {
	// The plugin's own log lines (one per failed call) would bury the figures.
	log.DefaultLogger = log.NewNullLogger()
	for _, sc := range scenarios {
		b.Run(strings.NewReplacer(" ", "_", ",", "").Replace(sc.name), func(b *testing.B) {
			for range b.N {
				r := run(b, sc.fault)
				b.ReportMetric(r.health.Seconds(), "health-s")
				b.ReportMetric(r.query.Seconds(), "query-s")
				b.ReportMetric(float64(r.peakRSS)/(1<<20), "peak-RSS-MiB")
				b.Logf("%s: health %s (%s: %.140s); query %s (%s); peak RSS %d MiB",
					sc.name, r.health.Round(time.Millisecond), r.healthStatus, r.healthMsg,
					r.query.Round(time.Millisecond), r.queryResult, r.peakRSS>>20)
			}
		})
	}
}

type result struct {
	health, query           time.Duration
	healthStatus, healthMsg string
	queryResult             string
	peakRSS                 int64
}

func run(b *testing.B, fault clustertest.Fault) result {
	srv := clustertest.Start(b, "26.05.3", "v0.0.45")
	srv.SetFault(fault)
	settings := backend.DataSourceInstanceSettings{
		UID: "hostile", URL: srv.URL(),
		JSONData:                []byte(`{"slurmUser":"` + clustertest.User + `","apiVersion":"auto"}`),
		DecryptedSecureJSONData: map[string]string{"token": clustertest.Token},
	}
	resetPeakRSS(b)
	inst, err := plugin.NewDatasource(context.Background(), settings)
	if err != nil {
		b.Fatal(err)
	}
	ds := inst.(*plugin.Datasource)
	defer ds.Dispose()
	var r result

	start := time.Now()
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	r.health = time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	r.healthStatus, r.healthMsg = res.Status.String(), res.Message

	// A dashboard's first query: it waits for the poller's first refresh,
	// up to its own deadline.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start = time.Now()
	resp, err := ds.QueryData(ctx, &backend.QueryDataRequest{Queries: []backend.DataQuery{
		{RefID: "jobs", QueryType: "jobs", JSON: json.RawMessage(`{"queryType":"jobs"}`)},
		{RefID: "nodes", QueryType: "node_counts", JSON: json.RawMessage(`{"queryType":"node_counts","groupBy":["state"]}`)},
	}})
	r.query = time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	var parts []string
	for _, ref := range []string{"jobs", "nodes"} {
		dr := resp.Responses[ref]
		if dr.Error != nil {
			parts = append(parts, fmt.Sprintf("%s: %d %.80s", ref, dr.Status, dr.Error))
		} else if len(dr.Frames) > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d rows", ref, dr.Frames[0].Rows()))
		}
	}
	r.queryResult = strings.Join(parts, "; ")
	r.peakRSS = peakRSS(b)
	return r
}

// resetPeakRSS frees what the previous scenario left and restarts the
// kernel's high-water mark (VmHWM) from the current RSS.
func resetPeakRSS(b *testing.B) {
	runtime.GC()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS here (%v): Linux only", err)
	}
}

// peakRSS reads VmHWM, the process's peak resident set since the reset.
func peakRSS(b *testing.B) int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}
