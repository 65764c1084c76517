package plugin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// badResourcePath says why a resource path is refused, or "" when it is a
// plain route path. The routes are few and fixed ("snapshot/status",
// "variables/<kind>", ...), so anything that would need cleaning is not one
// of them: net/http's ServeMux would answer such a path with a redirect to
// its cleaned form (variables/../../../etc/passwd → Location: /etc/passwd),
// and a data source must not send the browser anywhere.
func badResourcePath(raw string) string {
	p, err := url.PathUnescape(raw)
	if err != nil {
		return "the path is not validly escaped"
	}
	switch {
	case strings.Contains(p, "://"):
		return "a full URL is not a resource path"
	case strings.Contains(p, `\`):
		return "the path contains a backslash"
	case strings.Contains(p, "//"):
		return "the path contains an empty segment (//)"
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return "the path contains a " + seg + " segment"
		}
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f {
			return "the path contains a control character"
		}
	}
	return ""
}

// refuseBadPath answers 400 for a path that is not a plain route path,
// before the SDK's adapter turns it into an *http.Request (where a leading
// "//" would become a host). It reports whether it answered.
func refuseBadPath(req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) (bool, error) {
	why := badResourcePath(req.Path)
	if why == "" {
		return false, nil
	}
	body, _ := json.Marshal(map[string]string{"error": "invalid resource path: " + why})
	return true, sender.Send(&backend.CallResourceResponse{
		Status:  http.StatusBadRequest,
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    body,
	})
}

// neverRedirect turns any redirect the router would still make into a 404:
// resource routes answer, they never send the browser elsewhere.
func neverRedirect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&noRedirectWriter{ResponseWriter: w}, r)
	})
}

// noRedirectWriter answers 404 instead of any 3xx status.
type noRedirectWriter struct {
	http.ResponseWriter
	swallowed bool // a redirect was replaced: drop its body
}

func (w *noRedirectWriter) WriteHeader(status int) {
	if status >= 300 && status < 400 {
		w.swallowed = true
		w.Header().Del("Location")
		writeJSON(w.ResponseWriter, http.StatusNotFound, map[string]string{"error": "no such resource"})
		return
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *noRedirectWriter) Write(b []byte) (int, error) {
	if w.swallowed {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}
