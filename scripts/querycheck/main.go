// Command querycheck evaluates every PromQL expression of the project's dashboards and rule files
// against a real Prometheus loaded with realistic exporter series, and checks every Slurm query
// against the data source's query model.
//
// It generates OpenMetrics series (node_exporter, dcgm-exporter, IPMI exporter, kube-state-metrics,
// a cgroup/jobstats exporter), imports them with `promtool tsdb create-blocks-from openmetrics`,
// starts Prometheus on a free loopback port over that data, resolves each dashboard variable from
// it, evaluates each expression with the variables substituted (once with "All", once with a
// single value), prints a table of expression → series count, stops Prometheus and exits non-zero
// if any expression fails to parse, errors or returns no series.
//
// With -live it checks the running local stack instead (stack/up && stack/seed): every dashboard
// expression against the stack's own Prometheus (node_exporter and the simulated exporters), where
// each panel must show data; rule expressions must evaluate (a rule that finds nothing does not
// fire); every Slurm query of a dashboard or rule runs through the data source's QueryData against
// the stack's slurmrestd, and a panel answered with no rows must say why in its own words
// (fieldConfig.defaults.noValue). The Slurm data source's own metrics come from a Grafana: without
// one scraped, the panels reading only them are listed as skipped.
//
// Usage: go run ./scripts/querycheck [-keep] [-prometheus path] [-promtool path]
//
//	go run ./scripts/querycheck -live
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/tests/deploy"
)

// running is the Prometheus started by this run, for the signal handler.
var running atomic.Pointer[prometheus]

func main() {
	os.Exit(run())
}

func run() int {
	promBin := flag.String("prometheus", "prometheus", "Prometheus server binary")
	promtool := flag.String("promtool", "promtool", "promtool binary")
	keep := flag.Bool("keep", false, "keep the work directory (series, TSDB, Prometheus log)")
	live := flag.Bool("live", false, "check against the running local stack ($HPC_STACK_DIR/stack.env): its Prometheus and slurmrestd")
	flag.Parse()
	root := deploy.RepoRoot()
	if *live {
		return runLive(root)
	}
	for _, bin := range []string{*promBin, *promtool} {
		if _, err := exec.LookPath(bin); err != nil {
			fmt.Fprintf(os.Stderr, "querycheck: %s not found (Debian package prometheus; stack/install installs it)\n", bin)
			return 1
		}
	}
	work, err := os.MkdirTemp("", "querycheck-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return 1
	}
	if *keep {
		fmt.Println("work directory kept:", work)
	} else {
		defer os.RemoveAll(work)
	}
	// On SIGINT/SIGTERM stop our Prometheus (if started) and remove the work directory; the kernel
	// stops Prometheus even on SIGKILL (stopWithParent).
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-interrupted
		running.Load().stop()
		if !*keep {
			_ = os.RemoveAll(work)
		}
		fmt.Fprintf(os.Stderr, "querycheck: %v: stopped\n", sig)
		os.Exit(1)
	}()

	t0 := time.Now()
	end := time.Now().Truncate(stepSeconds * time.Second).Add(-stepSeconds * time.Second)
	start := end.Add(-windowSeconds * time.Second)
	omPath := filepath.Join(work, "series.om")
	nSeries, nSamples, err := generate(omPath, start.Unix())
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck: writing series:", err)
		return 1
	}
	dataDir := filepath.Join(work, "data")
	out, err := exec.Command(*promtool, "tsdb", "create-blocks-from", "openmetrics", omPath, dataDir).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "querycheck: promtool import failed: %v\n%s\n", err, out)
		return 1
	}
	fmt.Printf("imported %d series / %d samples (%s of history, %ds step) with promtool in %s\n",
		nSeries, nSamples, time.Duration(windowSeconds)*time.Second, stepSeconds, time.Since(t0).Round(time.Millisecond))

	port, err := freeLoopbackPort()
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return 1
	}
	prom, err := startPrometheus(*promBin, dataDir, work, port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return 1
	}
	defer prom.stop()
	running.Store(prom)
	fmt.Printf("Prometheus on 127.0.0.1:%d over the imported TSDB\n\n", port)

	if failed := evaluateAll(root, prom, start, end, mode{}); failed != 0 {
		return 1 // failed checks, or -1: the checks could not run
	}
	return 0
}

