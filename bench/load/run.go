package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// Config is one run of the load generator: one cluster size, one API version.
type Config struct {
	Plugin   string // the built backend binary (dist/datasource/gpx_slurm_linux_amd64)
	Fixtures string // pkg/slurm/testdata/slurmrestd
	Cache    string // where the synthetic answers are written (and found again)
	Version  string // v0.0.44 or v0.0.38
	Jobs     int
	Nodes    int
	Compact  bool          // serve compact JSON instead of slurmrestd's pretty-printed answers
	Interval time.Duration // the data source's refresh interval
	Viewers  int           // dashboards open at once, each refreshing every Interval
	LoadFor  time.Duration // how long the viewers' load runs
	Samples  int           // sequential calls per panel in the one-viewer phase
	Progress io.Writer     // progress lines; nil: none
	LogTo    io.Writer     // the plugin's log; nil: discarded
	// PprofPort, when set, turns on the SDK's pprof server in the plugin
	// (GF_PLUGIN_PROFILING_ENABLED) on this port, for heap and CPU profiles.
	PprofPort int
	// Slurmrestd, when set, is a real slurmrestd to load instead of the
	// stand-in (the local stack), with Token for SlurmUser; Jobs, Nodes and
	// Compact then describe nothing.
	Slurmrestd string
	Token      string
	// Refresh is the data source's refresh interval (0: Interval).
	Refresh time.Duration
	// Env is added to the plugin's environment (GOGC=…, GF_PLUGIN_MEMORY_LIMIT=…):
	// what grafana.ini's [plugin.hpc-slurm-datasource] section would pass.
	Env []string
	// MaxRSS stops the plugin when its resident memory passes it (the
	// machine is shared; a run that goes that far has failed anyway).
	// 0: 4 GiB.
	MaxRSS int64
}

// PanelResult is what one panel's queries cost.
type PanelResult struct {
	Name      string
	Alone     Latencies // one viewer, one query at a time
	Loaded    Latencies // among every viewer's panels
	Errors    int       // answers with an error (any phase)
	Cancelled int       // loaded calls cancelled by the panel's next refresh (counted in Loaded with the time they ran)
	LastErr   string
	Rows      int // rows of the first frame (one-viewer phase)
	RespSize  int // bytes of one answer on the wire
}

// Result is what one run measured.
type Result struct {
	Config
	JobsBytes, NodesBytes int64
	LoadAvg               [2][3]float64 // /proc/loadavg at the start and the end
	FirstAnswer           time.Duration // from starting the plugin to the first answered query
	Panels                []PanelResult
	AllLoaded             Latencies // every call of the loaded phase
	AfterFirst            Memory    // right after the first snapshot
	LoadedRSS             []int64   // samples during the loaded phase
	End                   Memory    // at the end (Peak: the process's highest)
	Before                map[string]int
	Cycles                []Cycle                  // complete refresh cycles
	LoadedCycles          []Cycle                  // the ones that started during the loaded phase
	Refused               []Call                   // refused or rate-limited calls
	Unread                []Call                   // answers the plugin stopped reading (it gave up: a timeout)
	Upstream              map[string]UpstreamStats // the plugin's own metrics of its calls to slurmrestd
	LoadStart, LoadEnd    time.Time
	Took                  time.Duration
}

