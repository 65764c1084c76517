// Package clustertest serves the real recorded slurmrestd answers of
// pkg/slurm/testdata/slurmrestd over HTTP for tests, and injects the faults a
// real slurmrestd cannot produce on demand (5xx storms, truncated bodies,
// stalls, oversized bodies, a killed process). Only tests import it.
package clustertest

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Token is the token the test clients send; Server rejects requests without it.
const Token = "clustertest-token-9f8e7d6c5b4a39281706"

// User is the Slurm user the test clients send.
const User = "grafana"

// Fault is what the server does instead of answering normally.
type Fault int

// The faults.
const (
	None      Fault = iota
	Status500       // HTTP 500 with a real slurmrestd error body (error 7000)
	Truncated       // HTTP 200 with the first half of the body
	Stall           // no answer until the client gives up (or StallFor passes)
	Oversize        // HTTP 200 with a valid body padded to OversizeBytes
	NoAuth          // HTTP 401 "Authentication failure" as slurmrestd says without valid auth
	BadToken        // HTTP 511 with the recorded "Protocol authentication error" body
)

// OversizeBytes is the size of an Oversize body; clients in tests cap below it.
const OversizeBytes = 1 << 20

// FixturesRoot returns pkg/slurm/testdata/slurmrestd (the recorded answers of
// Slurm 23.11, 25.05 and 26.05), failing the test with a clear message when it
// is absent.
func FixturesRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("clustertest: cannot locate its own source file to find the recorded answers")
	}
	// file is <repo>/internal/clustertest/server.go
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	root := filepath.Join(repo, "pkg", "slurm", "testdata", "slurmrestd")
	if _, err := os.Stat(filepath.Join(root, "README.md")); err != nil {
		t.Fatalf("the recorded slurmrestd answers are missing: expected them at %s: %v", root, err)
	}
	return root
}

// Server answers like one slurmrestd serving one recorded API version.
type Server struct {
	t        testing.TB
	dir      string // <root>/<release>/<version>
	release  string // <root>/<release>
	version  string
	files    map[string][]byte // endpoint name → body
	jobsLast int64             // last_update of jobs.json, 0 when absent

	fault        atomic.Int64
	stallFor     atomic.Int64 // nanoseconds; 0: until the client gives up
	trickleEvery atomic.Int64 // nanoseconds between two bytes of a Trickle answer
	hugeBytes    atomic.Int64 // size of a Huge answer
	inFlight     atomic.Int64 // requests being answered now
	maxInFlight  atomic.Int64 // the most ever answered at once

	jwtKey atomic.Pointer[[]byte] // SetJWTKey (jwt.go)

	mu       sync.Mutex
	addr     string
	srv      *http.Server
	counts   map[string]int
	jobsSeen []string    // raw query of every /jobs request
	jobsAt   []time.Time // arrival time of every /jobs request
	started  chan string
	closed   bool
	gate     chan struct{}       // Held requests wait for it to close
	tokens   map[string]struct{} // every token received
	openapi  []byte              // /openapi/v3 after ServeVersion; nil: the recorded one

	actions     map[string][]recordedAction // actions.go
	actionCount int
}

// Start serves <release>/<version> of the fixtures on a loopback port.
func Start(t testing.TB, release, version string) *Server {
	t.Helper()
	return StartIn(t, FixturesRoot(t), release, version)
}

// StartIn serves <root>/<release>/<version>: the project's own recordings
// (pkg/slurm/testdata/22.05.8) as well as the delivered ones.
func StartIn(t testing.TB, root, release, version string) *Server {
	t.Helper()
	s := &Server{
		t:       t,
		dir:     filepath.Join(root, release, version),
		release: filepath.Join(root, release),
		version: version,
		files:   map[string][]byte{},
		counts:  map[string]int{},
		started: make(chan string, 1024),
		tokens:  map[string]struct{}{},
	}
	for _, name := range []string{"ping", "jobs", "nodes", "partitions", "reservations", "diag", "licenses", "shares", "slurmdb_jobs", "slurmdb_qos", "slurmdb_associations", "error_bad_token"} {
		b, err := os.ReadFile(filepath.Join(s.dir, name+".json"))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			t.Fatalf("clustertest: reading fixture %s: %v", name, err)
		}
		s.files[name] = b
	}
	// A real HTTP 500 of slurmrestd: 23.11.11 answered error 7000 "Unable to
	// connect to database" with status 500 (see the fixtures' README).
	serverError, err := os.ReadFile(filepath.Join(FixturesRoot(t), "23.11.11", "v0.0.40", "error_bad_token.json"))
	if err != nil {
		t.Fatalf("clustertest: reading the recorded HTTP 500 body: %v", err)
	}
	s.files["server_error"] = serverError
	if _, ok := s.files["jobs"]; !ok {
		t.Fatalf("clustertest: %s has no jobs.json", s.dir)
	}
	s.jobsLast = lastUpdate(s.files["jobs"])
	s.loadActions()
	s.listen()
	t.Cleanup(s.Close)
	return s
}

// lastUpdate reads last_update (a plain int or a {number} object).
func lastUpdate(body []byte) int64 {
	var top struct {
		LastUpdate json.RawMessage `json:"last_update"`
	}
	if json.Unmarshal(body, &top) != nil || len(top.LastUpdate) == 0 {
		return 0
	}
	var n int64
	if json.Unmarshal(top.LastUpdate, &n) == nil {
		return n
	}
	var w struct {
		Number int64 `json:"number"`
	}
	if json.Unmarshal(top.LastUpdate, &w) == nil {
		return w.Number
	}
	return 0
}

