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

// redactingLogger is the logger of a data source instance: every message
// and every string, error or Stringer argument is redacted before the SDK
// logger sees it, so no log line of the plugin, pkg/cluster or pkg/slurm
// (which log through it) carries a secret, whatever an upstream repeated.
type redactingLogger struct {
	next log.Logger
	r    *redactor
}

func newRedactingLogger(next log.Logger, r *redactor) log.Logger {
	return &redactingLogger{next: next, r: r}
}

func (l *redactingLogger) args(in []any) []any {
	out := make([]any, len(in))
	for i, a := range in {
		switch v := a.(type) {
		case string:
			out[i] = l.r.String(v)
		case error:
			out[i] = l.r.String(v.Error())
		case fmt.Stringer:
			out[i] = l.r.String(v.String())
		default:
			out[i] = a
		}
	}
	return out
}

func (l *redactingLogger) Debug(msg string, args ...any) {
	l.next.Debug(l.r.String(msg), l.args(args)...)
}
func (l *redactingLogger) Info(msg string, args ...any) {
	l.next.Info(l.r.String(msg), l.args(args)...)
}
func (l *redactingLogger) Warn(msg string, args ...any) {
	l.next.Warn(l.r.String(msg), l.args(args)...)
}
func (l *redactingLogger) Error(msg string, args ...any) {
	l.next.Error(l.r.String(msg), l.args(args)...)
}
func (l *redactingLogger) Level() log.Level { return l.next.Level() }

func (l *redactingLogger) With(args ...any) log.Logger {
	return &redactingLogger{next: l.next.With(l.args(args)...), r: l.r}
}

func (l *redactingLogger) FromContext(ctx context.Context) log.Logger {
	return &redactingLogger{next: l.next.FromContext(ctx), r: l.r}
}
