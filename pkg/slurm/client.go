// Package slurm is the slurmrestd client: transport, authentication, API
// version negotiation and one adapter per API version (v0.0.38 … v0.0.45)
// that normalises every answer into the model types of model.go.
//
// It imports nothing from the Grafana plugin SDK; logging goes to an injected
// *slog.Logger, and no secret (token, JWT key) is ever logged or put into an
// error message.
package slurm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Client talks to one slurmrestd. It is safe for concurrent use; at most
// Config.MaxConns requests are in flight at once.
type Client struct {
	cfg  Config
	http *http.Client
	base string // scheme://host[/prefix] without trailing slash
	auth *authenticator
	sem  chan struct{}
	log  *slog.Logger
	// verLock (one slot) serialises negotiation. A channel, not a mutex: a
	// caller waiting while another negotiates gives up when its own context
	// ends.
	verLock chan struct{}
	adapter atomic.Pointer[adapter] // negotiated or pinned; nil until known (or forgotten)
	// cluster is the cluster name the last jobs answer carried, for Ping on
	// versions whose ping does not say it (v0.0.38/39).
	cluster atomic.Pointer[string]
	// jobsMark times update_time on versions that want a time string.
	jobsMark jobsMark
	// lastJobs is the length of the last full jobs answer, the next one's
	// expected length.
	lastJobs atomic.Int64
}

// New validates cfg and returns a client. It does not contact slurmrestd:
// the API version is negotiated on first use (or by Version).
func New(cfg Config) (*Client, error) {
	cfg, u, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	hc, base := newHTTPClient(cfg, u)
	c := &Client{
		cfg:     cfg,
		http:    hc,
		base:    base,
		auth:    newAuthenticator(cfg),
		sem:     make(chan struct{}, cfg.MaxConns),
		verLock: make(chan struct{}, 1),
		log:     cfg.Logger,
	}
	if cfg.APIVersion != "" {
		c.adapter.Store(adapterFor(cfg.APIVersion))
	}
	return c, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// request is one call to slurmrestd.
type request struct {
	method string
	path   string     // e.g. /slurm/v0.0.40/jobs
	query  url.Values // may be nil
	body   []byte     // JSON body for POST
	asUser string     // "" = configured user
	// maxBody caps a buffered answer; 0: the endpoint's cap (bodycaps.go).
	maxBody int64
	// noRetry: a GET that changes something (v0.0.45's requeue) is sent once.
	noRetry bool
	// consume, when set, reads a 200 answer's body as a stream instead of
	// buffering it (large jobs answers). It runs again on a retry.
	consume func(body io.Reader, limit int64) error
}

func (r request) endpoint() string { return r.method + " " + r.path }

// response is a raw answer: status and the (capped) body.
type response struct {
	status   int
	body     []byte
	ctype    string
	location string // Location of a redirect
}

// do performs r with retries for GETs. Any HTTP answer is returned as a
// response (the caller types non-2xx answers with errorFromResponse); only
// failures without a usable answer are errors.
func (c *Client) do(ctx context.Context, r request) (*response, error) {
	resp, err := c.doRetrying(ctx, r)
	if err == nil {
		c.noteVersionGone(r, resp)
	}
	return resp, err
}

func (c *Client) doRetrying(ctx context.Context, r request) (*response, error) {
	user := r.asUser
	if user == "" {
		user = c.cfg.User
	}
	if user != c.cfg.User && !c.auth.canMint() {
		return nil, &Error{Kind: InvalidInput, Endpoint: r.endpoint(),
			Err: fmt.Errorf("acting as user %q needs auth mode jwtKey (a static token belongs to %q)", user, c.cfg.User)}
	}
	attempt := 0
	op := func() (*response, error) {
		attempt++
		resp, err := c.once(ctx, r, user, attempt)
		if err != nil {
			if r.method == http.MethodGet && retryable(err) {
				return nil, err
			}
			return nil, backoff.Permanent(err)
		}
		if r.method == http.MethodGet && retryableStatus(resp) {
			e := errorFromResponse(r, resp)
			return resp, e
		}
		return resp, nil
	}
	if r.method != http.MethodGet || r.noRetry || c.cfg.MaxRetries == 0 {
		resp, err := c.once(ctx, r, user, 1)
		return resp, err
	}
	eb := backoff.NewExponentialBackOff()
	eb.InitialInterval = c.cfg.RetryInitial
	eb.MaxInterval = c.cfg.RetryMax
	eb.RandomizationFactor = 0.5 // jitter, so N replicas do not retry in lockstep
	eb.Multiplier = 2
	resp, err := backoff.Retry(ctx, op,
		backoff.WithBackOff(eb),
		backoff.WithMaxTries(uint(c.cfg.MaxRetries+1)),
		backoff.WithMaxElapsedTime(0),
		backoff.WithNotify(func(err error, d time.Duration) {
			c.log.Debug("slurmrestd request failed, retrying", "endpoint", r.endpoint(), "attempt", attempt, "wait", d, "error", err.Error())
		}))
	if err != nil {
		var perm *backoff.PermanentError
		if errors.As(err, &perm) {
			err = perm.Unwrap()
		}
		var se *Error
		if errors.As(err, &se) {
			if resp != nil && se.HTTPStatus != 0 {
				// A retryable HTTP answer was the last one: hand it over for typing.
				return resp, nil
			}
			return nil, se
		}
		// The context ended while waiting between attempts.
		return nil, &Error{Kind: ctxKind(ctx), Endpoint: r.endpoint(), Err: err}
	}
	return resp, nil
}

// ctxKind types an ended context: a deadline is Timeout; a cancellation by
// the caller is KindUnknown (errors.Is(err, context.Canceled) still holds).
func ctxKind(ctx context.Context) ErrorKind {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return Timeout
	}
	return KindUnknown
}