// Run starts the stand-in and the plugin, measures, and stops both.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	started := time.Now()
	progress := func(format string, args ...any) {
		if cfg.Progress != nil {
			fmt.Fprintf(cfg.Progress, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
		}
	}
	res := &Result{Config: cfg}
	if cfg.Refresh == 0 {
		cfg.Refresh = cfg.Interval
		res.Refresh = cfg.Interval
	}
	url, token := cfg.Slurmrestd, cfg.Token
	var (
		standin *StandIn
		answers *Answers
	)
	if url == "" {
		progress("%s, %d jobs, %d nodes: preparing answers", cfg.Version, cfg.Jobs, cfg.Nodes)
		var err error
		if answers, err = PrepareAnswers(cfg.Fixtures, cfg.Cache, cfg.Version, cfg.Jobs, cfg.Nodes, !cfg.Compact); err != nil {
			return nil, err
		}
		res.JobsBytes, res.NodesBytes = answers.Size("jobs"), answers.Size("nodes")
		token = "load-generator-token-5c2e9a"
		if standin, err = StartStandIn(answers, token); err != nil {
			return nil, err
		}
		defer standin.Close()
		url = standin.URL()
	}
	res.LoadAvg[0] = loadAvg() // after generating the answers, which is not part of the run

	logTo := cfg.LogTo
	if logTo == nil {
		logTo = io.Discard
	}
	launched := time.Now()
	env := []string{"GF_VERSION=" + GrafanaVersion, "GF_EDITION=Open Source"}
	env = append(env, cfg.Env...)
	if cfg.PprofPort > 0 {
		env = append(env, "GF_PLUGIN_PROFILING_ENABLED=true", fmt.Sprintf("GF_PLUGIN_PROFILING_PORT=%d", cfg.PprofPort))
	}
	plugin, err := StartPlugin(cfg.Plugin, env, logTo)
	if err != nil {
		return nil, err
	}
	defer plugin.Stop()
	maxRSS := cfg.MaxRSS
	if maxRSS == 0 {
		maxRSS = 4 << 30
	}
	mem := newMemorySampler(plugin, maxRSS)
	defer mem.stop()

	g := Grafana{URL: url, APIVersion: cfg.Version, Token: token, Interval: cfg.Refresh, Updated: launched}
	res.Panels = make([]PanelResult, len(Dashboard))
	for i, p := range Dashboard {
		res.Panels[i].Name = p.Name
	}

	// The first query waits for the first refresh.
	progress("plugin pid %d started; first query (waits for the first refresh)", plugin.Pid())
	first, err := call(ctx, plugin, g, Dashboard[2], 0, 5*time.Minute, false)
	if err != nil || first.errText != "" {
		return nil, fmt.Errorf("the first query failed: %v %s", err, first.errText)
	}
	res.FirstAnswer = time.Since(launched)
	res.AfterFirst, _ = plugin.Memory()
	progress("first answer after %s; RSS %d MiB", res.FirstAnswer.Round(time.Millisecond), res.AfterFirst.RSS>>20)

	// One viewer, one query at a time, the panels in turn: whatever the
	// plugin does meanwhile (the collector after the first refresh, the next
	// refresh) falls on every panel alike, not on the first panel's samples.
	for s := 0; s < cfg.Samples; s++ {
		for i, p := range Dashboard {
			pr := &res.Panels[i]
			r, err := call(ctx, plugin, g, p, 0, 60*time.Second, s == 0)
			if err != nil {
				return nil, err
			}
			pr.Alone = append(pr.Alone, r.took)
			pr.RespSize = r.size
			if r.errText != "" {
				pr.Errors++
				pr.LastErr = r.errText
			} else if s == 0 {
				pr.Rows = r.rows
			}
		}
	}
	for i, p := range Dashboard {
		pr := &res.Panels[i]
		progress("alone  %-38s p50 %8s  p99 %8s  rows %d", p.Name, round(pr.Alone.Percentile(50)), round(pr.Alone.Percentile(99)), pr.Rows)
	}

	// Every viewer's dashboard refreshes once per interval, the viewers spread
	// evenly over the interval; each refresh sends every panel at once.
	progress("%d viewers x %d panels every %s for %s", cfg.Viewers, len(Dashboard), cfg.Interval, cfg.LoadFor)
	loadStart := time.Now()
	mem.mark()
	loaded := runViewers(ctx, plugin, g, cfg)
	res.LoadedRSS = mem.since()
	for _, l := range loaded {
		pr := &res.Panels[l.panel]
		pr.Loaded = append(pr.Loaded, l.took)
		res.AllLoaded = append(res.AllLoaded, l.took)
		if l.cancelled {
			pr.Cancelled++
		}
		if l.errText != "" {
			pr.Errors++
			pr.LastErr = l.errText
		}
	}
	res.End, _ = plugin.Memory()
	res.LoadAvg[1] = loadAvg()
	if mem.wasKilled() {
		return nil, fmt.Errorf("stopped the plugin: its RSS passed %d MiB (peak samples %d MiB)", maxRSS>>20, slices.Max(mem.since())>>20)
	}

	res.LoadStart, res.LoadEnd = loadStart, time.Now()
	if res.Upstream, err = plugin.Upstream(ctx); err != nil {
		return nil, fmt.Errorf("reading the plugin's metrics: %w", err)
	}
	if standin != nil {
		res.countCalls(standin.Calls(), answers, loadStart)
	}
	res.Took = time.Since(started)
	progress("done in %s: loaded p50 %s p99 %s; RSS steady %d MiB, peak %d MiB", res.Took.Round(time.Second),
		round(res.AllLoaded.Percentile(50)), round(res.AllLoaded.Percentile(99)), median(res.LoadedRSS)>>20, res.End.Peak>>20)
	return res, nil
}

// countCalls splits the stand-in's calls into refresh cycles and lists the
// refused ones and the answers the plugin did not read to the end.
func (res *Result) countCalls(calls []Call, answers *Answers, loadStart time.Time) {
	var cycles []Cycle
	res.Before, cycles = Cycles(calls)
	if len(cycles) > 0 {
		cycles = cycles[:len(cycles)-1] // the last one may still be running
	}
	res.Cycles = cycles
	for _, c := range cycles {
		if !c.Start.Before(loadStart) {
			res.LoadedCycles = append(res.LoadedCycles, c)
		}
	}
	for _, c := range calls {
		if c.Refusal != "" || c.RateLimited() {
			res.Refused = append(res.Refused, c)
		}
		if c.Status == 200 && c.Bytes < answers.Size(c.Endpoint) {
			res.Unread = append(res.Unread, c)
		}
	}
}

