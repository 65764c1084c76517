package slurm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
)

// AccountingJobs lists jobs recorded by slurmdbd in the filter's window.
// Filters the server cannot apply in this version (users on v0.0.38) are
// applied here, so the result is the same on every version.
func (c *Client) AccountingJobs(ctx context.Context, f AccountingFilter) ([]AccountingJob, error) {
	if !f.Start.IsZero() && !f.End.IsZero() && f.End.Before(f.Start) {
		return nil, &Error{Kind: InvalidInput, Err: fmt.Errorf("accounting filter: End %s is before Start %s", f.End, f.Start)}
	}
	a, path, err := c.dbPath(ctx, "/jobs")
	if err != nil {
		return nil, err
	}
	q, err := dbJobsQuery(a.version, f, c.jobsMark.clock())
	if err != nil {
		return nil, err
	}
	var jobs []AccountingJob
	var env *envelope
	r := request{method: http.MethodGet, path: path, query: q,
		consume: func(body io.Reader, limit int64) error {
			var err error
			jobs, env, err = a.dbJobsStr(body, limit, defaultStreamOpts())
			return err
		}}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, errorFromResponse(r, resp)
	}
	errs, warns := env.messages()
	if len(errs) > 0 {
		err := errorWithSlurmErrors(r, resp.status, errs, warns)
		if len(jobs) == 0 && hasSlurmError(errs, nothingFoundCodes) && len(errs) == 1 {
			// v0.0.38 reports an empty window as error 9003 "Nothing found".
			return []AccountingJob{}, nil
		}
		// Never the rows of an answer with errors.
		return nil, err
	}
	if jobs == nil {
		return nil, &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Warnings: warns, Err: missingList("jobs")}
	}
	return filterAccounting(jobs, f), nil
}

// AccountingJob returns one job from slurmdbd. A job slurmdbd does not know
// is NotFound (slurmdbd answers HTTP 200 with a warning, or error 9003 on v0.0.38).
func (c *Client) AccountingJob(ctx context.Context, id string) (*AccountingJob, error) {
	if err := checkJobID(id); err != nil {
		return nil, err
	}
	ans, err := get(c, ctx, dbdAPI, "/job/"+url.PathEscape(id), func(a *adapter) decodeFunc[[]AccountingJob] { return a.dbJobs })
	if err != nil {
		return nil, err
	}
	if len(ans.value) == 0 {
		return nil, &Error{Kind: NotFound, HTTPStatus: http.StatusOK, Endpoint: "GET " + ans.path, Warnings: ans.warns,
			Err: fmt.Errorf("job %s is not in the accounting database", id)}
	}
	return &ans.value[0], nil
}

// filterAccounting applies f on the client side (idempotent with the
// server-side filter): for what the version cannot filter (users on v0.0.38,
// states without a full window, QOS names always) and as a check on the rest.
func filterAccounting(jobs []AccountingJob, f AccountingFilter) []AccountingJob {
	if len(f.Users) == 0 && len(f.Accounts) == 0 && len(f.Partitions) == 0 && len(f.States) == 0 &&
		len(f.QOS) == 0 && len(f.JobNames) == 0 && len(f.JobIDs) == 0 {
		return jobs
	}
	in := func(list []string, v string) bool {
		return len(list) == 0 || slices.Contains(list, v)
	}
	states := upperAll(f.States)
	out := jobs[:0]
	for _, j := range jobs {
		if in(f.Users, j.User) && in(f.Accounts, j.Account) && in(f.Partitions, j.Partition) && in(states, j.State.Base) &&
			in(f.QOS, j.QOS) && in(f.JobNames, j.Name) && (len(f.JobIDs) == 0 || slices.Contains(f.JobIDs, j.JobID)) {
			out = append(out, j)
		}
	}
	return out
}

// QOS lists the QOS of slurmdbd.
func (c *Client) QOS(ctx context.Context) ([]QOS, error) {
	return list(c, ctx, dbdAPI, "/qos", func(a *adapter) decodeFunc[[]QOS] { return a.qos })
}

// Associations lists slurmdbd associations.
func (c *Client) Associations(ctx context.Context) ([]Association, error) {
	return list(c, ctx, dbdAPI, "/associations", func(a *adapter) decodeFunc[[]Association] { return a.assocs })
}

// Accounts lists slurmdbd accounts.
func (c *Client) Accounts(ctx context.Context) ([]Account, error) {
	return list(c, ctx, dbdAPI, "/accounts", func(a *adapter) decodeFunc[[]Account] { return a.accts })
}

// Users lists slurmdbd users.
func (c *Client) Users(ctx context.Context) ([]User, error) {
	return list(c, ctx, dbdAPI, "/users", func(a *adapter) decodeFunc[[]User] { return a.users })
}
