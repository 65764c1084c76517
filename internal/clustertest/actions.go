package clustertest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// recordedAction is one recorded answer to an action (a DELETE or POST of a
// job or node) or to the read that followed it (job_after_cancel,
// node_after_drain), as the manifest lists it.
type recordedAction struct {
	name    string // the manifest entry
	status  int
	ctype   string
	body    []byte
	user    string // who the recording was made as
	reqBody json.RawMessage
}

// actionKey is method + path (+ the acting user for the mutating ones).
func actionKey(method, path, user string) string {
	if method == http.MethodGet {
		user = ""
	}
	return method + " " + path + " " + user
}

// loadActions reads the recorded action answers of the served version.
// Requests as the test clients' user (User, a Slurm operator like the
// stack's grafana) get the answers recorded as root; alice's get alice's.
func (s *Server) loadActions() {
	data, err := os.ReadFile(filepath.Join(s.dir, "_manifest.json"))
	if err != nil {
		return
	}
	var manifest map[string]struct {
		File        string          `json:"file"`
		Method      string          `json:"method"`
		Path        string          `json:"path"`
		HTTPStatus  int             `json:"http_status"`
		ContentType string          `json:"content_type"`
		User        string          `json:"user"`
		RequestBody json.RawMessage `json:"request_body"`
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		s.t.Fatalf("clustertest: %s/_manifest.json: %v", s.dir, err)
	}
	s.actions = map[string][]recordedAction{}
	names := make([]string, 0, len(manifest))
	for name := range manifest {
		names = append(names, name)
	}
	// The same request was recorded twice (a cancel, then the cancel of the
	// already cancelled job): they are answered in the order they were made.
	sort.Slice(names, func(i, j int) bool {
		ai, aj := strings.Contains(names[i], "already"), strings.Contains(names[j], "already")
		if ai != aj {
			return aj
		}
		return names[i] < names[j]
	})
	for _, name := range names {
		e := manifest[name]
		if !strings.HasPrefix(name, "action_") && name != "job_after_cancel" && name != "node_after_drain" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(s.dir, e.File))
		if err != nil {
			s.t.Fatalf("clustertest: %s: %v", e.File, err)
		}
		user := e.User
		if user == "root" {
			user = User
		}
		key := actionKey(e.Method, e.Path, user)
		s.actions[key] = append(s.actions[key], recordedAction{name: name, status: e.HTTPStatus, ctype: e.ContentType, body: body, user: user, reqBody: e.RequestBody})
	}
	if b, err := os.ReadFile(filepath.Join(s.dir, "slurmdb_users.json")); err == nil {
		s.files["slurmdb_users"] = b
	}
}

// serveAction answers a job or node action the way the recorded release
// did, and reports whether it answered. A node update on a version without
// it is the 405 slurmrestd 22.05 sends; an action the recordings do not
// hold fails the test (its answer would be invented).
func (s *Server) serveAction(w http.ResponseWriter, r *http.Request) bool {
	isJobOrNode := strings.Contains(r.URL.Path, "/job/") || strings.Contains(r.URL.Path, "/node/")
	if !isJobOrNode || (r.Method == http.MethodGet && !strings.HasSuffix(r.URL.Path, "/requeue") && len(s.actions[actionKey(r.Method, r.URL.Path, "")]) == 0) {
		return false
	}
	user := r.Header.Get("X-SLURM-USER-NAME")
	key := actionKey(r.Method, r.URL.Path, user)
	s.mu.Lock()
	s.actionCount++
	answers := s.actions[key]
	var a recordedAction
	ok := len(answers) > 0
	if ok {
		a = answers[0]
		if len(answers) > 1 {
			s.actions[key] = answers[1:] // the next identical request gets the next recording
		}
	}
	s.mu.Unlock()
	if !ok {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/node/") && s.version == "v0.0.38" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusMethodNotAllowed)
			_, _ = w.Write([]byte("Requested REST method is not defined at URL. Please view /openapi/v3 for API reference."))
			return true
		}
		s.t.Errorf("clustertest: no recorded answer for %s %s as %s", r.Method, r.URL.Path, user)
		w.WriteHeader(http.StatusNotFound)
		return true
	}
	if len(a.reqBody) > 0 && string(a.reqBody) != "null" {
		got, _ := io.ReadAll(r.Body)
		var g, want any
		if json.Unmarshal(got, &g) != nil || json.Unmarshal(a.reqBody, &want) != nil || !jsonEqual(g, want) {
			s.t.Errorf("clustertest: %s %s body %s, recorded %s", r.Method, r.URL.Path, got, a.reqBody)
		}
	}
	ct := a.ctype
	if ct == "" {
		ct = "application/json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
	return true
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// ActionCount is how many job or node action requests (and reads of their
// recorded effects) reached the server.
func (s *Server) ActionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.actionCount
}

// Total is how many requests reached the server, whatever the endpoint.
func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.counts {
		n += c
	}
	return n
}
