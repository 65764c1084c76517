// Command gpx_slurm is the backend of the hpc-slurm-datasource data source.
// Grafana starts it as a plugin process; all logic lives in pkg/plugin.
package main

import (
	"os"
	"runtime/debug"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

func main() {
	// The memory policy (memlimit.go): Go's collector pace (GOGC when set),
	// a soft memory limit that never stays below the live heap, and freed
	// memory returned at once.
	gc := "default (100)"
	if os.Getenv("GOGC") != "" {
		gc = "GOGC"
	}
	limit, set, source, err := memoryLimit(os.Getenv)
	if err != nil {
		log.DefaultLogger.Error("invalid memory limit", "error", err.Error())
	}
	keeper := &memoryKeeper{stats: heapStats, setLimit: debug.SetMemoryLimit, returnFree: debug.FreeOSMemory}
	if set {
		keeper.floor = limit
	}
	go keeper.keep()
	log.DefaultLogger.Info("memory policy", "softLimitMiB", limit>>20, "limitFrom", source, "gcPercentFrom", gc)
	// Manage serves the plugin over gRPC until Grafana stops it, creating one
	// instance (slurm client + snapshot poller) per configured data source.
	if err := datasource.Manage(plugin.PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("hpc-slurm-datasource stopped", "error", err.Error())
		os.Exit(1)
	}
}
