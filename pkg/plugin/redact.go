package plugin

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// redacted replaces a secret in anything the plugin sends out.
const redacted = "[redacted]"

// jwtPattern matches a compact JWT (header.payload.signature, both JSON
// parts starting with "{"): a token this instance no longer remembers, or
// one minted elsewhere, is still a credential.
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{8,}`)

// redactor removes a data source's secrets from every message that leaves
// the backend: the secure settings as configured, the JWT key's bytes, the
// tokens the slurm client minted, and their usual encodings (base64, JSON
// and URL escaping). It is applied once, where answers leave the plugin
// (QueryData responses, health results, resource bodies) and in the
// logger, whatever an upstream error repeats: a proxy in front of
// slurmrestd may echo the request headers.
type redactor struct {
	fixed  []string        // from the settings, computed once
	client func() []string // the client's secrets now (tokens are minted as time goes)

	mu       sync.Mutex
	lastSeen []string          // the client's secrets the replacer was built for
	replacer *strings.Replacer // every form of every secret, one pass
}

func newRedactor(s Settings, secure map[string]string) *redactor {
	values := []string{s.Token, string(s.JWTKey), s.JWTKeyText}
	for _, v := range secure {
		values = append(values, v)
	}
	return &redactor{fixed: forms(values)}
}

// forms lists each secret with its encodings, longest first so that a
// secret containing another is replaced whole. Values under 4 bytes would
// blank out ordinary text and are left alone (no real secret is that short).
func forms(values []string) []string {
	var out []string
	add := func(v string) {
		if len(v) >= 4 {
			out = append(out, v)
		}
	}
	for _, v := range values {
		for _, w := range []string{v, strings.TrimSpace(v)} {
			add(w)
			add(base64.StdEncoding.EncodeToString([]byte(w)))
			add(base64.RawStdEncoding.EncodeToString([]byte(w)))
			add(base64.URLEncoding.EncodeToString([]byte(w)))
			add(base64.RawURLEncoding.EncodeToString([]byte(w)))
			add(url.QueryEscape(w))
			if j, err := json.Marshal(w); err == nil {
				add(string(j[1 : len(j)-1]))
			}
		}
	}
	slices.SortFunc(out, longestFirst)
	return slices.Compact(out)
}

// longestFirst orders by length, longest first, then bytewise (so that
// duplicates are neighbours for slices.Compact).
func longestFirst(a, b string) int {
	if len(a) != len(b) {
		return len(b) - len(a)
	}
	return strings.Compare(a, b)
}

// String returns msg without any secret.
func (r *redactor) String(msg string) string {
	if r == nil || msg == "" {
		return msg
	}
	return jwtPattern.ReplaceAllString(r.current().Replace(msg), redacted)
}

// current returns the replacer for the secrets known now, rebuilt only when
// the client minted a new token.
func (r *redactor) current() *strings.Replacer {
	var fromClient []string
	if r.client != nil {
		fromClient = r.client()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.replacer == nil || !slices.Equal(fromClient, r.lastSeen) {
		all := append(forms(fromClient), r.fixed...)
		// The replacer tries its patterns in argument order at each
		// position: longest first, so a secret containing another goes whole.
		slices.SortFunc(all, longestFirst)
		pairs := make([]string, 0, 2*len(all))
		for _, s := range slices.Compact(all) {
			pairs = append(pairs, s, redacted)
		}
		r.replacer = strings.NewReplacer(pairs...)
		r.lastSeen = fromClient
	}
	return r.replacer
}

// Bytes is String for a body.
func (r *redactor) Bytes(b []byte) []byte {
	if r == nil || len(b) == 0 {
		return b
	}
	s := r.String(string(b))
	if s == string(b) {
		return b
	}
	return []byte(s)
}

// Error keeps err's text only, redacted (nil stays nil).
func (r *redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); r.String(msg) != msg {
		return errors.New(r.String(msg))
	}
	return err
}

// queryResponse redacts every error and notice of a QueryData response.
func (r *redactor) queryResponse(resp *backend.QueryDataResponse) {
	for ref, dr := range resp.Responses {
		dr.Error = r.Error(dr.Error)
		for _, f := range dr.Frames {
			if f.Meta == nil {
				continue
			}
			for i := range f.Meta.Notices {
				f.Meta.Notices[i].Text = r.String(f.Meta.Notices[i].Text)
			}
		}
		resp.Responses[ref] = dr
	}
}

// health redacts a health result, its details included.
func (r *redactor) health(res *backend.CheckHealthResult) {
	if res == nil {
		return
	}
	res.Message = r.String(res.Message)
	res.JSONDetails = r.Bytes(res.JSONDetails)
}

// sender redacts every resource answer's body before it is sent.
func (r *redactor) sender(next backend.CallResourceResponseSender) backend.CallResourceResponseSender {
	return backend.CallResourceResponseSenderFunc(func(res *backend.CallResourceResponse) error {
		if res != nil && len(res.Body) > 0 {
			res.Body = r.Bytes(res.Body)
		}
		return next.Send(res)
	})
}
