package plugin

import (
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestSlogRecordsReachTheSDKLogger(t *testing.T) {
	rec := newRecordingLogger()
	logger := newSlogLogger(rec).With("datasource", "uid1").WithGroup("req")
	logger.Warn("slurmrestd slow", "endpoint", "GET /slurm/v0.0.38/jobs", "attempt", 2)
	logger.Debug("detail")
	got := rec.text()
	for _, want := range []string{"warn slurmrestd slow", "datasource uid1", "req.endpoint GET /slurm/v0.0.38/jobs", "req.attempt 2", "debug detail"} {
		if !strings.Contains(got, want) {
			t.Errorf("log %q lacks %q", got, want)
		}
	}
	if !logger.Handler().Enabled(context.Background(), slog.LevelDebug) {
		t.Error("a debug-level SDK logger must enable debug records")
	}
}
