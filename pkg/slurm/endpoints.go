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

// get fetches path and returns the 2xx body; any other answer is a typed *Error.
func (c *Client) get(ctx context.Context, path string, q url.Values) ([]byte, int, error) {
	r := request{method: http.MethodGet, path: path, query: q}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, 0, err
	}
	if resp.status < 200 || resp.status > 299 {
		if resp.status == http.StatusNotModified {
			return nil, resp.status, nil
		}
		return nil, resp.status, errorFromResponse(r, resp)
	}
	return resp.body, resp.status, nil
}

// fetch runs GET path and decodes the body with dec. A 2xx body that cannot
// be decoded is Malformed; a 2xx body whose errors[] is not empty is a
// failure too (v0.0.38 reports "nothing found" that way), typed by its code.
func fetch[T any](c *Client, ctx context.Context, path string, q url.Values, dec func([]byte) (T, *envelope, error)) (T, []Message, error) {
	var zero T
	endpoint := "GET " + path
	if dec == nil {
		return zero, nil, &Error{Kind: UnsupportedVersion, Endpoint: endpoint, Err: errors.New("this API version has no such endpoint")}
	}
	body, status, err := c.get(ctx, path, q)
	if err != nil {
		return zero, nil, err
	}
	v, env, err := dec(body)
	missing := missingData(err)
	if err != nil && missing == "" {
		return zero, nil, &Error{Kind: Malformed, HTTPStatus: status, Endpoint: endpoint, Err: err}
	}
	errs, warns := env.messages()
	if len(errs) == 0 && missing != "" {
		return zero, warns, &Error{Kind: Malformed, HTTPStatus: status, Endpoint: endpoint, Warnings: warns, Err: err}
	}
	if len(errs) > 0 {
		return zero, warns, errorWithSlurmErrors(request{method: http.MethodGet, path: path}, status, errs, warns)
	}
	for _, w := range warns {
		c.log.Debug("slurmrestd warning", "endpoint", endpoint, "warning", w.String())
	}
	return v, warns, nil
}

func (c *Client) slurmPath(ctx context.Context, rest string) (*adapter, string, error) {
	a, err := c.adapterFor(ctx)
	if err != nil {
		return nil, "", err
	}
	return a, "/slurm/" + a.version + rest, nil
}

// Ping asks slurmctld whether it responds.
func (c *Client) Ping(ctx context.Context) (*Ping, error) {
	a, path, err := c.slurmPath(ctx, "/ping")
	if err != nil {
		return nil, err
	}
	p, warns, err := fetch(c, ctx, path, nil, a.ping)
	if err != nil {
		return nil, err
	}
	p.APIVersion = a.version
	p.Warnings = warns
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
			ans, env, err = decodeJobsStream(a.jobElem, body, limit)
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
	a, path, err := c.slurmPath(ctx, "/job/"+url.PathEscape(id))
	if err != nil {
		return nil, err
	}
	ans, _, err := fetch(c, ctx, path, nil, a.jobs)
	if err != nil {
		return nil, err
	}
	if len(ans.Jobs) == 0 {
		return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + path, Err: fmt.Errorf("job %s not in the answer", id)}
	}
	// An array job id returns every task; prefer the exact job.
	for i := range ans.Jobs {
		if ans.Jobs[i].ID == id || fmt.Sprint(ans.Jobs[i].JobID) == id {
			return &ans.Jobs[i], nil
		}
	}
	return &ans.Jobs[0], nil
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
	a, path, err := c.slurmPath(ctx, "/nodes")
	if err != nil {
		return nil, err
	}
	nodes, _, err := fetch(c, ctx, path, nil, a.nodes)
	return nodes, err
}

// Node returns one node; a missing node is NotFound.
func (c *Client) Node(ctx context.Context, name string) (*Node, error) {
	if err := checkName("node", name); err != nil {
		return nil, err
	}
	a, path, err := c.slurmPath(ctx, "/node/"+name)
	if err != nil {
		return nil, err
	}
	nodes, _, err := fetch(c, ctx, path, nil, a.nodes)
	if err != nil {
		return nil, err
	}
	for i := range nodes {
		if nodes[i].Name == name {
			return &nodes[i], nil
		}
	}
	return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + path, Err: fmt.Errorf("node %s not in the answer", name)}
}

