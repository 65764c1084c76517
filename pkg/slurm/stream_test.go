package slurm

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// wholeBodyJobs is the reference decoding: the whole body into the version's
// raw answer struct at once, then each job normalised.
func wholeBodyJobs(t *testing.T, version string, body []byte) (*JobsAnswer, *envelope) {
	t.Helper()
	raw := adapterFor(version).rawJobs()
	if err := decodeJSON(body, raw); err != nil {
		t.Fatalf("%s whole-body decode: %v", version, err)
	}
	in := newInterner()
	ans := &JobsAnswer{Jobs: []Job{}}
	var env *envelope
	switch r := raw.(type) {
	case *jobsV38:
		for i := range r.Jobs {
			ans.Jobs = append(ans.Jobs, r.Jobs[i].model(in))
		}
		env = &r.envelope
	case *jobsV39:
		for i := range r.Jobs {
			ans.Jobs = append(ans.Jobs, r.Jobs[i].model(in))
		}
		env = &r.envelope
	case *jobsV40:
		for i := range r.Jobs {
			ans.Jobs = append(ans.Jobs, r.Jobs[i].model(in))
		}
		ans.LastUpdate = r.LastUpdate.time()
		env = &r.envelope
	default:
		t.Fatalf("%s: raw jobs type %T has no reference decoding", version, raw)
	}
	return ans, env
}

// The streamed jobs decoder gives exactly what decoding the whole body gives,
// whatever the read sizes (one byte at a time exercises every refill path).
func TestStreamedJobsEqualBuffered(t *testing.T) {
	dirs := allFixtureDirs(t)
	n := 0
	for _, d := range dirs {
		a := adapterFor(d.Version)
		for name := range d.Manifest {
			if name != "jobs" && !strings.HasPrefix(name, "job_") {
				continue
			}
			body := d.body(t, name)
			want, wantEnv := wholeBodyJobs(t, d.Version, body)
			for _, r := range []io.Reader{bytes.NewReader(body), iotest.OneByteReader(bytes.NewReader(body)), iotest.HalfReader(bytes.NewReader(body))} {
				got, gotEnv, err := decodeJobsStream(a.jobElem, &nonEmptyReads{t: t, r: r}, 0)
				if err != nil {
					t.Fatalf("%s/%s/%s streamed: %v", d.Release, d.Version, name, err)
				}
				if !reflect.DeepEqual(got.Jobs, want.Jobs) || !got.LastUpdate.Equal(want.LastUpdate) {
					t.Fatalf("%s/%s/%s: streamed and buffered answers differ", d.Release, d.Version, name)
				}
				// Every recording is of the cluster "demo": v0.0.40+ say it in
				// meta, v0.0.38/39 in each job.
				if got.Cluster != "demo" {
					t.Errorf("%s/%s/%s: cluster %q, want \"demo\"", d.Release, d.Version, name, got.Cluster)
				}
				if !reflect.DeepEqual(gotEnv.Errors, wantEnv.Errors) || !reflect.DeepEqual(gotEnv.Warnings, wantEnv.Warnings) {
					t.Fatalf("%s/%s/%s: envelopes differ", d.Release, d.Version, name)
				}
			}
			n++
		}
	}
	if n < 80 {
		t.Errorf("only %d job answers compared", n)
	}
}

func TestStreamedAccountingEqualsBuffered(t *testing.T) {
	n := 0
	for _, d := range allFixtureDirs(t) {
		a := adapterFor(d.Version)
		for _, name := range []string{"slurmdb_jobs", "slurmdb_job", "slurmdb_job_failed"} {
			body := d.body(t, name)
			want, _, err := a.dbJobs(body)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := a.dbJobsStr(iotest.HalfReader(bytes.NewReader(body)), 0, defaultStreamOpts())
			if err != nil {
				t.Fatalf("%s/%s/%s: %v", d.Release, d.Version, name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s/%s/%s: streamed and buffered differ", d.Release, d.Version, name)
			}
			n++
		}
		// A long window's rows go through the parallel decode's workers
		// (stream_parallel.go): the same rows as one goroutine decodes.
		long := longAnswer(t, d.body(t, "slurmdb_jobs"), 250)
		want, _, err := a.dbJobsStr(bytes.NewReader(long), 0, streamOpts{workers: 1})
		if err != nil || len(want) != 250 {
			t.Fatalf("%s/%s long, one goroutine: %d rows, %v", d.Release, d.Version, len(want), err)
		}
		got, _, err := a.dbJobsStr(iotest.HalfReader(bytes.NewReader(long)), 0, streamOpts{workers: 3, batchBytes: 3000})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s/%s long: the workers' rows differ (%v)", d.Release, d.Version, err)
		}
	}
	if n < 30 {
		t.Errorf("only %d answers compared", n)
	}
}

