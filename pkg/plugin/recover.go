package plugin

import (
	"fmt"
	"runtime/debug"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// recovered turns a panic in a handler into an error and a log line with the
// stack. The SDK does not recover panics: one would end the plugin process
// and every data source in it.
func recovered(logger log.Logger, where string, r any) error {
	if logger == nil {
		logger = log.DefaultLogger
	}
	logger.Error("recovered from a panic", "handler", where, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
	return fmt.Errorf("internal error in the Slurm data source while handling %s; the plugin log has the details", where)
}
