// Command gpx_slurm is the backend of the hpc-slurm-datasource data source.
// Grafana starts it as a plugin process; all logic lives in pkg/plugin.
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

func main() {
	// Manage serves the plugin over gRPC until Grafana stops it, creating one
	// instance (slurm client + snapshot poller) per configured data source.
	if err := datasource.Manage(plugin.PluginID, plugin.NewDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("hpc-slurm-datasource stopped", "error", err.Error())
		os.Exit(1)
	}
}
