package clustertest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Faults of a hostile or odd upstream, beyond server.go's outages: what a
// proxy in front of slurmrestd, a slurmrestd restarted with other versions,
// or a broken build can answer. Each is chosen with SetFault like the others.
const (
	// EmptyEnvelope answers every authenticated request HTTP 200 with
	// {"meta":{},"errors":[],"warnings":[]}: no jobs, nodes, partitions,
	// statistics, nor a Slurm version in ping.
	EmptyEnvelope Fault = iota + 100
	// EchoHeaders answers HTTP 403 with a proxy's error page that repeats
	// the credentials it refused, then every request header.
	EchoHeaders
	// Trickle sends the normal answer one byte at a time, TrickleEvery apart
	// (default 20 ms): each byte arrives well inside any read timeout.
	Trickle
	// Redirect answers 307 to https://<addr><path> (a proxy that wants TLS).
	Redirect
	// Held keeps every request waiting until Release (or the client gives up).
	Held
	// Huge answers HTTP 200 with a body of HugeBytes: the start of the
	// normal answer's envelope, then a string value that never seems to end
	// (generated while sending; the server holds none of it). It announces
	// its length; HugeChunked does not.
	Huge
	HugeChunked
	// HugeList answers the list endpoints (jobs, nodes, partitions,
	// reservations, slurmdb jobs) with their recorded answer whose first
	// element is repeated until the body holds HugeBytes: valid JSON of a
	// cluster far larger than any real one, sent chunked.
	HugeList
)

// MaxInFlight returns the most requests the server ever answered at once.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// track counts a request in flight until the returned func runs.
func (s *Server) track() func() {
	n := s.inFlight.Add(1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	return func() { s.inFlight.Add(-1) }
}

// SetTrickleEvery sets the pause between two bytes of a Trickle answer.
func (s *Server) SetTrickleEvery(d time.Duration) { s.trickleEvery.Store(int64(d)) }

// Release lets every request held by the Held fault go on (and later ones
// too, until SetFault(Held) again).
func (s *Server) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gate != nil {
		close(s.gate)
		s.gate = nil
	}
}

// TokensSeen returns every distinct X-SLURM-USER-TOKEN the server received,
// so tests can check that minted tokens never leak either.
func (s *Server) TokensSeen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.tokens))
	for t := range s.tokens {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// ServeVersion makes the server answer as a slurmrestd restarted with only
// another recorded API version of the same release (-s openapi/<version>):
// the old version's paths answer 404 and /openapi/v3 lists only the new one.
func (s *Server) ServeVersion(version string) {
	s.t.Helper()
	dir := filepath.Join(s.release, version)
	s.mu.Lock()
	current := make(map[string][]byte, len(s.files))
	for name, b := range s.files {
		current[name] = b
	}
	s.mu.Unlock()
	files := map[string][]byte{}
	for name, old := range current {
		b, err := os.ReadFile(filepath.Join(dir, name+".json"))
		switch {
		case err == nil:
			files[name] = b
		case name == "server_error":
			files[name] = old
		}
	}
	openapi, err := openAPIOnly(filepath.Join(s.release, "openapi-v3.json"), version)
	if err != nil {
		s.t.Fatalf("clustertest: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dir, s.version, s.files, s.openapi = dir, version, files, openapi
	s.jobsLast = lastUpdate(files["jobs"])
}

// serveOpenAPI answers /openapi/v3: the release's recorded document, or the
// one ServeVersion narrowed to a single version.
func (s *Server) serveOpenAPI(w http.ResponseWriter) {
	s.mu.Lock()
	openapi := s.openapi
	s.mu.Unlock()
	if openapi == nil {
		b, err := os.ReadFile(filepath.Join(s.release, "openapi-v3.json"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		openapi = b
	}
	writeBody(w, http.StatusOK, openapi)
}

// openAPIOnly is the release's recorded OpenAPI document with the paths of
// every other /slurm and /slurmdb version removed.
func openAPIOnly(file, version string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var paths map[string]json.RawMessage
	if err := json.Unmarshal(doc["paths"], &paths); err != nil {
		return nil, fmt.Errorf("%s paths: %v", file, err)
	}
	for p := range paths {
		if (strings.HasPrefix(p, "/slurm/") || strings.HasPrefix(p, "/slurmdb/")) && !strings.Contains(p, "/"+version+"/") {
			delete(paths, p)
		}
	}
	if doc["paths"], err = json.Marshal(paths); err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

// serveFault answers the faults of this file; it reports whether it did.
// authed tells whether the request carried both auth headers.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, authed bool) bool {
	switch Fault(s.fault.Load()) {
	case EmptyEnvelope:
		if !authed {
			return false
		}
		writeBody(w, http.StatusOK, []byte(`{"meta":{},"errors":[],"warnings":[]}`))
		return true
	case EchoHeaders:
		var lines []string
		for name, vals := range r.Header {
			lines = append(lines, name+": "+strings.Join(vals, ", "))
		}
		sort.Strings(lines)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, "403 Forbidden: X-SLURM-USER-TOKEN: %s refused for %s %s; request headers: %s",
			r.Header.Get("X-SLURM-USER-TOKEN"), r.Method, r.URL.Path, strings.Join(lines, "; "))
		return true
	case Redirect:
		w.Header().Set("Location", "https://"+s.Addr()+r.URL.Path)
		w.WriteHeader(http.StatusTemporaryRedirect)
		return true
	case Held:
		s.mu.Lock()
		gate := s.gate
		s.mu.Unlock()
		if gate != nil {
			select {
			case <-gate:
			case <-r.Context().Done():
				return true
			}
		}
		return false
	case Huge, HugeChunked:
		if !authed {
			return false
		}
		s.writeHuge(w, Fault(s.fault.Load()) == Huge)
		return true
	case HugeList:
		return authed && s.writeHugeList(w, s.endpointOf(r.URL.Path))
	}
	return false
}

// writeTrickle sends body one byte at a time.
func (s *Server) writeTrickle(w http.ResponseWriter, r *http.Request, body []byte) {
	every := time.Duration(s.trickleEvery.Load())
	if every <= 0 {
		every = 20 * time.Millisecond
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := range body {
		if _, err := w.Write(body[i : i+1]); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
		select {
		case <-tick.C:
		case <-r.Context().Done():
			return
		}
	}
}
