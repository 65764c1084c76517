package deploy

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// scrapeConfig is the part of a Prometheus scrape job these checks read.
type scrapeConfig struct {
	JobName       string `yaml:"job_name"`
	MetricsPath   string `yaml:"metrics_path"`
	StaticConfigs []struct {
		Targets []string          `yaml:"targets"`
		Labels  map[string]string `yaml:"labels"`
	} `yaml:"static_configs"`
	RelabelConfigs []struct {
		SourceLabels []string `yaml:"source_labels"`
		TargetLabel  string   `yaml:"target_label"`
		Replacement  string   `yaml:"replacement"`
	} `yaml:"relabel_configs"`
	MetricRelabelConfigs []struct {
		SourceLabels []string `yaml:"source_labels"`
		Regex        string   `yaml:"regex"`
		TargetLabel  string   `yaml:"target_label"`
	} `yaml:"metric_relabel_configs"`
}

// targets lists the static targets of the job.
func (sc scrapeConfig) targets() []string {
	var out []string
	for _, st := range sc.StaticConfigs {
		out = append(out, st.Targets...)
	}
	return out
}

// addresses are the host:port Prometheus connects to: the static targets, unless a relabelling
// rule sets __address__ to a fixed replacement (one exporter scraped once per node).
func (sc scrapeConfig) addresses() []string {
	for _, r := range sc.RelabelConfigs {
		if r.TargetLabel == "__address__" && len(r.SourceLabels) == 0 && r.Replacement != "" {
			return []string{r.Replacement}
		}
	}
	return sc.targets()
}

// instanceIsTarget says whether the job names each scrape after its static target (the node).
func (sc scrapeConfig) instanceIsTarget() bool {
	for _, r := range sc.RelabelConfigs {
		if r.TargetLabel == "instance" && (slices.Equal(r.SourceLabels, []string{"__address__"}) ||
			slices.Equal(r.SourceLabels, []string{"__param_target"})) {
			return true
		}
	}
	return false
}

func loadScrapeConfigs(t *testing.T, file string) map[string]scrapeConfig {
	t.Helper()
	var cfg struct {
		ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
	}
	readYAML(t, file, &cfg)
	out := map[string]scrapeConfig{}
	for _, sc := range cfg.ScrapeConfigs {
		out[sc.JobName] = sc
	}
	return out
}

// The stack's six Slurm nodes share one host (and one node_exporter), so both Prometheus configs
// scrape node_exporter and each simulated exporter once per Slurm node, named after the node, and
// make node_uname_info carry the node's name in nodename (the app's default mapping joins on it).
// The local stack and the demo scrape the same jobs.
func TestPrometheusScrapesEachSlurmNodeUnderItsName(t *testing.T) {
	nodes := []string{"node01", "node02", "node03", "node04", "node05", "node06"}
	local := loadScrapeConfigs(t, "prometheus/prometheus.yml")
	compose := loadScrapeConfigs(t, "prometheus/prometheus.compose.yml")
	jobs := func(m map[string]scrapeConfig) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	if !slices.Equal(jobs(local), jobs(compose)) {
		t.Errorf("the local stack scrapes jobs %v, the demo %v", jobs(local), jobs(compose))
	}
	for file, cfg := range map[string]map[string]scrapeConfig{"prometheus.yml": local, "prometheus.compose.yml": compose} {
		for _, job := range []string{"node", "ipmi", "cgroup", "dcgm"} {
			sc, ok := cfg[job]
			if !ok {
				t.Errorf("%s: no job %s", file, job)
				continue
			}
			got := sc.targets()
			sort.Strings(got)
			want := nodes
			if job == "dcgm" {
				want = []string{"node05", "node06"} // the GPU nodes
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: job %s scrapes %v, want one target per node %v", file, job, got, want)
			}
			if !sc.instanceIsTarget() || len(sc.addresses()) != 1 {
				t.Errorf("%s: job %s must name each scrape (instance) after its node and send it to one exporter", file, job)
			}
		}
		renamed := false
		for _, r := range cfg["node"].MetricRelabelConfigs {
			if r.TargetLabel == "nodename" && slices.Equal(r.SourceLabels, []string{"__name__", "instance"}) &&
				strings.HasPrefix(r.Regex, "node_uname_info;") {
				renamed = true
			}
		}
		if !renamed {
			t.Errorf("%s: job node does not set node_uname_info's nodename to the node's name", file)
		}
		partitions := map[string]string{}
		for _, st := range cfg["ipmi"].StaticConfigs {
			for _, n := range st.Targets {
				partitions[n] = st.Labels["partition"]
			}
		}
		for _, n := range nodes {
			want := "cpu"
			if n == "node05" || n == "node06" {
				want = "gpu"
			}
			if partitions[n] != want {
				t.Errorf("%s: ipmi target %s has partition %q, want %q (Power per Slurm partition sums by it)", file, n, partitions[n], want)
			}
		}
		if sc := cfg["grafana-hpc-slurm-datasource"]; sc.MetricsPath != "/metrics/plugins/hpc-slurm-datasource" {
			t.Errorf("%s: the Slurm data source's metrics (/metrics/plugins/hpc-slurm-datasource) are not scraped", file)
		}
	}
}