type answer struct {
	panel     int
	took      time.Duration
	cancelled bool // by the panel's next refresh: took is a lower bound
	errText   string
	rows      int
	size      int
}

// call sends one panel's query and times the gRPC call alone.
func call(ctx context.Context, plugin *Plugin, g Grafana, p Panel, viewer int, timeout time.Duration, countRows bool) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req := g.Request(p, viewer, time.Now())
	start := time.Now()
	resp, err := plugin.QueryData(ctx, req)
	a := answer{took: time.Since(start)}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			a.errText = "no answer within " + timeout.String()
			return a, nil
		}
		return a, fmt.Errorf("QueryData: %w", err)
	}
	r := resp.GetResponses()["A"]
	if r == nil {
		a.errText = "no answer for refId A"
		return a, nil
	}
	a.size = protoSize(r)
	if r.GetError() != "" {
		a.errText = fmt.Sprintf("status %d: %s", r.GetStatus(), r.GetError())
		return a, nil
	}
	if countRows {
		a.rows = firstFrameRows(r)
	}
	return a, nil
}

// runViewers is cfg.Viewers dashboards refreshing every cfg.Interval, spread
// evenly over the interval. Like Grafana, each refresh sends every panel at
// once, and a panel whose previous query is still running cancels it first
// (the frontend aborts the request and Grafana cancels the plugin call), so
// a viewer has at most one query per panel in flight.
func runViewers(ctx context.Context, plugin *Plugin, g Grafana, cfg Config) []answer {
	var (
		mu  sync.Mutex
		out []answer
		wg  sync.WaitGroup
	)
	deadline := time.Now().Add(cfg.LoadFor)
	for v := 0; v < cfg.Viewers; v++ {
		wg.Add(1)
		go func(v int) {
			defer wg.Done()
			offset := cfg.Interval * time.Duration(v) / time.Duration(cfg.Viewers)
			next := time.Now().Add(offset)
			inFlight := make([]context.CancelFunc, len(Dashboard))
			var panels sync.WaitGroup
			for next.Before(deadline) {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				for i, p := range Dashboard {
					if inFlight[i] != nil {
						inFlight[i]()
					}
					pctx, cancel := context.WithCancel(ctx)
					inFlight[i] = cancel
					panels.Add(1)
					go func(i int, p Panel) {
						defer panels.Done()
						defer cancel()
						a, err := call(pctx, plugin, g, p, v+1, time.Hour, false)
						switch {
						case pctx.Err() != nil:
							a.cancelled = true
						case err != nil:
							a.errText = err.Error()
						}
						a.panel = i
						mu.Lock()
						out = append(out, a)
						mu.Unlock()
					}(i, p)
				}
				next = next.Add(cfg.Interval)
			}
			panels.Wait()
		}(v)
	}
	wg.Wait()
	return out
}

// memorySampler reads the plugin's RSS every 250 ms.
type memorySampler struct {
	mu      sync.Mutex
	samples []int64
	from    int
	killed  bool // the plugin passed the RSS cap and was stopped
	done    chan struct{}
}

func newMemorySampler(p *Plugin, maxRSS int64) *memorySampler {
	m := &memorySampler{done: make(chan struct{})}
	go func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-t.C:
				if mem, err := p.Memory(); err == nil {
					m.mu.Lock()
					m.samples = append(m.samples, mem.RSS)
					if mem.RSS > maxRSS && !m.killed {
						m.killed = true
						p.Stop()
					}
					m.mu.Unlock()
				}
			}
		}
	}()
	return m
}

func (m *memorySampler) stop() { close(m.done) }

func (m *memorySampler) wasKilled() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.killed
}

// mark starts a new range of samples; since returns the samples after it.
func (m *memorySampler) mark() {
	m.mu.Lock()
	m.from = len(m.samples)
	m.mu.Unlock()
}

func (m *memorySampler) since() []int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.samples[m.from:])
}

func median(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func loadAvg() [3]float64 {
	var l [3]float64
	b, err := os.ReadFile("/proc/loadavg")
	if err == nil {
		_, _ = fmt.Sscanf(string(b), "%f %f %f", &l[0], &l[1], &l[2])
	}
	return l
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= 100*time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}

// protoSize is the size of one data response's frames on the wire.
func protoSize(r *pluginv2.DataResponse) int {
	n := 0
	for _, f := range r.GetFrames() {
		n += len(f)
	}
	return n
}

// firstFrameRows decodes the first frame (Arrow, as Grafana reads it).
func firstFrameRows(r *pluginv2.DataResponse) int {
	if len(r.GetFrames()) == 0 {
		return 0
	}
	f, err := data.UnmarshalArrowFrame(r.GetFrames()[0])
	if err != nil {
		return -1
	}
	return f.Rows()
}
