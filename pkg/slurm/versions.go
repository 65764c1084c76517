package slurm

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Adapter table. Each version is listed with the decoder family it uses for
// each endpoint; a family is named after the oldest version of that shape,
// and generic families are instantiated with the version's scalar shapes
// (flex.go):
//
//	endpoint          v38      v39      v40      v41      v42      v43      v44      v45
//	ping              38       39       39       39       39       39       39       39
//	jobs, job         38       39       40       40       40       40       40       40
//	nodes, node       38       39       40       40       40       40       40       40
//	partitions        38       39       39       39       39       39       39       39
//	diag, resv        int      int      num      num      num      num      num      num
//	licenses          one decoder for all (PascalCase keys everywhere)
//	shares            —        —        float    float    num      num      num      num
//	slurmdb jobs      38       39       40       40       40       40       40       40
//	qos               38       39       39       39       39       39       39       39
//	associations      int      bool     bool     bool     bool     bool     bool     bool
//	accounts          one decoder for all
//	users             string   list     list     list     list     list     list     list
//	node update       —        39       39       39       39       39       39       39
//	actions           one decoder for all (status[] from v0.0.42)
func init() {
	register(&adapter{
		version:   "v0.0.38",
		ping:      decodePingV38,
		jobs:      decodeJobsBody(listElem[Job, jobV38]),
		rawJobs:   func() any { return new(jobsV38) },
		jobElem:   listElem[Job, jobV38],
		nodes:     decodeNodes[nodeV38],
		parts:     decodePartitionsV38,
		resvs:     decodeReservations[int64],
		diag:      decodeDiag[int64],
		lics:      decodeLicenses,
		dbJobs:    decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64],
		dbJobsStr: decodeDBJobsStream[string, exitPlain, *int64, stepIDV38, int64],
		qos:       decodeQOSV38,
		assocs:    decodeAssociations[int64],
		accts:     decodeAccounts,
		users:     decodeUsers[string],
	})
	register(&adapter{
		version:    "v0.0.39",
		ping:       decodePingV39,
		jobs:       decodeJobsBody(listElem[Job, jobV39]),
		rawJobs:    func() any { return new(jobsV39) },
		jobElem:    listElem[Job, jobV39],
		nodes:      decodeNodes[nodeV39],
		parts:      decodePartitionsV39,
		resvs:      decodeReservations[int64],
		diag:       decodeDiag[int64],
		lics:       decodeLicenses,
		dbJobs:     decodeDBJobs[string, exitPlain, num, stepIDV39, int64],
		dbJobsStr:  decodeDBJobsStream[string, exitPlain, num, stepIDV39, int64],
		qos:        decodeQOS,
		assocs:     decodeAssociations[bool],
		accts:      decodeAccounts,
		users:      decodeUsers[[]string],
		nodeUpdate: nodeUpdateBody,
	})
	for _, v := range []string{"v0.0.40", "v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44", "v0.0.45"} {
		a := &adapter{
			version:    v,
			ping:       decodePingV39,
			jobs:       decodeJobsBody(listElem[Job, jobV40]),
			rawJobs:    func() any { return new(jobsV40) },
			jobElem:    listElem[Job, jobV40],
			nodes:      decodeNodes[nodeV40],
			parts:      decodePartitionsV39,
			resvs:      decodeReservations[num],
			diag:       decodeDiag[num],
			lics:       decodeLicenses,
			shares:     decodeShares[numF],
			dbJobs:     decodeDBJobs[[]string, exitV40, num, stepIDV40, num],
			dbJobsStr:  decodeDBJobsStream[[]string, exitV40, num, stepIDV40, num],
			qos:        decodeQOS,
			assocs:     decodeAssociations[bool],
			accts:      decodeAccounts,
			users:      decodeUsers[[]string],
			nodeUpdate: nodeUpdateBody,
		}
		if v == "v0.0.40" || v == "v0.0.41" {
			a.shares = decodeShares[float64]
		}
		register(a)
	}
}

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

func (c *Client) adapterFor(ctx context.Context) (*adapter, error) {
	select {
	case c.verLock <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Kind: ctxKind(ctx), Endpoint: "API version negotiation", Err: ctx.Err()}
	}
	defer func() { <-c.verLock }()
	if c.adapter != nil {
		return c.adapter, nil
	}
	v, err := c.negotiate(ctx)
	if err != nil {
		return nil, err
	}
	c.adapter = adapterFor(v)
	c.log.Info("slurmrestd API version chosen", "version", v)
	return c.adapter, nil
}

// servedVersionRE finds /slurm/vX/ paths in the OpenAPI document. slurmrestd
// 22.05 writes slashes escaped ("\/slurm\/v0.0.38\/"), later releases do not.
var servedVersionRE = regexp.MustCompile(`\\?/slurm\\?/(v0\.0\.[0-9]+)\\?/`)

// negotiate asks the server which versions it serves.
func (c *Client) negotiate(ctx context.Context) (string, error) {
	offered, err := c.offeredFromOpenAPI(ctx)
	if err != nil {
		// Authentication failures and cancellations end negotiation; anything
		// else (404 on servers without /openapi/v3, odd documents) falls back
		// to probing.
		switch KindOf(err) {
		case Unauthenticated, Unreachable, TLS, Timeout:
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
		Err: fmt.Errorf("server offers %s; this client supports %s", listOrNone(offered), strings.Join(supported, ", "))}
}

func listOrNone(v []string) string {
	if len(v) == 0 {
		return "no /slurm API version"
	}
	return strings.Join(v, ", ")
}

func (c *Client) offeredFromOpenAPI(ctx context.Context) ([]string, error) {
	r := request{method: http.MethodGet, path: "/openapi/v3"}
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
		return nil, &Error{Kind: Malformed, Endpoint: r.endpoint(), HTTPStatus: resp.status,
			Err: fmt.Errorf("the OpenAPI document lists no /slurm/vX paths")}
	}
	return out, nil
}

// probe tries GET /slurm/vX/ping from the newest supported version down.
func (c *Client) probe(ctx context.Context) (string, error) {
	supported := SupportedVersions()
	var tried []string
	for i := len(supported) - 1; i >= 0; i-- {
		v := supported[i]
		r := request{method: http.MethodGet, path: "/slurm/" + v + "/ping"}
		resp, err := c.do(ctx, r)
		if err != nil {
			return "", err
		}
		switch {
		case resp.status == http.StatusOK:
			return v, nil
		case resp.status == http.StatusUnauthorized || resp.status == http.StatusNetworkAuthenticationRequired:
			return "", errorFromResponse(r, resp)
		}
		tried = append(tried, fmt.Sprintf("%s → HTTP %d", v, resp.status))
	}
	return "", &Error{Kind: UnsupportedVersion, Endpoint: "GET /slurm/vX/ping",
		Err: fmt.Errorf("server offers none of the versions this client supports (%s); probes: %s",
			strings.Join(supported, ", "), strings.Join(tried, "; "))}
}
