package slurm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The two APIs of slurmrestd, each under the negotiated version.
const (
	ctldAPI = "/slurm/"   // slurmctld
	dbdAPI  = "/slurmdb/" // slurmdbd
)

// versionPath is the path of an endpoint of api under the negotiated version.
func (c *Client) versionPath(ctx context.Context, api, rest string) (*adapter, string, error) {
	a, err := c.adapterFor(ctx)
	if err != nil {
		return nil, "", err
	}
	return a, api + a.version + rest, nil
}

func (c *Client) slurmPath(ctx context.Context, rest string) (*adapter, string, error) {
	return c.versionPath(ctx, ctldAPI, rest)
}

func (c *Client) dbPath(ctx context.Context, rest string) (*adapter, string, error) {
	return c.versionPath(ctx, dbdAPI, rest)
}

// decodeFunc decodes one endpoint's answer in one version's shape.
type decodeFunc[T any] func([]byte) (T, *envelope, error)

// decoderOf picks an endpoint's decoder out of a version's adapter (nil: the
// version has no such endpoint).
type decoderOf[T any] func(*adapter) decodeFunc[T]

// answer is one decoded GET with what callers need beside the value: the
// warnings, the version asked and the path (errors name the endpoint).
type answer[T any] struct {
	value T
	warns []Message
	a     *adapter
	path  string
}

// get is the one shape of every buffered read endpoint: the path under the
// negotiated version, GET, and that version's decoder. A 2xx body that
// cannot be decoded, or lacks the data its endpoint always carries, is
// Malformed; a 2xx body whose errors[] is not empty is a failure too
// (v0.0.38 reports "nothing found" that way), typed by its code.
func get[T any](c *Client, ctx context.Context, api, rest string, pick decoderOf[T]) (answer[T], error) {
	a, path, err := c.versionPath(ctx, api, rest)
	if err != nil {
		return answer[T]{}, err
	}
	ans := answer[T]{a: a, path: path}
	r := request{method: http.MethodGet, path: path}
	dec := pick(a)
	if dec == nil {
		if f, ok := endpointFeatures[rest]; ok {
			return ans, needs(a, f, r.endpoint())
		}
		return ans, &Error{Kind: UnsupportedVersion, Endpoint: r.endpoint(), Err: errors.New("this API version has no such endpoint")}
	}
	resp, err := c.do(ctx, r)
	if err != nil {
		return ans, err
	}
	body := resp.body
	switch {
	case resp.status == http.StatusNotModified:
		// Not asked for by these GETs: an empty body, Malformed below.
		body = nil
	case resp.status < 200 || resp.status > 299:
		return ans, errorFromResponse(r, resp)
	}
	v, env, err := dec(body)
	missing := missingData(err)
	if err != nil && missing == "" {
		return ans, &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Err: err}
	}
	errs, warns := env.messages()
	if len(errs) > 0 {
		return ans, errorWithSlurmErrors(r, resp.status, errs, warns)
	}
	if missing != "" {
		return ans, &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Warnings: warns, Err: err}
	}
	for _, w := range warns {
		c.log.Debug("slurmrestd warning", "endpoint", r.endpoint(), "warning", w.String())
	}
	ans.value, ans.warns = v, warns
	return ans, nil
}

// list is get for the endpoints whose decoded answer is the result.
func list[T any](c *Client, ctx context.Context, api, rest string, pick decoderOf[T]) (T, error) {
	ans, err := get(c, ctx, api, rest, pick)
	return ans.value, err
}

// named reads one object by name (GET /slurm/vX/<what>/<name>) and picks it
// out of the answer; one the answer lacks is NotFound.
func named[T any](c *Client, ctx context.Context, what, name string, pick decoderOf[[]T], nameOf func(*T) string) (*T, error) {
	if err := checkName(what, name); err != nil {
		return nil, err
	}
	ans, err := get(c, ctx, ctldAPI, "/"+what+"/"+name, pick)
	if err != nil {
		return nil, err
	}
	for i := range ans.value {
		if nameOf(&ans.value[i]) == name {
			return &ans.value[i], nil
		}
	}
	return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + ans.path, Err: fmt.Errorf("%s %s not in the answer", what, name)}
}