func generate(path string, start int64) (nSeries, nSamples int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	all := fleet()
	n, err := writeOpenMetrics(w, all, start)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return len(all), n, err
}

// mode is what a run checks beyond the offline query check.
type mode struct {
	live           bool       // a live stack's Prometheus: a rule that finds nothing is a rule that does not fire
	grafanaScraped bool       // live: Prometheus scrapes a Grafana's Slurm data source metrics (hpc_slurm_*)
	slurm          *liveSlurm // live: Slurm queries run against the stack's slurmrestd
}

// liveYoungSeriesWait is how long, at most, a live check waits for a dashboard panel's series. A
// panel's range subquery ([$__range:1m]) sees a series only from its first minute-aligned step on, and
// the stack's simulator ties GPU and cgroup series to the jobs it reads from slurmrestd as they start:
// right after stack/seed a panel can be a minute ahead of its data.
const liveYoungSeriesWait = 2 * time.Minute

// waitForSeries asks query (at the current time) again after each pause until it finds series or
// the deadline passes; it returns the last answer.
func waitForSeries(query func(time.Time) (int, error), now func() time.Time, pause func(), deadline time.Time) (int, error) {
	for {
		if now().After(deadline) {
			return 0, nil
		}
		pause()
		n, err := query(now())
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// evaluateAll prints the table and returns the number of failed checks (-1 if it could not run).
func evaluateAll(root string, prom *prometheus, start, end time.Time, m mode) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	dashProms, dashSlurm, err := collectDashboards(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return -1
	}
	ruleProms, ruleSlurm, err := collectRuleFiles(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "querycheck:", err)
		return -1
	}
	ruleProms = append(ruleProms, pageChecks()...) // the app pages' PromQL (page_queries.go)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tQUERY\tSERIES (All)\tSERIES (one value)\tRESULT")
	passed, failed, skipped := 0, 0, 0
	report := func(source, where, all, one, problem string) {
		result := "ok"
		switch {
		case strings.HasPrefix(problem, "SKIP"):
			result = problem
			skipped++
		case strings.HasPrefix(problem, "ok"):
			result = problem
			passed++
		case problem != "":
			result = "FAIL: " + problem
			failed++
		default:
			passed++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", source, where, all, one, result)
	}

	// Resolve each dashboard's variables once (a variable that finds nothing is itself a failure).
	resolved := map[string]map[string]dashVariable{}
	for _, c := range dashProms {
		if _, done := resolved[c.source]; done {
			continue
		}
		resolved[c.source] = map[string]dashVariable{}
		for _, v := range c.vars {
			values, err := prom.labelValues(ctx, v.selector, v.label, start, end)
			problem := ""
			switch {
			case err != nil:
				problem = err.Error()
			case len(values) == 0:
				problem = "variable resolves to no values"
			}
			v.values = values
			resolved[c.source][v.name] = v
			report(c.source, fmt.Sprintf("variable $%s = label_values(%s, %s)", v.name, v.selector, v.label),
				fmt.Sprint(len(values)), "-", problem)
		}
	}

	// Live: a dashboard panel over young series gets until then to find them.
	youngUntil := time.Now().Add(liveYoungSeriesWait)
	for _, c := range append(dashProms, ruleProms...) {
		vars := resolved[c.source]
		allValues := map[string]string{}
		for name, v := range vars {
			allValues[name] = v.allSelection()
		}
		if strings.TrimSpace(c.expr) == "" {
			report(c.source, c.where, "-", "-", "empty expression")
			continue
		}
		expr := interpolate(c.expr, allValues)
		nAll, errAll := prom.instantQuery(ctx, expr, end)
		if nAll == 0 && errAll == nil && m.live && c.dashboard && (m.grafanaScraped || !readsOnlyGrafanaMetrics(c.expr)) {
			nAll, errAll = waitForSeries(func(t time.Time) (int, error) { return prom.instantQuery(ctx, expr, t) },
				time.Now, func() { time.Sleep(5 * time.Second) }, youngUntil)
		}
		allCol, oneCol, problem := "-", "-", ""
		switch {
		case errAll != nil:
			problem = errAll.Error()
		case nAll == 0 && m.live && c.source == "src/pages":
			// The pages' expressions are generated for the offline fleet (its job ids and instance names).
			allCol, problem = "0", "SKIP: written for the offline check's series, not this stack's"
		case nAll == 0 && m.live && !c.dashboard:
			allCol, problem = "0", "ok (the alert does not fire)"
		case nAll == 0 && m.live && !m.grafanaScraped && readsOnlyGrafanaMetrics(c.expr):
			allCol, problem = "0", "SKIP: the Slurm data source's own metrics: no Grafana is scraped (job grafana-hpc-slurm-datasource)"
		case nAll == 0:
			allCol, problem = "0", "no series"
		default:
			allCol = fmt.Sprint(nAll)
		}
		if problem == "" {
			if leftover := unresolvedVariable.FindString(interpolate(c.expr, allValues)); leftover != "" {
				problem = "unresolved variable " + leftover
			}
		}
		if problem == "" && usesVariable(c.expr, c.vars) {
			oneCol, problem = singleSelection(ctx, prom, c.expr, vars, end)
		}
		report(c.source, c.where, allCol, oneCol, problem)
	}
	for _, s := range append(dashSlurm, ruleSlurm...) {
		if m.slurm == nil {
			report(s.source, s.where+" (Slurm backend parser)", "-", "-", strings.Join(s.problems, "; "))
			continue
		}
		rows, problem := m.slurm.check(ctx, s, start, end)
		report(s.source, s.where+" (Slurm, live)", rows, "-", problem)
	}
	_ = tw.Flush()
	if skipped > 0 {
		fmt.Printf("\nquerycheck: %d passed, %d failed, %d skipped\n", passed, failed, skipped)
	} else {
		fmt.Printf("\nquerycheck: %d passed, %d failed\n", passed, failed)
	}
	return failed
}

var unresolvedVariable = regexp.MustCompile(`\$\{?[A-Za-z_]\w*`)

// singleSelection evaluates expr with one value chosen per variable, as a user picking a single
// node or job would. Not every value has every metric (a CPU-only job has no GPU series), so it
// tries the values in turn and succeeds on the first selection that returns data.
func singleSelection(ctx context.Context, prom *prometheus, expr string, vars map[string]dashVariable, at time.Time) (string, string) {
	longest := 0
	for _, v := range vars {
		longest = max(longest, len(v.values))
	}
	for i := 0; i < min(longest, 50); i++ {
		values := map[string]string{}
		var picked []string
		for name, v := range vars {
			if len(v.values) == 0 {
				continue
			}
			x := v.values[i%len(v.values)]
			values[name] = regexp.QuoteMeta(x)
			if usesVariable(expr, []dashVariable{v}) {
				picked = append(picked, name+"="+x)
			}
		}
		n, err := prom.instantQuery(ctx, interpolate(expr, values), at)
		if err != nil {
			return "-", "with a single value: " + err.Error()
		}
		if n > 0 {
			sort.Strings(picked)
			return fmt.Sprintf("%d (%s)", n, strings.Join(picked, ",")), ""
		}
	}
	return "0", "no series for any single value of its variables"
}

func usesVariable(expr string, vars []dashVariable) bool {
	for _, v := range vars {
		if regexp.MustCompile(`\$\{?` + regexp.QuoteMeta(v.name) + `\b`).MatchString(expr) {
			return true
		}
	}
	return false
}
