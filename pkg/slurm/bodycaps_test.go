package slurm

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestEndpointCaps(t *testing.T) {
	for path, want := range map[string]int64{
		"/openapi/v3":                   16 << 20,
		"/slurm/v0.0.45/ping":           1 << 20,
		"/slurm/v0.0.38/diag":           1 << 20,
		"/slurm/v0.0.45/nodes":          48 << 20,
		"/slurm/v0.0.45/node/n01":       48 << 20,
		"/slurm/v0.0.45/partitions":     8 << 20,
		"/slurm/v0.0.45/reservations":   8 << 20,
		"/slurm/v0.0.45/shares":         32 << 20,
		"/slurmdb/v0.0.45/qos":          32 << 20,
		"/slurmdb/v0.0.45/associations": 64 << 20,
		"/slurm/v0.0.45/job/123":        32 << 20,
		"/slurm/v0.0.45/partition/cpu":  32 << 20,
	} {
		if got := endpointCap(path); got != want {
			t.Errorf("%s: cap %d, want %d", path, got, want)
		}
	}
}

// An announced Content-Length beyond the cap is refused before a byte of
// the body is read: the server here never sends one, so reading would end
// in a timeout instead.
func TestAnnouncedLengthBeyondTheCapIsRefusedUnread(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	srv := newPlainServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(200_000_000))
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-release
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1; c.Timeout = 20 * time.Second })
	_, err := c.Nodes(context.Background())
	se := wantKind(t, err, TooLarge, http.StatusOK)
	if !strings.Contains(se.Error(), "announced 200000000 bytes, cap 50331648") {
		t.Errorf("error %q does not say what was announced and allowed", se)
	}
}

// Without a length, the body is read up to the endpoint's cap and no further.
func TestChunkedBodyBeyondTheCapIsCutAtTheCap(t *testing.T) {
	srv := newPlainServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for range 64 { // 4 MiB, chunked
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	_, err := c.Ping(context.Background())
	se := wantKind(t, err, TooLarge, http.StatusOK)
	if !strings.Contains(se.Error(), "more than 1048576 bytes") {
		t.Errorf("error %q does not name ping's 1 MiB cap", se)
	}
}

// A streamed answer keeps one job at a time: a single job beyond 32 MiB or
// other members beyond 4 MiB are refused rather than buffered.
func TestStreamedAnswersBoundEachValue(t *testing.T) {
	huge := strings.Repeat("x", 40<<20)
	for name, body := range map[string]string{
		"one huge job":  `{"jobs":[{"job_id":1,"comment":"` + huge + `"}],"errors":[],"warnings":[]}`,
		"a huge member": `{"meta":{"x":"` + huge[:5<<20] + `"},"jobs":[],"errors":[],"warnings":[]}`,
		"many members":  `{"a":"` + huge[:3<<20] + `","b":"` + huge[:3<<20] + `","jobs":[]}`,
	} {
		srv := newPlainServer(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
		// No short deadline: under load, reading 40 MB must not end as a Timeout.
		c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1; c.Timeout = time.Minute })
		_, err := c.Jobs(context.Background(), time.Time{})
		if KindOf(err) != TooLarge {
			t.Errorf("%s: got %v, want TooLarge", name, err)
		}
	}
}
