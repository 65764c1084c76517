package load

import (
	"bytes"
	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// UpstreamStats is what the plugin's own metrics say about its calls to one
// slurmrestd endpoint (hpc_slurm_upstream_*), as Grafana scrapes them.
type UpstreamStats struct {
	Calls   float64
	Errors  float64
	Seconds float64 // total time of the calls
}

// Mean is the mean duration of a call in seconds (0 without calls).
func (u UpstreamStats) Mean() float64 {
	if u.Calls == 0 {
		return 0
	}
	return u.Seconds / u.Calls
}

// Upstream reads the plugin's metrics through CollectMetrics, as Grafana
// does, and sums its calls to slurmrestd by endpoint.
func (p *Plugin) Upstream(ctx context.Context) (map[string]UpstreamStats, error) {
	resp, err := p.diag.CollectMetrics(ctx, &pluginv2.CollectMetricsRequest{})
	if err != nil {
		return nil, err
	}
	return parseUpstream(resp.GetMetrics().GetPrometheus())
}

func parseUpstream(text []byte) (map[string]UpstreamStats, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("the plugin's metrics: %w", err)
	}
	out := map[string]UpstreamStats{}
	endpoint := func(labels []*dto.LabelPair) string {
		for _, l := range labels {
			if l.GetName() == "endpoint" {
				return l.GetValue()
			}
		}
		return ""
	}
	// add adds each endpoint's value of one family to its stats.
	add := func(family string, value func(*dto.Metric) float64, to func(*UpstreamStats) *float64) {
		for _, m := range families[family].GetMetric() {
			e := endpoint(m.GetLabel())
			s := out[e]
			*to(&s) += value(m)
			out[e] = s
		}
	}
	add("hpc_slurm_upstream_calls_total", func(m *dto.Metric) float64 { return m.GetCounter().GetValue() },
		func(s *UpstreamStats) *float64 { return &s.Calls })
	add("hpc_slurm_upstream_errors_total", func(m *dto.Metric) float64 { return m.GetCounter().GetValue() },
		func(s *UpstreamStats) *float64 { return &s.Errors })
	add("hpc_slurm_upstream_call_duration_seconds", func(m *dto.Metric) float64 { return m.GetHistogram().GetSampleSum() },
		func(s *UpstreamStats) *float64 { return &s.Seconds })
	return out, nil
}