// retryable tells whether a transport-level failure may succeed on a new
// attempt: network trouble, timeouts and truncated bodies; not a body that
// arrived whole but is not the JSON we expect.
func retryable(err error) bool {
	switch KindOf(err) {
	case Unreachable, Timeout:
		return true
	case Malformed:
		return errors.Is(err, io.ErrUnexpectedEOF)
	}
	return false
}

// retryableStatus: 429, 502, 503, 504, and 500 without Slurm errors (an empty
// or non-JSON 500 is a crash or proxy fault; a 500 with errors[] is Slurm's
// deterministic answer, e.g. "Access/permission denied", and is not retried).
func retryableStatus(resp *response) bool {
	switch resp.status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	case http.StatusInternalServerError:
		env, err := decodeEnvelope(resp.body)
		return err != nil || len(env.Errors) == 0
	}
	return false
}

// once performs one attempt.
func (c *Client) once(ctx context.Context, r request, user string, attempt int) (*response, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Kind: ctxKind(ctx), Endpoint: r.endpoint(), Err: err}
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &Error{Kind: ctxKind(ctx), Endpoint: r.endpoint(), Err: ctx.Err()}
	}
	defer func() { <-c.sem }()

	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	u := c.base + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.method, u, body)
	if err != nil {
		return nil, &Error{Kind: InvalidInput, Endpoint: r.endpoint(), Err: errors.New("cannot build request")}
	}
	token, err := c.auth.token(user)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-SLURM-USER-NAME", user)
	req.Header.Set("X-SLURM-USER-TOKEN", token)
	req.Header.Set("Accept", "application/json")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		kind := classifyTransportError(err, actx)
		c.log.Debug("slurmrestd request failed", "endpoint", r.endpoint(), "attempt", attempt, "kind", kind.String(), "duration", time.Since(start))
		return nil, &Error{Kind: kind, Endpoint: r.endpoint(), Err: scrubURLError(err)}
	}
	defer res.Body.Close()
	if r.consume != nil && res.StatusCode == http.StatusOK {
		if err := r.consume(ctxReader{actx, res.Body}, c.cfg.MaxBodyBytes); err != nil {
			kind := Malformed
			switch {
			case errors.Is(err, errTooLarge):
				kind = TooLarge
			case actx.Err() != nil:
				kind = Timeout
			}
			return nil, &Error{Kind: kind, HTTPStatus: res.StatusCode, Endpoint: r.endpoint(), Err: scrubURLError(err)}
		}
		c.log.Debug("slurmrestd request", "endpoint", r.endpoint(), "user", user, "status", res.StatusCode,
			"streamed", true, "attempt", attempt, "duration", time.Since(start))
		return &response{status: res.StatusCode, ctype: res.Header.Get("Content-Type")}, nil
	}
	limit := c.bufferCap(r)
	data, err := readCapped(res.Body, limit, res.ContentLength)
	if errors.Is(err, errBodyCap) {
		return nil, &Error{Kind: TooLarge, HTTPStatus: res.StatusCode, Endpoint: r.endpoint(), Err: err}
	}
	if err != nil {
		kind := classifyTransportError(err, actx)
		if kind == Unreachable {
			kind = Malformed // the connection died mid-body: a truncated answer
		}
		return nil, &Error{Kind: kind, HTTPStatus: res.StatusCode, Endpoint: r.endpoint(),
			Err: fmt.Errorf("reading body after %d bytes: %w", len(data), scrubURLError(err))}
	}
	c.log.Debug("slurmrestd request", "endpoint", r.endpoint(), "user", user, "status", res.StatusCode,
		"bytes", len(data), "attempt", attempt, "duration", time.Since(start))
	if res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusNetworkAuthenticationRequired {
		c.auth.forget(user)
	}
	return &response{status: res.StatusCode, body: data, ctype: res.Header.Get("Content-Type"), location: res.Header.Get("Location")}, nil
}

