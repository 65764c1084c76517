package cluster

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Metrics are the plugin's own Prometheus metrics about its calls to
// slurmrestd and the age of its snapshots. One Metrics serves every poller of
// the process; series carry the data source uid so that two data sources do
// not mix. Grafana scrapes them through the plugin's CollectMetrics (the SDK
// exposes the default registry), so production code registers with
// prometheus.DefaultRegisterer and tests with a registry of their own.
type Metrics struct {
	calls    *prometheus.CounterVec
	errors   *prometheus.CounterVec
	duration *prometheus.HistogramVec

	mu      sync.Mutex
	pollers map[*Poller]struct{}
}

// NewMetrics creates the metrics and registers them with reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hpc_slurm_upstream_calls_total",
			Help: "Calls made to slurmrestd, by data source and endpoint.",
		}, []string{"datasource", "endpoint"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hpc_slurm_upstream_errors_total",
			Help: "Failed calls to slurmrestd, by data source, endpoint and error kind.",
		}, []string{"datasource", "endpoint", "kind"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hpc_slurm_upstream_call_duration_seconds",
			Help:    "Duration of calls to slurmrestd, by data source and endpoint.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
		}, []string{"datasource", "endpoint"}),
		pollers: map[*Poller]struct{}{},
	}
	for _, c := range []prometheus.Collector{m.calls, m.errors, m.duration, ageCollector{m}} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe records one call to slurmrestd made for p. A nil *Metrics
// records nothing, and neither does a stopped poller: a call that ends after
// its data source was disposed (an accounting fetch, a health check) must
// not bring back the series that Stop removed, where nothing would ever
// remove them again.
func (m *Metrics) observe(p *Poller, endpoint string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, live := m.pollers[p]; !live {
		return
	}
	m.calls.WithLabelValues(p.name, endpoint).Inc()
	m.duration.WithLabelValues(p.name, endpoint).Observe(took.Seconds())
	if err != nil {
		m.errors.WithLabelValues(p.name, endpoint, errorKindLabel(err)).Inc()
	}
}

func errorKindLabel(err error) string {
	if k := slurm.KindOf(err); k != slurm.KindUnknown {
		return k.String()
	}
	return "other"
}

func (m *Metrics) add(p *Poller) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.pollers[p] = struct{}{}
	m.mu.Unlock()
}

// remove forgets a stopped poller and deletes its series, so that a deleted
// or reconfigured data source does not leave metrics behind. Grafana
// disposes a reconfigured instance a few seconds after it created the new
// one with the same uid: the series stay while such a successor lives.
func (m *Metrics) remove(p *Poller) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.pollers, p)
	for other := range m.pollers {
		if other.name == p.name {
			return
		}
	}
	labels := prometheus.Labels{"datasource": p.name}
	m.calls.DeletePartialMatch(labels)
	m.errors.DeletePartialMatch(labels)
	m.duration.DeletePartialMatch(labels)
}

var snapshotAgeDesc = prometheus.NewDesc(
	"hpc_slurm_snapshot_age_seconds",
	"Age of the data of each kind in the data source's snapshot (time since its last successful fetch).",
	[]string{"datasource", "kind"}, nil)

var snapshotStaleDesc = prometheus.NewDesc(
	"hpc_slurm_snapshot_stale",
	"1 when the data of a kind is stale (its last refresh failed or it is older than two intervals and a second).",
	[]string{"datasource", "kind"}, nil)

// ageCollector computes snapshot ages at scrape time, so the value is exact
// even while a poller is idle.
type ageCollector struct{ m *Metrics }

func (c ageCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- snapshotAgeDesc
	ch <- snapshotStaleDesc
}

func (c ageCollector) Collect(ch chan<- prometheus.Metric) {
	c.m.mu.Lock()
	pollers := make([]*Poller, 0, len(c.m.pollers))
	for p := range c.m.pollers {
		pollers = append(pollers, p)
	}
	c.m.mu.Unlock()
	for _, p := range pollers {
		snap := p.current.Load()
		if snap == nil {
			continue
		}
		now := p.clock.Now()
		for _, k := range Kinds() {
			f, _ := snap.freshness(k, now, p.interval, p.staleLimit)
			if f.FetchedAt.IsZero() {
				continue
			}
			stale := 0.0
			if f.Stale {
				stale = 1
			}
			ch <- prometheus.MustNewConstMetric(snapshotAgeDesc, prometheus.GaugeValue, f.Age.Seconds(), p.name, k.String())
			ch <- prometheus.MustNewConstMetric(snapshotStaleDesc, prometheus.GaugeValue, stale, p.name, k.String())
		}
	}
}
