package plugin

import (
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

// The process has one set of metrics shared by all data source instances,
// registered with the default registry that the SDK serves to Grafana
// (CollectMetrics); series are labelled with the data source uid.
var (
	metricsOnce   sync.Once
	sharedMetrics *cluster.Metrics
)

func processMetrics() *cluster.Metrics {
	metricsOnce.Do(func() {
		m, err := cluster.NewMetrics(prometheus.DefaultRegisterer)
		if err != nil {
			// Only possible if something else registered the same names; the
			// plugin keeps working without its own metrics.
			log.DefaultLogger.Warn("hpc-slurm-datasource metrics not registered", "error", err.Error())
			return
		}
		sharedMetrics = m
	})
	return sharedMetrics
}
