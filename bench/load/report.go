package load

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Budgets of DESIGN §8 and issue 15, checked at 100k jobs and 10k nodes.
const (
	BudgetJobsP50    = 10 * time.Millisecond
	BudgetJobsP99    = 100 * time.Millisecond
	BudgetCountsP99  = 20 * time.Millisecond
	BudgetNodesP99   = 100 * time.Millisecond
	BudgetLoadedP99  = time.Second
	BudgetCycleShare = 0.30
	BudgetSteadyRSS  = 200_000_000 // DESIGN §8 says MB: 190.7 MiB
	BudgetPeakRSS    = 300_000_000 // 286.1 MiB
	budgetJobs       = 100000
	budgetNodes      = 10000
	panelJobsBudget  = 0 // Dashboard[0]
	panelNodesBudget = 9 // Dashboard[9]
	firstCountsPanel = 2
	lastCountsPanel  = 8
)

// Problems lists what must never happen, whatever the timing: a query that
// fails, a call slurmrestd would refuse or rate-limit, an endpoint called
// more than once per refresh. The short benchmark fails on them.
func (r *Result) Problems() []string {
	var out []string
	for _, p := range r.Panels {
		if p.Errors > 0 {
			out = append(out, fmt.Sprintf("%s: %d answers with an error, last: %s", p.Name, p.Errors, p.LastErr))
		}
	}
	for _, c := range r.Refused {
		why := c.Refusal
		if c.RateLimited() {
			why = "over Slurm's rate limit (429)"
		}
		out = append(out, fmt.Sprintf("%s?%s: %s", c.Endpoint, c.Query, why))
	}
	for _, c := range r.Unread {
		out = append(out, fmt.Sprintf("%s answer at %s: the plugin stopped reading after %s, %s after asking (it gave up)",
			c.Endpoint, c.Start.Format("15:04:05"), mb(c.Bytes), c.End.Sub(c.Start).Round(time.Millisecond)))
	}
	for e, n := range MostPerCycle(r.Cycles) {
		if n > 1 {
			out = append(out, fmt.Sprintf("%s was called %d times in one refresh", e, n))
		}
	}
	if r.Slurmrestd == "" && len(r.LoadedCycles) == 0 {
		out = append(out, "no refresh completed while the viewers were loading the plugin")
	}
	for e, u := range r.Upstream {
		if u.Errors > 0 {
			out = append(out, fmt.Sprintf("%s: %.0f of the plugin's %.0f calls failed (its metrics)", e, u.Errors, u.Calls))
		}
	}
	sort.Strings(out)
	return out
}

