package load

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// StandIn answers in slurmrestd's place for the load generator: the synthetic
// answers of Answers, behind slurmrestd's authentication, refusing the query
// strings the recorded slurmrestd of that release refuses
// (pkg/slurm/testdata/slurmrestd/query-strings.md) and enforcing Slurm's
// default per-user rate limit. It records every call, so that the calls per
// endpoint and per refresh, and how long each refresh took, can be counted.
//
// It always answers the whole job list, whatever update_time says: on a
// cluster of 100k jobs something changes between two refreshes, so every
// refresh pays for the full answer (the worst case, and the usual one).
type StandIn struct {
	answers *Answers
	token   string
	rules   *clustertest.Rules
	limiter *rateLimiter
	now     func() time.Time

	ln  net.Listener
	srv *http.Server

	mu       sync.Mutex
	idle     *sync.Cond // signalled when no request is being answered
	inFlight int
	calls    []Call
}

// Call is one request the stand-in answered.
type Call struct {
	Endpoint string // "jobs", "nodes", "partitions", "reservations", "diag", "ping", "openapi", "slurmdb_jobs", …
	User     string // X-SLURM-USER-NAME
	Query    string
	Status   int
	Start    time.Time
	End      time.Time // when the last byte of the answer was handed to the connection
	Bytes    int64
	Refusal  string // why a query string was refused, or would be answered wrongly ("" when accepted)
}

// RateLimited tells that Slurm's rate limit refused the call.
func (c Call) RateLimited() bool { return c.Status == http.StatusTooManyRequests }

// StartStandIn serves a on a loopback port. Requests must carry token.
func StartStandIn(a *Answers, token string) (*StandIn, error) {
	rules, err := clustertest.LoadRules(a.Fixtures)
	if err != nil {
		return nil, fmt.Errorf("reading the recorded query-string answers: %w", err)
	}
	if !rules.Has(a.Release, a.Version) {
		return nil, fmt.Errorf("the query-string recording does not cover %s %s", a.Release, a.Version)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &StandIn{answers: a, token: token, rules: rules, limiter: newRateLimiter(RateBurst, RatePerSecond), now: time.Now, ln: ln}
	s.idle = sync.NewCond(&s.mu)
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the base URL to configure the data source with.
func (s *StandIn) URL() string { return "http://" + s.ln.Addr().String() }

// Close stops serving.
func (s *StandIn) Close() { _ = s.srv.Close() }

// Calls returns every call answered so far, in the order they ended. It
// waits for the answers being written (a client may have read an answer
// before its handler returned).
func (s *StandIn) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.inFlight > 0 {
		s.idle.Wait()
	}
	return slices.Clone(s.calls)
}

func (s *StandIn) endpointOf(path string) string {
	v := s.answers.Version
	switch {
	case path == "/openapi/v3":
		return "openapi"
	case strings.HasPrefix(path, "/slurm/"+v+"/"):
		return strings.TrimPrefix(path, "/slurm/"+v+"/")
	case strings.HasPrefix(path, "/slurmdb/"+v+"/"):
		return "slurmdb_" + strings.TrimPrefix(path, "/slurmdb/"+v+"/")
	}
	return path
}

// ServeHTTP implements http.Handler.
func (s *StandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	call := Call{Endpoint: s.endpointOf(r.URL.Path), User: r.Header.Get("X-SLURM-USER-NAME"), Query: r.URL.RawQuery, Start: s.now()}
	cw := &countingWriter{ResponseWriter: w}
	s.mu.Lock()
	s.inFlight++
	s.mu.Unlock()
	defer func() {
		call.End, call.Status, call.Bytes = s.now(), cw.status, cw.bytes
		s.mu.Lock()
		s.calls = append(s.calls, call)
		s.inFlight--
		if s.inFlight == 0 {
			s.idle.Broadcast()
		}
		s.mu.Unlock()
	}()
	// slurmrestd's answer without valid authentication (error_no_auth_headers.txt).
	if call.User == "" || r.Header.Get("X-SLURM-USER-TOKEN") != s.token {
		cw.Header().Set("Content-Type", "text/plain")
		cw.WriteHeader(http.StatusUnauthorized)
		_, _ = cw.Write([]byte("Authentication failure"))
		return
	}
	if !s.limiter.allow(call.User, call.Start) {
		// slurmctld answers SLURMCTLD_COMMUNICATIONS_BACKOFF (1804) to an RPC over
		// the user's limit; the stand-in says so with 429, so that any call over
		// the limit is visible in the counts.
		writeJSON(cw, http.StatusTooManyRequests, errorBody(1804, "Rate limit exceeded, please retry momentarily"))
		return
	}
	if r.Method != http.MethodGet {
		writeJSON(cw, http.StatusMethodNotAllowed, errorBody(9001, "the load stand-in serves reads only"))
		return
	}
	path, ok := s.answers.Files[call.Endpoint]
	if !ok {
		cw.WriteHeader(http.StatusNotFound)
		return
	}
	if call.Endpoint != "openapi" {
		d := s.rules.Decide(s.answers.Release, s.answers.Version, r.URL.Path, r.URL.RawQuery)
		if d.Verdict != clustertest.Accepted {
			call.Refusal = d.String()
			if d.Verdict != clustertest.Wrong {
				refuse(cw, d, call.Endpoint)
				return
			}
		}
	}
	serveFile(cw, path)
}

func refuse(w http.ResponseWriter, d clustertest.Decision, endpoint string) {
	if d.Verdict == clustertest.Fatal {
		// slurmrestd exits: the connection drops without an answer.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	if d.Text != "" {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(d.Status)
		_, _ = w.Write([]byte(d.Text))
		return
	}
	listKey := map[string]string{"jobs": "jobs", "nodes": "nodes", "slurmdb_jobs": "jobs"}[endpoint]
	writeJSON(w, d.Status, d.JSONBody(listKey, nil))
}

func serveFile(w http.ResponseWriter, path string) {
	f, err := os.Open(path) // #nosec G304 -- one of the stand-in's own answer files
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorBody(9000, err.Error()))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, errorBody(9000, err.Error()))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(st.Size()))
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, f) // sendfile(2) on a TCP connection: the stand-in costs little CPU
}

func errorBody(number int, text string) []byte {
	b, _ := json.Marshal(map[string]any{
		"errors":   []map[string]any{{"error_number": number, "error": text, "description": text, "source": "slurmctld"}},
		"warnings": []any{},
	})
	return b
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// countingWriter records the status and the bytes of an answer. It passes
// ReadFrom through so that serving a file still uses sendfile(2).
type countingWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (c *countingWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *countingWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(b)
	c.bytes += int64(n)
	return n, err
}

func (c *countingWriter) ReadFrom(r io.Reader) (int64, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.(io.ReaderFrom).ReadFrom(r)
	c.bytes += n
	return n, err
}

// Hijack lets a Fatal verdict drop the connection like an exiting slurmrestd.
func (c *countingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return c.ResponseWriter.(http.Hijacker).Hijack()
}