// Partitions lists every partition.
func (c *Client) Partitions(ctx context.Context) ([]Partition, error) {
	a, path, err := c.slurmPath(ctx, "/partitions")
	if err != nil {
		return nil, err
	}
	parts, _, err := fetch(c, ctx, path, nil, a.parts)
	return parts, err
}

// Diag returns scheduler statistics (/diag).
func (c *Client) Diag(ctx context.Context) (*SchedulerStats, error) {
	a, path, err := c.slurmPath(ctx, "/diag")
	if err != nil {
		return nil, err
	}
	s, _, err := fetch(c, ctx, path, nil, a.diag)
	return s, err
}

// Reservations lists advance reservations.
func (c *Client) Reservations(ctx context.Context) ([]Reservation, error) {
	a, path, err := c.slurmPath(ctx, "/reservations")
	if err != nil {
		return nil, err
	}
	r, _, err := fetch(c, ctx, path, nil, a.resvs)
	return r, err
}

// Licenses lists cluster licenses.
func (c *Client) Licenses(ctx context.Context) ([]License, error) {
	a, path, err := c.slurmPath(ctx, "/licenses")
	if err != nil {
		return nil, err
	}
	l, _, err := fetch(c, ctx, path, nil, a.lics)
	return l, err
}

// Shares returns the fairshare tree (/shares, v0.0.40+; UnsupportedVersion before).
func (c *Client) Shares(ctx context.Context) ([]Share, error) {
	a, path, err := c.slurmPath(ctx, "/shares")
	if err != nil {
		return nil, err
	}
	if err := needs(a, FeatureShares, "GET "+path); err != nil {
		return nil, err
	}
	s, _, err := fetch(c, ctx, path, nil, a.shares)
	return s, err
}

func (c *Client) dbPath(ctx context.Context, rest string) (*adapter, string, error) {
	a, err := c.adapterFor(ctx)
	if err != nil {
		return nil, "", err
	}
	return a, "/slurmdb/" + a.version + rest, nil
}

// QOS lists the QOS of slurmdbd.
func (c *Client) QOS(ctx context.Context) ([]QOS, error) {
	a, path, err := c.dbPath(ctx, "/qos")
	if err != nil {
		return nil, err
	}
	q, _, err := fetch(c, ctx, path, nil, a.qos)
	return q, err
}

// Associations lists slurmdbd associations.
func (c *Client) Associations(ctx context.Context) ([]Association, error) {
	a, path, err := c.dbPath(ctx, "/associations")
	if err != nil {
		return nil, err
	}
	as, _, err := fetch(c, ctx, path, nil, a.assocs)
	return as, err
}

// Accounts lists slurmdbd accounts.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	a, path, err := c.dbPath(ctx, "/accounts")
	if err != nil {
		return nil, err
	}
	as, _, err := fetch(c, ctx, path, nil, a.accts)
	return as, err
}

// Users lists slurmdbd users.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	a, path, err := c.dbPath(ctx, "/users")
	if err != nil {
		return nil, err
	}
	us, _, err := fetch(c, ctx, path, nil, a.users)
	return us, err
}

// Partition returns one partition; a missing one is NotFound.
func (c *Client) Partition(ctx context.Context, name string) (*Partition, error) {
	if err := checkName("partition", name); err != nil {
		return nil, err
	}
	a, path, err := c.slurmPath(ctx, "/partition/"+name)
	if err != nil {
		return nil, err
	}
	parts, _, err := fetch(c, ctx, path, nil, a.parts)
	if err != nil {
		return nil, err
	}
	for i := range parts {
		if parts[i].Name == name {
			return &parts[i], nil
		}
	}
	return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + path, Err: fmt.Errorf("partition %s not in the answer", name)}
}

// Reservation returns one reservation; a missing one is NotFound.
func (c *Client) Reservation(ctx context.Context, name string) (*Reservation, error) {
	if err := checkName("reservation", name); err != nil {
		return nil, err
	}
	a, path, err := c.slurmPath(ctx, "/reservation/"+name)
	if err != nil {
		return nil, err
	}
	rs, _, err := fetch(c, ctx, path, nil, a.resvs)
	if err != nil {
		return nil, err
	}
	for i := range rs {
		if rs[i].Name == name {
			return &rs[i], nil
		}
	}
	return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + path, Err: fmt.Errorf("reservation %s not in the answer", name)}
}