func (s *Server) listen() {
	s.mu.Lock()
	defer s.mu.Unlock()
	addr := s.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	// The port of a killed server may take a moment to be free again.
	for try := 0; try < 50; try++ {
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("clustertest: listen on %s: %v", addr, err)
	}
	s.addr = ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go func(srv *http.Server) { _ = srv.Serve(ln) }(s.srv)
}

// URL is the base URL to configure the client with.
func (s *Server) URL() string { return "http://" + s.Addr() }

// Addr is host:port.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// SetFault switches the server's behaviour for every following request.
func (s *Server) SetFault(f Fault) {
	if f == Held {
		s.mu.Lock()
		if s.gate == nil {
			s.gate = make(chan struct{})
		}
		s.mu.Unlock()
	}
	s.fault.Store(int64(f))
}

// SetStallFor bounds a Stall (0: until the client disconnects).
func (s *Server) SetStallFor(d time.Duration) { s.stallFor.Store(int64(d)) }

// Replace rewrites the body of one endpoint ("ping", "jobs", ...) for the
// rest of the test: for states the recordings do not hold (a controller
// DOWN), changing only what the test is about.
func (s *Server) Replace(endpoint string, rewrite func([]byte) []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[endpoint] = rewrite(s.files[endpoint])
}

// Kill stops the server like a killed process: the listener closes and every
// open connection, including requests in progress, is cut.
func (s *Server) Kill() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// Restart listens again on the same address after Kill.
func (s *Server) Restart() { s.listen() }

// Close stops the server for good.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.Kill()
}

// Count returns how many requests reached an endpoint ("jobs", "nodes", ...).
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[endpoint]
}

// JobsQueries returns the raw query strings of every /jobs request.
func (s *Server) JobsQueries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.jobsSeen...)
}

// JobsTimes returns when each /jobs request arrived.
func (s *Server) JobsTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.jobsAt...)
}

// Started delivers the endpoint name of each request as it arrives.
func (s *Server) Started() <-chan string { return s.started }

// endpointOf maps /slurm/vX/jobs to "jobs", /slurmdb/vX/jobs to "slurmdb_jobs".
func (s *Server) endpointOf(path string) string {
	s.mu.Lock()
	version := s.version
	s.mu.Unlock()
	switch {
	case path == "/openapi/v3":
		return "openapi"
	case strings.HasPrefix(path, "/slurm/"+version+"/"):
		return strings.TrimPrefix(path, "/slurm/"+version+"/")
	case strings.HasPrefix(path, "/slurmdb/"+version+"/"):
		return "slurmdb_" + strings.TrimPrefix(path, "/slurmdb/"+version+"/")
	}
	return ""
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.track()()
	endpoint := s.endpointOf(r.URL.Path)
	s.mu.Lock()
	s.counts[endpoint]++
	if tok := r.Header.Get("X-SLURM-USER-TOKEN"); tok != "" {
		s.tokens[tok] = struct{}{}
	}
	if endpoint == "jobs" {
		s.jobsSeen = append(s.jobsSeen, r.URL.RawQuery)
		s.jobsAt = append(s.jobsAt, time.Now())
	}
	s.mu.Unlock()
	select {
	case s.started <- endpoint:
	default:
	}

	authed := r.Header.Get("X-SLURM-USER-TOKEN") != "" && r.Header.Get("X-SLURM-USER-NAME") != ""
	if s.serveFault(w, r, authed) {
		return
	}
	if !authed {
		// What slurmrestd answers without auth headers (error_no_auth_headers.txt).
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("Authentication failure"))
		return
	}

	switch Fault(s.fault.Load()) {
	case NoAuth:
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("Authentication failure"))
		return
	case BadToken:
		writeBody(w, http.StatusNetworkAuthenticationRequired, s.files["error_bad_token"])
		return
	case Status500:
		writeBody(w, http.StatusInternalServerError, s.files["server_error"])
		return
	case Stall:
		var limit <-chan time.Time
		if d := time.Duration(s.stallFor.Load()); d > 0 {
			limit = time.After(d)
		}
		select {
		case <-r.Context().Done():
			return
		case <-limit:
		}
	}

	if !s.tokenAccepted(r) {
		writeBody(w, http.StatusNetworkAuthenticationRequired, s.files["error_bad_token"])
		return
	}
	if s.serveAction(w, r) { // actions.go
		return
	}
	// slurmrestd authenticates every path, the OpenAPI document too.
	if endpoint == "openapi" {
		s.serveOpenAPI(w)
		return
	}
	s.mu.Lock()
	body, ok := s.files[endpoint]
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	// What real slurmrestd refuses is refused here too (querystrings*.go).
	body, answered := CheckQuery(s.t, w, r, filepath.Base(s.release), s.version, s.dir, body)
	if answered {
		return
	}
	if endpoint == "jobs" {
		body = s.jobsBody(r, body)
	}
	switch Fault(s.fault.Load()) {
	case Truncated:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
		return
	case Oversize:
		padded := make([]byte, 0, OversizeBytes)
		padded = append(padded, bytes.TrimRight(body, " \n")...)
		padded = append(padded, bytes.Repeat([]byte(" "), OversizeBytes-len(padded))...)
		body = padded
	case Trickle:
		s.writeTrickle(w, r, body)
		return
	}
	writeBody(w, http.StatusOK, body)
}

// jobsBody answers update_time like slurmctld: when nothing changed since
// the given time the job list is empty and last_update stays the same.
func (s *Server) jobsBody(r *http.Request, body []byte) []byte {
	since, ok := UpdateTimeOf(r.URL.Query().Get("update_time"), time.Now())
	if !ok || s.jobsLast == 0 || since < s.jobsLast {
		return body
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return body
	}
	top["jobs"] = json.RawMessage("[]")
	out, err := json.Marshal(top)
	if err != nil {
		return body
	}
	return out
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
