package plugin

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// sdkHandler forwards slog records (from pkg/slurm and pkg/cluster, which do
// not import the SDK) to the SDK's logger, which Grafana collects from the
// plugin process.
type sdkHandler struct {
	logger log.Logger
	attrs  []any
	group  string
}

func newSlogLogger(l log.Logger) *slog.Logger { return slog.New(&sdkHandler{logger: l}) }

func (h *sdkHandler) Enabled(_ context.Context, level slog.Level) bool {
	switch h.logger.Level() {
	case log.Trace, log.Debug:
		return true
	case log.Info:
		return level >= slog.LevelInfo
	case log.Warn:
		return level >= slog.LevelWarn
	default:
		return level >= slog.LevelError
	}
}

func (h *sdkHandler) Handle(_ context.Context, r slog.Record) error {
	args := make([]any, 0, len(h.attrs)+2*r.NumAttrs())
	args = append(args, h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		args = append(args, h.key(a.Key), fmt.Sprint(a.Value.Resolve().Any()))
		return true
	})
	switch {
	case r.Level >= slog.LevelError:
		h.logger.Error(r.Message, args...)
	case r.Level >= slog.LevelWarn:
		h.logger.Warn(r.Message, args...)
	case r.Level >= slog.LevelInfo:
		h.logger.Info(r.Message, args...)
	default:
		h.logger.Debug(r.Message, args...)
	}
	return nil
}

func (h *sdkHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	next := *h
	next.attrs = append([]any(nil), h.attrs...)
	for _, a := range attrs {
		next.attrs = append(next.attrs, h.key(a.Key), fmt.Sprint(a.Value.Resolve().Any()))
	}
	return &next
}

func (h *sdkHandler) WithGroup(name string) slog.Handler {
	next := *h
	next.group = strings.Trim(h.group+"."+name, ".")
	return &next
}

func (h *sdkHandler) key(k string) string {
	if h.group == "" {
		return k
	}
	return h.group + "." + k
}
