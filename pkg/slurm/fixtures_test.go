package slurm

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// recordedFixtures is where the recorded slurmrestd answers of Slurm 23.11, 25.05
// and 26.05 live (their README says how they were recorded).
const recordedFixtures = "testdata/slurmrestd"

type manifestEntry struct {
	File        string          `json:"file"`
	Method      string          `json:"method"`
	Path        string          `json:"path"`
	HTTPStatus  int             `json:"http_status"`
	ContentType string          `json:"content_type"`
	User        string          `json:"user"`
	RequestBody json.RawMessage `json:"request_body"`
}

// fixtureDir is one <release>/<version> directory.
type fixtureDir struct {
	Release, Version, Dir string
	Manifest              map[string]manifestEntry
}

func requireDir(t testing.TB, dir, what string) {
	t.Helper()
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		abs, _ := filepath.Abs(dir)
		t.Fatalf("%s not found at %s (expected path %q relative to pkg/slurm)", what, abs, dir)
	}
}

// recordedFixtureDirs lists every <release>/<version> of the recorded answers.
func recordedFixtureDirs(t testing.TB) []fixtureDir {
	t.Helper()
	requireDir(t, recordedFixtures, "recorded slurmrestd answers")
	return fixtureDirsUnder(t, recordedFixtures)
}

// allFixtureDirs is every recorded version: the delivered recordings of
// 23.11, 25.05 and 26.05 and the project's own of 22.05.8.
func allFixtureDirs(t testing.TB) []fixtureDir {
	t.Helper()
	requireDir(t, ownFixtures, "the project's own slurmrestd 22.05.8 recordings")
	return append(recordedFixtureDirs(t), fixtureDirsUnder(t, ownFixtures)...)
}

func fixtureDirsUnder(t testing.TB, root string) []fixtureDir {
	t.Helper()
	var out []fixtureDir
	manifests, _ := filepath.Glob(filepath.Join(root, "*", "v0.0.*", "_manifest.json"))
	if len(manifests) == 0 {
		// root may itself be a release directory
		manifests, _ = filepath.Glob(filepath.Join(root, "v0.0.*", "_manifest.json"))
	}
	for _, m := range manifests {
		dir := filepath.Dir(m)
		out = append(out, fixtureDir{
			Release:  filepath.Base(filepath.Dir(dir)),
			Version:  filepath.Base(dir),
			Dir:      dir,
			Manifest: readManifest(t, m),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	if len(out) == 0 {
		t.Fatalf("no <release>/v0.0.*/_manifest.json under %s", root)
	}
	return out
}

func readManifest(t testing.TB, path string) map[string]manifestEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	m := map[string]manifestEntry{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	return m
}

func (d fixtureDir) body(t testing.TB, name string) []byte {
	t.Helper()
	e, ok := d.Manifest[name]
	if !ok {
		t.Fatalf("%s/%s: no %q in manifest", d.Release, d.Version, name)
	}
	data, err := os.ReadFile(filepath.Join(d.Dir, e.File))
	if err != nil {
		t.Fatalf("read %s: %v", e.File, err)
	}
	return data
}

// fixtureServer serves recorded answers keyed by the manifest's method and
// path, with the recorded HTTP status and content type. Requests it has no
// answer for get 404 and are reported as test failures, so a client that asks
// for a different path (or adds an unexpected query) is caught.
type fixtureServer struct {
	*httptest.Server
	t        testing.TB
	mu       sync.Mutex
	routes   map[string]served
	requests []*http.Request
	queries  []string
	bodies   [][]byte
}

type served struct {
	status int
	ctype  string
	body   []byte
	// release, version and dir of a recorded answer: its query string is
	// checked against what that real slurmrestd accepts (query-strings.md).
	release, version, dir string
}

func routeKey(method, path string) string {
	return method + " " + strings.TrimSuffix(path, "/")
}

func newFixtureServer(t testing.TB) *fixtureServer {
	fs := &fixtureServer{t: t, routes: map[string]served{}}
	fs.Server = httptest.NewServer(http.HandlerFunc(fs.handle))
	t.Cleanup(fs.Close)
	return fs
}

// serve adds the named fixture of d.
func (fs *fixtureServer) serve(d fixtureDir, name string) manifestEntry {
	fs.t.Helper()
	e := d.Manifest[name]
	ct := e.ContentType
	if ct == "" {
		ct = "application/json"
	}
	fs.mu.Lock()
	fs.routes[routeKey(e.Method, e.Path)] = served{status: e.HTTPStatus, ctype: ct, body: d.body(fs.t, name),
		release: d.Release, version: d.Version, dir: d.Dir}
	fs.mu.Unlock()
	return e
}

func (fs *fixtureServer) serveRaw(method, path string, status int, body []byte) {
	fs.mu.Lock()
	fs.routes[routeKey(method, path)] = served{status: status, ctype: "application/json", body: body}
	fs.mu.Unlock()
}

func (fs *fixtureServer) handle(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	fs.requests = append(fs.requests, r.Clone(r.Context()))
	reqBody, _ := io.ReadAll(r.Body)
	fs.bodies = append(fs.bodies, reqBody)
	fs.queries = append(fs.queries, r.URL.RawQuery)
	s, ok := fs.routes[routeKey(r.Method, r.URL.Path)]
	fs.mu.Unlock()
	if r.Header.Get("X-SLURM-USER-NAME") == "" || r.Header.Get("X-SLURM-USER-TOKEN") == "" {
		fs.t.Errorf("%s %s without auth headers", r.Method, r.URL.Path)
	}
	if !ok {
		fs.t.Errorf("fixture server: no recorded answer for %s %s", r.Method, r.URL.Path)
		w.WriteHeader(http.StatusNotFound)
		return
	}
	body := s.body
	authFailure := s.status == http.StatusUnauthorized || s.status == http.StatusNetworkAuthenticationRequired
	if s.release != "" && !authFailure { // slurmrestd authenticates before it reads the query
		var answered bool
		if body, answered = clustertest.CheckQuery(fs.t, w, r, s.release, s.version, s.dir, body); answered {
			return
		}
	} else if r.URL.RawQuery != "" && !authFailure {
		fs.t.Errorf("fixture server: %s %s?%s: a query on an answer that is not a recorded one cannot be checked", r.Method, r.URL.Path, r.URL.RawQuery)
	}
	w.Header().Set("Content-Type", s.ctype)
	w.WriteHeader(s.status)
	_, _ = w.Write(body)
}

// testClient returns a client pinned to version against fs.
func testClient(t testing.TB, url, version string) *Client {
	t.Helper()
	c, err := New(Config{URL: url, APIVersion: version, User: "root", Token: "test-token-not-secret", MaxRetries: -1})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// newPlainServer is an httptest server with a custom handler, closed at the end of the test.
func newPlainServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