// ctxReader ends a streamed read once the attempt's context is done, even
// when the body itself would keep answering (the transport already aborts a
// blocked read; this also stops a decoder that keeps calling Read), so an
// attempt never outlives its deadline while holding a connection slot.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (cr ctxReader) Read(p []byte) (int, error) {
	if err := cr.ctx.Err(); err != nil {
		return 0, err
	}
	return cr.r.Read(p)
}

// scrubURLError drops the URL from *url.Error (it never holds secrets here, but
// keeping messages to "op: cause" makes them shorter and safe by construction).
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// errorFromResponse types a non-2xx answer, surfacing Slurm's errors[] and warnings[].
func errorFromResponse(r request, resp *response) *Error {
	e := &Error{HTTPStatus: resp.status, Endpoint: r.endpoint()}
	if env, err := decodeEnvelope(resp.body); err == nil {
		e.SlurmErrors, e.Warnings = env.messages()
	} else if len(resp.body) > 0 {
		e.Err = errors.New(bodySnippet(resp.body))
	}
	switch s := resp.status; {
	case s >= 300 && s < 400:
		// slurmrestd never redirects; a proxy or web server in front of it
		// (http → https, another path) does. The redirect is not followed:
		// it could send the token elsewhere.
		e.Kind = Server
		where := "elsewhere"
		if resp.location != "" {
			where = "to " + strconv.Quote(bodySnippetText(resp.location))
		}
		e.Err = fmt.Errorf("redirected %s: slurmrestd does not redirect, so the URL reaches something else (check http/https, host, port and path)", where)
	case s == http.StatusUnauthorized || s == http.StatusNetworkAuthenticationRequired:
		e.Kind = Unauthenticated
	case s == http.StatusForbidden:
		e.Kind = Forbidden
	case s == http.StatusNotFound:
		e.Kind = NotFound
	case s == http.StatusTooManyRequests:
		e.Kind = RateLimited
	case s == http.StatusRequestEntityTooLarge:
		e.Kind = TooLarge
	case s == http.StatusMethodNotAllowed:
		e.Kind = UnsupportedVersion // the endpoint does not exist in this API version
	default:
		// 400, 422, 500, …: Slurm's error numbers decide (errors.go).
		e.Kind = kindOfAnswer(s, e.SlurmErrors)
	}
	return e
}

func hasSlurmError(msgs []Message, codes map[int]bool) bool {
	for _, m := range msgs {
		if codes[m.Number] {
			return true
		}
	}
	return false
}

// bodySnippet returns a short, printable beginning of a non-JSON body
// (e.g. slurmrestd's plain-text "Authentication failure").
func bodySnippet(b []byte) string {
	const max = 200
	if len(b) > max {
		b = b[:max]
	}
	out := make([]rune, 0, len(b))
	for _, r := range string(b) {
		if r < 0x20 && r != ' ' {
			r = ' '
		}
		out = append(out, r)
	}
	return "body: " + strconv.Quote(string(bytes.TrimSpace([]byte(string(out)))))
}

// bodySnippetText bounds an upstream string (a Location) to 200 bytes.
func bodySnippetText(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