// Ping asks slurmctld whether it responds.
func (c *Client) Ping(ctx context.Context) (*Ping, error) {
	ans, err := get(c, ctx, ctldAPI, "/ping", func(a *adapter) decodeFunc[*Ping] { return a.ping })
	if err != nil {
		return nil, err
	}
	p := ans.value
	p.APIVersion = ans.a.version
	p.Warnings = ans.warns
	if name := c.cluster.Load(); p.ClusterName == "" && name != nil {
		p.ClusterName = *name
	}
	return p, nil
}

// Jobs lists the controller's jobs. With a non-zero since (normally the
// LastUpdate of the previous answer) slurmrestd may answer "unchanged": then
// JobsAnswer.Unchanged is true and Jobs is nil — keep the previous list.
func (c *Client) Jobs(ctx context.Context, since time.Time) (*JobsAnswer, error) {
	a, path, err := c.slurmPath(ctx, "/jobs")
	if err != nil {
		return nil, err
	}
	var ans *JobsAnswer
	var env *envelope
	sent := c.jobsMark.clock()
	q := jobsQuery(a.version, since, c.jobsMark.sentFor(since), sent)
	r := request{method: http.MethodGet, path: path, query: q,
		consume: func(body io.Reader, limit int64) error {
			var err error
			// The last full answer's length sizes the list: 100k jobs are
			// then collected in place, without a second copy.
			ans, env, err = decodeJobsStreamSized(a.jobElem, body, limit, int(c.lastJobs.Load()))
			return err
		}}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.status == http.StatusNotModified:
		return &JobsAnswer{Unchanged: true, LastUpdate: since}, nil
	case resp.status != http.StatusOK:
		return nil, errorFromResponse(r, resp)
	}
	if ans.Cluster != "" {
		c.cluster.Store(&ans.Cluster)
	}
	errs, warns := env.messages()
	ans.Warnings = warns
	if hasSlurmError(errs, noChangeCodes) || (!since.IsZero() && len(ans.Jobs) == 0 && noChangeWarning(warns)) {
		return &JobsAnswer{Unchanged: true, LastUpdate: since, Warnings: warns}, nil
	}
	if len(errs) > 0 {
		// Never the rows of an answer with errors: 25.05+ list every job
		// unfiltered beside a parse error.
		return nil, errorWithSlurmErrors(r, resp.status, errs, warns)
	}
	if ans.Jobs == nil {
		return nil, &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Warnings: warns, Err: missingList("jobs")}
	}
	if !since.IsZero() && len(ans.Jobs) == 0 && !ans.LastUpdate.IsZero() && !ans.LastUpdate.After(since) {
		// An empty list whose table did not change since `since` is "no
		// change", not "no jobs".
		return &JobsAnswer{Unchanged: true, LastUpdate: ans.LastUpdate, Warnings: warns}, nil
	}
	c.jobsMark.record(ans.LastUpdate, sent)
	c.lastJobs.Store(int64(len(ans.Jobs)))
	return ans, nil
}

var noChangeCodes = map[int]bool{1900: true} // SLURM_NO_CHANGE_IN_DATA

func noChangeWarning(warns []Message) bool {
	for _, w := range warns {
		if strings.Contains(w.Description, "No job changes") || w.Number == 1900 {
			return true
		}
	}
	return false
}