func TestStreamRejectsBrokenAnswers(t *testing.T) {
	a := adapterFor("v0.0.45")
	for name, body := range map[string]string{
		"not an object":      `[1,2]`,
		"truncated in job":   `{"jobs":[{"job_id":1,"name":"x`,
		"truncated in array": `{"jobs":[{"job_id":1},`,
		"garbage element":    `{"jobs":[{"job_id":1},{"job_id":}]}`,
		"wrong element type": `{"jobs":[{"job_id":"one"}]}`,
		// A short answer is validated whole, members the model never reads included.
		"garbage in an unread member": `{"jobs":[{"job_id":1,"not_read":00"}]}`,
		"trailing garbage":            `{"jobs":[]} x`,
		"jobs not an array":           `{"jobs":{}}`,
		"member name":                 `{1:2}`,
	} {
		for _, r := range []io.Reader{strings.NewReader(body), iotest.OneByteReader(strings.NewReader(body))} {
			if _, _, err := decodeJobsStream(a.jobElem, r, 0); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
	}
	_, _, err := decodeJobsStream(a.jobElem, strings.NewReader(`{"jobs":[{"job_id":1,"name":"x`), 0)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncation is not ErrUnexpectedEOF: %v", err)
	}
	big := `{"jobs":[` + strings.Repeat(`{"job_id":1},`, 2000) + `{"job_id":2}]}`
	_, _, err = decodeJobsStream(a.jobElem, strings.NewReader(big), 1000)
	if !errors.Is(err, errTooLarge) {
		t.Errorf("cap not enforced: %v", err)
	}
	ans, _, err := decodeJobsStream(a.jobElem, strings.NewReader(big), int64(len(big)))
	if err != nil || len(ans.Jobs) != 2001 {
		t.Errorf("a body of exactly the cap: %v", err)
	}
}

// The streamed jobs path through the client: truncation is retried and then
// Malformed, the cap is TooLarge, a stall is Timeout, bad JSON is not retried.
func TestJobsStreamFaults(t *testing.T) {
	body := fixtureDirFor(t, "26.05.3", "v0.0.45").body(t, "jobs")
	t.Run("truncated", func(t *testing.T) {
		var attempts atomic.Int32
		srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
			attempts.Add(1)
			hijackWrite(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999\r\n\r\n"+string(body[:len(body)/2]))
		})
		c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
		_, err := c.Jobs(ctx, time.Time{})
		wantKind(t, err, Malformed, http.StatusOK)
		eq(t, "attempts", attempts.Load(), int32(3))
	})
	t.Run("cap", func(t *testing.T) {
		srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) })
		c := faultClient(t, srv.URL, func(c *Config) { c.MaxBodyBytes = int64(len(body) / 3) })
		_, err := c.Jobs(ctx, time.Time{})
		wantKind(t, err, TooLarge, http.StatusOK)
	})
	t.Run("stall", func(t *testing.T) {
		srv := newStallServer(t, func(w http.ResponseWriter) {
			_, _ = w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
		})
		c := faultClient(t, srv.URL, func(c *Config) { c.Timeout = 150 * time.Millisecond; c.MaxRetries = -1 })
		_, err := c.Jobs(ctx, time.Time{})
		wantKind(t, err, Timeout, http.StatusOK)
	})
	t.Run("invalid JSON is not retried", func(t *testing.T) {
		var attempts atomic.Int32
		srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
			attempts.Add(1)
			_, _ = w.Write([]byte(`{"jobs":[{"job_id":"x"}],"errors":[]}`))
		})
		c := faultClient(t, srv.URL, nil)
		_, err := c.Jobs(ctx, time.Time{})
		wantKind(t, err, Malformed, http.StatusOK)
		eq(t, "attempts", attempts.Load(), int32(1))
	})
}

// nonEmptyReads fails the test when the window asks to read into an empty
// slice (a full buffer): most readers answer that with (0, nil), which would
// never make progress.
type nonEmptyReads struct {
	t *testing.T
	r io.Reader
}

func (n *nonEmptyReads) Read(p []byte) (int, error) {
	if len(p) == 0 {
		n.t.Error("Read called with an empty buffer")
		return 0, io.ErrNoProgress
	}
	return n.r.Read(p)
}

// stuckReader hands out r and then answers (0, nil) for ever, as a broken
// io.Reader may.
type stuckReader struct {
	r     io.Reader
	empty int
}

func (s *stuckReader) Read(p []byte) (int, error) {
	if s.r != nil {
		n, err := s.r.Read(p)
		if err == io.EOF {
			s.r = nil
			err = nil
		}
		return n, err
	}
	s.empty++
	return 0, nil
}

// A reader that stops making progress ends the stream with io.ErrNoProgress
// instead of spinning the decoder on one core for ever; a body that ends early
// with io.ErrUnexpectedEOF (Content-Length not reached) is reported at once.
func TestStreamEndsOnReaderWithoutProgress(t *testing.T) {
	a := adapterFor("v0.0.45")
	body := string(fixtureDirFor(t, "26.05.3", "v0.0.45").body(t, "jobs"))
	for _, cut := range []int{0, 5, 100, len(body) / 2, len(body) - 3} {
		sr := &stuckReader{r: strings.NewReader(body[:cut])}
		var err error
		clustertest.Within(t, 10*time.Second, "decoding from a reader without progress", func() {
			_, _, err = decodeJobsStream(a.jobElem, sr, 0)
		})
		if !errors.Is(err, io.ErrNoProgress) {
			t.Errorf("cut %d: %v, want io.ErrNoProgress", cut, err)
		}
		if sr.empty > maxEmptyReads {
			t.Errorf("cut %d: %d empty reads before giving up", cut, sr.empty)
		}
		clustertest.Within(t, 10*time.Second, "decoding a body cut short", func() {
			_, _, err = decodeJobsStream(a.jobElem, io.MultiReader(strings.NewReader(body[:cut]), iotest.ErrReader(io.ErrUnexpectedEOF)), 0)
		})
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("cut %d: %v, want io.ErrUnexpectedEOF", cut, err)
		}
	}
}
