// Command loadgen drives the built backend binary over gRPC the way Grafana
// does, against a counting slurmrestd stand-in serving a synthetic cluster,
// and reports latency, memory and upstream calls per cluster size (see
// bench/README.md):
//
//	go tool mage -v build:linux
//	go run ./bench/cmd/loadgen -jobs 1000,10000,100000,300000 -versions v0.0.44,v0.0.38 -o /tmp/load.md
//	go run ./bench/cmd/loadgen -short     # the quick run scripts/test-all.sh makes
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/bench/load"
)

func main() {
	var (
		plugin   = flag.String("plugin", "dist/datasource/gpx_slurm_linux_amd64", "the built backend binary")
		fixtures = flag.String("fixtures", "pkg/slurm/testdata/slurmrestd", "the recorded slurmrestd answers")
		cache    = flag.String("cache", filepath.Join(os.TempDir(), "hpc-slurm-load"), "where synthetic answers are written and reused")
		jobs     = flag.String("jobs", "1000,10000,100000,300000", "cluster sizes in jobs, comma-separated")
		nodes    = flag.Int("nodes", 10000, "nodes of the synthetic cluster")
		versions = flag.String("versions", "v0.0.44,v0.0.38", "API versions, comma-separated (v0.0.44, v0.0.38)")
		compact  = flag.Bool("compact", false, "serve compact JSON (slurmrestd writes it pretty-printed)")
		viewers  = flag.Int("viewers", 50, "dashboards open at once")
		interval = flag.Duration("interval", 10*time.Second, "the data source's refresh interval (and the dashboards')")
		loadFor  = flag.Duration("load", 60*time.Second, "how long the viewers load the plugin")
		samples  = flag.Int("samples", 30, "sequential calls per panel with one viewer")
		out      = flag.String("o", "", "also write the report to this file")
		logFile  = flag.String("plugin-log", "", "write the plugin's log here (default: discarded)")
		pprof    = flag.Int("pprof", 0, "serve the plugin's pprof on this loopback port (the SDK's GF_PLUGIN_PROFILING_*)")
		maxRSS   = flag.Int64("max-rss-mib", 4096, "stop the plugin when its RSS passes this (the machine is shared)")
		env      = flag.String("env", "", "extra environment of the plugin, comma-separated (e.g. GF_PLUGIN_MEMORY_LIMIT=512MiB)")
		restd    = flag.String("slurmrestd", "", "load a real slurmrestd (the local stack) instead of the stand-in; one run, -versions names its API version")
		token    = flag.String("token-file", "", "with -slurmrestd: a file holding the data source's slurmrestd token (user grafana)")
		refresh  = flag.Duration("refresh", 0, "the data source's refresh interval (default: -interval)")
		prepare  = flag.Bool("prepare", false, "only write the synthetic answers into -cache (they are reused by later runs)")
		short    = flag.Bool("short", false, "the quick run for CI: 10 000 jobs, 2 000 nodes, v0.0.44, 10 viewers for 25 s; fails on errors, refused calls or more than one call per endpoint per refresh, never on timings")
	)
	flag.Parse()
	if *short {
		*jobs, *versions, *nodes, *viewers, *loadFor, *samples = "10000", "v0.0.44", 2000, 10, 25*time.Second, 5
	}
	sizes, err := ints(*jobs)
	if err != nil {
		fail(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	logTo := (*os.File)(nil)
	if *logFile != "" {
		if logTo, err = os.Create(*logFile); err != nil {
			fail(err)
		}
		defer logTo.Close()
	}
	if *prepare {
		for _, v := range strings.Split(*versions, ",") {
			for _, n := range sizes {
				if _, err := load.PrepareAnswers(*fixtures, *cache, strings.TrimSpace(v), n, *nodes, !*compact); err != nil {
					fail(err)
				}
			}
		}
		return
	}
	var (
		results []*load.Result
		failed  []string
	)
	problems := 0
	tok := ""
	if *restd != "" {
		b, err := os.ReadFile(*token)
		if err != nil {
			fail(fmt.Errorf("-token-file: %w", err))
		}
		tok = strings.TrimSpace(string(b))
		sizes = []int{0} // one run against what the real cluster holds
	}
	for _, v := range strings.Split(*versions, ",") {
		for _, n := range sizes {
			cfg := load.Config{Plugin: *plugin, Fixtures: *fixtures, Cache: *cache, Version: strings.TrimSpace(v), Jobs: n, Nodes: *nodes,
				Compact: *compact, Interval: *interval, Viewers: *viewers, LoadFor: *loadFor, Samples: *samples, Progress: os.Stderr, PprofPort: *pprof, MaxRSS: *maxRSS << 20,
				Slurmrestd: *restd, Token: tok, Refresh: *refresh}
			if *env != "" {
				cfg.Env = strings.Split(*env, ",")
			}
			if logTo != nil {
				cfg.LogTo = logTo
			}
			r, err := load.Run(ctx, cfg)
			if err != nil {
				// The other sizes still run: a size the plugin cannot serve is a finding.
				failed = append(failed, fmt.Sprintf("- %s, %d jobs: the run failed: %v", v, n, err))
				fmt.Fprintln(os.Stderr, failed[len(failed)-1])
				continue
			}
			results = append(results, r)
			problems += len(r.Problems())
			fmt.Print(r.Markdown())
		}
	}
	report := machine() + "\n" + load.Summary(results) + "\n" + strings.Join(failed, "\n") + "\n\n"
	for _, r := range results {
		report += r.Markdown()
	}
	fmt.Println(load.Summary(results))
	if *out != "" {
		if err := os.WriteFile(*out, []byte(report), 0o644); err != nil {
			fail(err)
		}
	}
	if len(failed) > 0 {
		fail(fmt.Errorf("%d runs failed:\n%s", len(failed), strings.Join(failed, "\n")))
	}
	if problems > 0 {
		fail(fmt.Errorf("%d problems (listed above): queries failed, calls were refused or an endpoint was called more than once per refresh", problems))
	}
}

func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	return fmt.Sprintf("Machine: %d × %s, %s %s/%s, %s", runtime.NumCPU(), cpu, runtime.Version(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}

func ints(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("-jobs: %q is not a positive number", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}