// Job returns one job by id ("123"; array tasks by their own numeric job id).
// A missing job is a NotFound error.
func (c *Client) Job(ctx context.Context, id string) (*Job, error) {
	if err := checkJobID(id); err != nil {
		return nil, err
	}
	ans, err := get(c, ctx, ctldAPI, "/job/"+url.PathEscape(id), func(a *adapter) decodeFunc[*JobsAnswer] { return a.jobs })
	if err != nil {
		return nil, err
	}
	jobs := ans.value.Jobs
	if len(jobs) == 0 {
		return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + ans.path, Err: fmt.Errorf("job %s not in the answer", id)}
	}
	// An array job id returns every task; prefer the exact job.
	for i := range jobs {
		if jobs[i].ID == id || fmt.Sprint(jobs[i].JobID) == id {
			return &jobs[i], nil
		}
	}
	return &jobs[0], nil
}

// checkJobID accepts "123" and "123_4" (digits, one optional _task).
func checkJobID(id string) error {
	bad := &Error{Kind: InvalidInput, Err: fmt.Errorf("job id %q: want digits, optionally _ and a task number (e.g. 123 or 123_4)", id)}
	if id == "" || len(id) > 32 {
		return bad
	}
	us := 0
	for i, r := range id {
		switch {
		case r >= '0' && r <= '9':
		case r == '_' && i > 0 && i < len(id)-1 && us == 0:
			us++
		default:
			return bad
		}
	}
	return nil
}

// checkName accepts Slurm node, partition, reservation names.
func checkName(what, name string) error {
	if name == "" || len(name) > 128 {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("%s name %q: empty or too long", what, name)}
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return &Error{Kind: InvalidInput, Err: fmt.Errorf("%s name %q: only letters, digits, '-', '_' and '.' are allowed", what, name)}
		}
	}
	return nil
}

// Nodes lists every node.
func (c *Client) Nodes(ctx context.Context) ([]Node, error) {
	return list(c, ctx, ctldAPI, "/nodes", func(a *adapter) decodeFunc[[]Node] { return a.nodes })
}

// Node returns one node; a missing node is NotFound.
func (c *Client) Node(ctx context.Context, name string) (*Node, error) {
	return named(c, ctx, "node", name, func(a *adapter) decodeFunc[[]Node] { return a.nodes }, func(v *Node) string { return v.Name })
}

// Partitions lists every partition.
func (c *Client) Partitions(ctx context.Context) ([]Partition, error) {
	return list(c, ctx, ctldAPI, "/partitions", func(a *adapter) decodeFunc[[]Partition] { return a.parts })
}

// Partition returns one partition; a missing one is NotFound.
func (c *Client) Partition(ctx context.Context, name string) (*Partition, error) {
	return named(c, ctx, "partition", name, func(a *adapter) decodeFunc[[]Partition] { return a.parts }, func(v *Partition) string { return v.Name })
}

// Reservations lists advance reservations.
func (c *Client) Reservations(ctx context.Context) ([]Reservation, error) {
	return list(c, ctx, ctldAPI, "/reservations", func(a *adapter) decodeFunc[[]Reservation] { return a.resvs })
}

// Reservation returns one reservation; a missing one is NotFound.
func (c *Client) Reservation(ctx context.Context, name string) (*Reservation, error) {
	return named(c, ctx, "reservation", name, func(a *adapter) decodeFunc[[]Reservation] { return a.resvs }, func(v *Reservation) string { return v.Name })
}

// Diag returns scheduler statistics (/diag).
func (c *Client) Diag(ctx context.Context) (*SchedulerStats, error) {
	return list(c, ctx, ctldAPI, "/diag", func(a *adapter) decodeFunc[*SchedulerStats] { return a.diag })
}

// Licenses lists cluster licenses.
func (c *Client) Licenses(ctx context.Context) ([]License, error) {
	return list(c, ctx, ctldAPI, "/licenses", func(a *adapter) decodeFunc[[]License] { return a.lics })
}

// Shares returns the fairshare tree (/shares, v0.0.40+; UnsupportedVersion before).
func (c *Client) Shares(ctx context.Context) ([]Share, error) {
	return list(c, ctx, ctldAPI, "/shares", func(a *adapter) decodeFunc[[]Share] { return a.shares })
}
