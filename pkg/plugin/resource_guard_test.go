package plugin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Paths that net/http's ServeMux would clean and answer with a redirect
// (variables/../../../etc/passwd → 307 Location: /etc/passwd) get a 400
// naming the problem; nothing is ever a redirect.
func TestResourcePathsThatNeedCleaningAreRefusedNotRedirected(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	for path, want := range map[string]string{
		"variables/../../../etc/passwd":   "a .. segment",
		"variables/%2e%2e/%2e%2e/etc":     "a .. segment",
		"snapshot/./status":               "a . segment",
		"snapshot//status":                "empty segment",
		"//evil.example/snapshot/status":  "empty segment",
		"http://evil.example/variables/x": "a full URL",
		"variables\\..\\x":                "backslash",
		"variables/%zz":                   "not validly escaped",
		"variables/a%0Ab":                 "control character",
	} {
		r := f.resource(t, http.MethodGet, path)
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: got %d %s, want 400 saying %q", path, r.Status, r.Body, want)
		}
		if loc := r.Headers["Location"]; len(loc) > 0 {
			t.Errorf("%s: Location %v", path, loc)
		}
	}
	// Plain paths still reach their routes.
	if r := f.resource(t, http.MethodGet, "snapshot/status"); r.Status != http.StatusOK {
		t.Errorf("snapshot/status: %d %s", r.Status, r.Body)
	}
	if r := f.resource(t, http.MethodGet, "no/such/route"); r.Status != http.StatusNotFound {
		t.Errorf("unknown route: %d %s", r.Status, r.Body)
	}
}

// Whatever the router would answer with a redirect becomes a 404.
func TestRouterRedirectsBecomeNotFound(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /dir/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	h := neverRedirect(mux)
	var got *backend.CallResourceResponse
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	f.ds.routes = httpAdapterFor(h)
	err := f.ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: "dir", URL: "dir"},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
	if err != nil {
		t.Fatal(err)
	}
	// ServeMux answers /dir with a redirect to /dir/.
	if got.Status != http.StatusNotFound || len(got.Headers["Location"]) > 0 {
		t.Errorf("got %d %v %s, want 404 without Location", got.Status, got.Headers, got.Body)
	}
}