// OverBudget lists the budgets a run at 100k jobs and 10k nodes misses.
func (r *Result) OverBudget() []string {
	if r.Jobs != budgetJobs || r.Nodes != budgetNodes {
		return nil
	}
	var out []string
	over := func(ok bool, format string, args ...any) {
		if !ok {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	jobs := r.Panels[panelJobsBudget].Alone
	over(jobs.Percentile(50) <= BudgetJobsP50, "jobs query p50 %s > %s", round(jobs.Percentile(50)), BudgetJobsP50)
	over(jobs.Percentile(99) <= BudgetJobsP99, "jobs query p99 %s > %s", round(jobs.Percentile(99)), BudgetJobsP99)
	for _, p := range r.Panels[firstCountsPanel : lastCountsPanel+1] {
		over(p.Alone.Percentile(99) <= BudgetCountsP99, "%s p99 %s > %s", p.Name, round(p.Alone.Percentile(99)), BudgetCountsP99)
	}
	nodes := r.Panels[panelNodesBudget].Alone
	over(nodes.Percentile(99) <= BudgetNodesP99, "nodes page p99 %s > %s", round(nodes.Percentile(99)), BudgetNodesP99)
	over(r.AllLoaded.Percentile(99) <= BudgetLoadedP99, "QueryData p99 under load %s > %s", round(r.AllLoaded.Percentile(99)), BudgetLoadedP99)
	share := r.cycleShare(r.LoadedCycles, 100)
	over(share <= BudgetCycleShare, "refresh cycle under load (slowest) %.0f %% of the interval > %.0f %%", share*100, BudgetCycleShare*100)
	over(median(r.LoadedRSS) <= BudgetSteadyRSS, "steady RSS %d MiB > %.1f MiB (200 MB)", median(r.LoadedRSS)>>20, float64(BudgetSteadyRSS)/(1<<20))
	over(r.End.Peak <= BudgetPeakRSS, "peak RSS %d MiB > %.1f MiB (300 MB)", r.End.Peak>>20, float64(BudgetPeakRSS)/(1<<20))
	return out
}

// cycleTimes are the durations of the cycles.
func cycleTimes(cycles []Cycle) Latencies {
	var l Latencies
	for _, c := range cycles {
		l = append(l, c.Took())
	}
	return l
}

// cycleShare is percentile p of the cycles' duration as a share of the interval.
func (r *Result) cycleShare(cycles []Cycle, p float64) float64 {
	return cycleTimes(cycles).Percentile(p).Seconds() / r.Interval.Seconds()
}

// Markdown reports one run.
func (r *Result) Markdown() string {
	var b strings.Builder
	layout := "pretty"
	if r.Compact {
		layout = "compact"
	}
	if r.Slurmrestd != "" {
		fmt.Fprintf(&b, "#### %s, slurmrestd at %s\n\n", r.Version, r.Slurmrestd)
	} else {
		fmt.Fprintf(&b, "#### %s, %s jobs, %s nodes (jobs answer %s %s, nodes answer %s)\n\n", r.Version, thousands(r.Jobs), thousands(r.Nodes),
			mb(r.JobsBytes), layout, mb(r.NodesBytes))
	}
	fmt.Fprintf(&b, "Load average %.1f → %.1f (1 min); data source refresh every %s; %d viewers × %d panels every %s for %s; %d samples per panel alone; run took %s.\n\n",
		r.LoadAvg[0][0], r.LoadAvg[1][0], r.Refresh, r.Viewers, len(Dashboard), r.Interval, r.LoadFor, r.Samples, r.Took.Round(time.Second))
	fmt.Fprintf(&b, "- first answer %s after the plugin started (the first refresh)\n", round(r.FirstAnswer))
	if r.Slurmrestd == "" {
		idle := r.Cycles[:len(r.Cycles)-len(r.LoadedCycles)]
		fmt.Fprintf(&b, "- refresh cycle (stand-in: jobs request to last answer): before the viewers %s; under load p50 %s, slowest %s (%.0f %% of the %s interval), %d cycles\n",
			latencyList(cycleTimes(idle)), round(cycleTimes(r.LoadedCycles).Percentile(50)), round(cycleTimes(r.LoadedCycles).Max()),
			r.cycleShare(r.LoadedCycles, 100)*100, r.Refresh, len(r.LoadedCycles))
		fmt.Fprintf(&b, "- upstream calls, most in any refresh: %s; before the first refresh: %s; refused or rate-limited: %d\n",
			countList(MostPerCycle(r.Cycles)), countList(r.Before), len(r.Refused))
	}
	fmt.Fprintf(&b, "- the plugin's calls to slurmrestd (its own metrics, whole run): %s; a refresh (their means added) %s\n",
		upstreamList(r.Upstream), round(time.Duration(r.refreshMean()*float64(time.Second))))
	fmt.Fprintf(&b, "- RSS: after the first snapshot %d MiB, steady under load (median) %d MiB (range %d–%d), peak %d MiB\n",
		r.AfterFirst.RSS>>20, median(r.LoadedRSS)>>20, slices.Min(append(r.LoadedRSS, r.End.RSS))>>20, slices.Max(append(r.LoadedRSS, r.End.RSS))>>20, r.End.Peak>>20)
	fmt.Fprintf(&b, "- QueryData under load, every panel: p50 %s, p99 %s, max %s over %d calls; %d still running at the panel's next refresh were cancelled (counted with the time they ran)\n\n",
		round(r.AllLoaded.Percentile(50)), round(r.AllLoaded.Percentile(99)), round(r.AllLoaded.Max()), len(r.AllLoaded), r.cancelled())
	b.WriteString("| panel | rows | answer | alone p50 | alone p99 | under load p50 | under load p99 | cancelled | errors |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, p := range r.Panels {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %d | %d |\n", p.Name, p.Rows, kbOrMB(p.RespSize),
			round(p.Alone.Percentile(50)), round(p.Alone.Percentile(99)), round(p.Loaded.Percentile(50)), round(p.Loaded.Percentile(99)), p.Cancelled, p.Errors)
	}
	if probs := r.Problems(); len(probs) > 0 {
		b.WriteString("\nProblems:\n\n")
		for _, p := range probs {
			fmt.Fprintf(&b, "- %s\n", p)
		}
	}
	if over := r.OverBudget(); len(over) > 0 {
		b.WriteString("\nOver budget (DESIGN §8 at 100k jobs, 10k nodes):\n\n")
		for _, o := range over {
			fmt.Fprintf(&b, "- %s\n", o)
		}
	}
	b.WriteString("\n")
	return b.String()
}

// Summary is the cost curve: one row per run.
func Summary(results []*Result) string {
	var b strings.Builder
	b.WriteString("| API | jobs | jobs answer | first answer | refresh under load p50 / slowest | jobs 5000 sorted p50 / p99 | counts p99 (slowest) | nodes 10k p99 | under load p50 / p99 (cancelled) | RSS first / steady / peak |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		var counts time.Duration
		for _, p := range r.Panels[firstCountsPanel : lastCountsPanel+1] {
			counts = max(counts, p.Alone.Percentile(99))
		}
		jobs, nodes := r.Panels[panelJobsBudget].Alone, r.Panels[panelNodesBudget].Alone
		ct := cycleTimes(r.LoadedCycles)
		size, answer, refresh := thousands(r.Jobs), mb(r.JobsBytes), fmt.Sprintf("%s / %s", round(ct.Percentile(50)), round(ct.Max()))
		if r.Slurmrestd != "" {
			// A real slurmrestd: the stand-in's side (job count, answer size, cycles) is not seen;
			// the refresh is the plugin's own mean (its metrics).
			size, answer = "—", "—"
			refresh = fmt.Sprintf("%s mean (plugin's metrics)", round(time.Duration(r.refreshMean()*float64(time.Second))))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s / %s (%d) | %d / %d / %d MiB |\n",
			r.Version, size, answer, round(r.FirstAnswer), refresh,
			round(jobs.Percentile(50)), round(jobs.Percentile(99)), round(counts), round(nodes.Percentile(99)),
			round(r.AllLoaded.Percentile(50)), round(r.AllLoaded.Percentile(99)), r.cancelled(),
			r.AfterFirst.RSS>>20, median(r.LoadedRSS)>>20, r.End.Peak>>20)
	}
	return b.String()
}

// refreshKinds are the endpoints one refresh reads, one after the other.
var refreshKinds = []string{"jobs", "nodes", "partitions", "reservations", "diag"}

// refreshMean is a refresh's mean duration from the plugin's metrics: the
// means of its sequential calls added.
func (r *Result) refreshMean() float64 {
	sum := 0.0
	for _, k := range refreshKinds {
		sum += r.Upstream[k].Mean()
	}
	return sum
}

func upstreamList(m map[string]UpstreamStats) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		u := m[k]
		parts = append(parts, fmt.Sprintf("%s %.0f (mean %s)", k, u.Calls, round(time.Duration(u.Mean()*float64(time.Second)))))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func latencyList(l Latencies) string {
	if len(l) == 0 {
		return "none"
	}
	parts := make([]string, len(l))
	for i, d := range l {
		parts[i] = round(d).String()
	}
	return strings.Join(parts, ", ")
}

func countList(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, out...), " ")
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func kbOrMB(n int) string {
	if n >= 1e6 {
		return fmt.Sprintf("%.2f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f kB", float64(n)/1e3)
}

func (r *Result) cancelled() int {
	n := 0
	for _, p := range r.Panels {
		n += p.Cancelled
	}
	return n
}
