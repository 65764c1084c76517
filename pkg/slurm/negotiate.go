package slurm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
)

// maxOpenAPIBytes caps GET /openapi/v3. The recorded documents are 0.2 MB
// (22.05, three versions) to 2.0 MB (25.05, four versions and slurmdb):
// 16 MiB leaves room for every version at once and keeps a hostile answer
// from being read (and scanned) whole.
const maxOpenAPIBytes = 16 << 20

// Version returns the API version in use, negotiating it on first call:
// pinned by Config.APIVersion, else the highest version that both the server
// (GET /openapi/v3, falling back to probing /slurm/vX/ping newest first) and
// this client support.
func (c *Client) Version(ctx context.Context) (string, error) {
	a, err := c.adapterFor(ctx)
	if err != nil {
		return "", err
	}
	return a.version, nil
}

// Pinned tells whether the API version is fixed by the configuration.
func (c *Client) Pinned() bool { return c.cfg.APIVersion != "" }

func (c *Client) adapterFor(ctx context.Context) (*adapter, error) {
	if a := c.adapter.Load(); a != nil {
		return a, nil
	}
	select {
	case c.verLock <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Kind: ctxKind(ctx), Endpoint: "API version negotiation", Err: ctx.Err()}
	}
	defer func() { <-c.verLock }()
	if a := c.adapter.Load(); a != nil {
		return a, nil // negotiated while this caller waited
	}
	v, err := c.negotiate(ctx)
	if err != nil {
		return nil, err
	}
	a := adapterFor(v)
	c.adapter.Store(a)
	c.log.Info("slurmrestd API version chosen", "version", v)
	return a, nil
}

// noteVersionGone forgets a negotiated version when its own path answers
// 404 without Slurm errors: slurmrestd was restarted without that version
// (-s openapi/...). The next call negotiates again, so a change of version
// is picked up without restarting Grafana. A 404 with Slurm errors (a job
// that does not exist) says nothing about the version; a pinned version is
// the operator's choice and stays.
func (c *Client) noteVersionGone(r request, resp *response) {
	a := c.adapter.Load()
	if resp.status != http.StatusNotFound || c.Pinned() || a == nil ||
		!(strings.HasPrefix(r.path, "/slurm/"+a.version+"/") || strings.HasPrefix(r.path, "/slurmdb/"+a.version+"/")) {
		return
	}
	if env, err := decodeEnvelope(resp.body); err == nil && len(env.Errors) > 0 {
		return
	}
	if c.adapter.CompareAndSwap(a, nil) {
		c.log.Warn("slurmrestd no longer serves the negotiated API version; negotiating again", "version", a.version, "endpoint", r.endpoint())
	}
}

// servedVersionRE finds /slurm/vX/ paths in the OpenAPI document. slurmrestd
// 22.05 writes slashes escaped ("\/slurm\/v0.0.38\/"), later releases do not.
var servedVersionRE = regexp.MustCompile(`\\?/slurm\\?/(v0\.0\.[0-9]+)\\?/`)

// negotiate asks the server which versions it serves. Only a 404 for the
// document (a slurmrestd without it) or a document naming no version falls
// back to probing ping per version; any other failure is the answer, so a
// 500, a rejected token or a redirect is reported as what it is, not as "no
// supported version".
func (c *Client) negotiate(ctx context.Context) (string, error) {
	offered, err := c.offeredFromOpenAPI(ctx)
	if err != nil {
		if KindOf(err) != NotFound && !errors.Is(err, errNoVersionsListed) {
			return "", err
		}
		c.log.Debug("slurmrestd /openapi/v3 unusable, probing ping per version", "error", err.Error())
		return c.probe(ctx)
	}
	supported := SupportedVersions()
	for i := len(supported) - 1; i >= 0; i-- {
		for _, o := range offered {
			if o == supported[i] {
				return o, nil
			}
		}
	}
	return "", &Error{Kind: UnsupportedVersion, Endpoint: "GET /openapi/v3",
		Err: fmt.Errorf("slurmrestd offers %s; this plugin speaks %s", listOrNone(offered), versionRange(supported))}
}

// OfferedVersions lists the /slurm API versions slurmrestd's OpenAPI
// document names (for messages that say what the server offers).
func (c *Client) OfferedVersions(ctx context.Context) ([]string, error) {
	return c.offeredFromOpenAPI(ctx)
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "no /slurm API version"
	}
	return strings.Join(v, ", ")
}

func versionRange(v []string) string {
	if len(v) == 0 {
		return "none"
	}
	return v[0] + " to " + v[len(v)-1]
}

var errNoVersionsListed = errors.New("the OpenAPI document lists no /slurm/vX paths")

func (c *Client) offeredFromOpenAPI(ctx context.Context) ([]string, error) {
	r := request{method: http.MethodGet, path: "/openapi/v3", maxBody: maxOpenAPIBytes}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, errorFromResponse(r, resp)
	}
	seen := map[string]bool{}
	var out []string
	for _, m := range servedVersionRE.FindAllSubmatch(resp.body, -1) {
		v := string(m[1])
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil, &Error{Kind: Malformed, Endpoint: r.endpoint(), HTTPStatus: resp.status, Err: errNoVersionsListed}
	}
	sort.Slice(out, func(i, j int) bool { return versionLess(out[i], out[j]) })
	return out, nil
}

// probe tries GET /slurm/vX/ping from the newest supported version down. A
// 404 means "not this version"; any other failure is returned as it is.
func (c *Client) probe(ctx context.Context) (string, error) {
	supported := SupportedVersions()
	for i := len(supported) - 1; i >= 0; i-- {
		v := supported[i]
		r := request{method: http.MethodGet, path: "/slurm/" + v + "/ping", maxBody: maxSmallBytes}
		resp, err := c.do(ctx, r)
		if err != nil {
			return "", err
		}
		switch resp.status {
		case http.StatusOK:
			return v, nil
		case http.StatusNotFound:
			continue
		}
		return "", errorFromResponse(r, resp)
	}
	return "", &Error{Kind: UnsupportedVersion, Endpoint: "GET /slurm/vX/ping",
		Err: fmt.Errorf("slurmrestd has no /openapi/v3 and answered 404 to the ping of every version this plugin speaks (%s)", versionRange(supported))}
}
