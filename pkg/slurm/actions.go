package slurm

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// JobAction is what an operator does to a job (scancel / scontrol hold,
// release, requeue).
type JobAction string

// The job actions. Each works on a job ("123"), an array task ("123_4") and a
// whole array ("123": every task, as scancel and scontrol do).
const (
	JobCancel  JobAction = "cancel"
	JobHold    JobAction = "hold"
	JobRelease JobAction = "release"
	JobRequeue JobAction = "requeue"
)

// NodeAction is what an operator does to a node (scontrol update state=…).
type NodeAction string

// The node actions; drain needs a reason.
const (
	NodeDrain  NodeAction = "drain"
	NodeResume NodeAction = "resume"
)

// JobActions and NodeActions list the actions in the order the UI shows them.
var (
	JobActions  = []JobAction{JobCancel, JobHold, JobRelease, JobRequeue}
	NodeActions = []NodeAction{NodeDrain, NodeResume}
)

// ActionResult is what an accepted action's answer said beyond success:
// Slurm's warnings (e.g. "Job was already sent signal Killed").
type ActionResult struct {
	Warnings []Message
}

// ActionFeature names the feature an action needs ("" when every version
// has it): requeue exists from v0.0.45 on, node update from v0.0.39 on.
func ActionFeature(action string) Feature {
	switch action {
	case string(JobRequeue):
		return FeatureJobRequeue
	case string(NodeDrain), string(NodeResume):
		return FeatureNodeUpdate
	}
	return ""
}

// ActOnJob performs a job action as asUser ("" = the configured user; another
// user needs auth mode jwtKey). Requests per version:
//
//	cancel   DELETE /slurm/vX/job/{id}                      every version
//	hold     POST   /slurm/vX/job/{id}  {"hold": true}      every version
//	release  POST   /slurm/vX/job/{id}  {"hold": false}     every version
//	requeue  GET    /slurm/vX/job/{id}/requeue              v0.0.45 (26.05) only
//
// Before v0.0.45 slurmrestd has no requeue at all (the job update's
// "requeue" field only says whether a job may be requeued): the action is
// refused as UnsupportedVersion without a request. A refusal is a Refused
// error with Slurm's own message, whether slurmrestd said 500 (23.11, 22.05),
// 422, or 200 with errors in status[]/results[]; on v0.0.40/41, which answer
// a refused cancel with a bare 200, the job is read again to tell.
func (c *Client) ActOnJob(ctx context.Context, act JobAction, id, asUser string) (ActionResult, error) {
	if err := checkJobID(id); err != nil {
		return ActionResult{}, err
	}
	if err := checkActor(asUser); err != nil {
		return ActionResult{}, err
	}
	a, path, err := c.slurmPath(ctx, "/job/"+url.PathEscape(id))
	if err != nil {
		return ActionResult{}, err
	}
	var r request
	switch act {
	case JobCancel:
		r = request{method: http.MethodDelete, path: path}
	case JobHold, JobRelease:
		r = request{method: http.MethodPost, path: path, body: holdBody(act == JobHold)}
	case JobRequeue:
		r = request{method: http.MethodGet, path: path + "/requeue", noRetry: true}
		if err := needs(a, FeatureJobRequeue, r.endpoint()); err != nil {
			return ActionResult{}, err
		}
	default:
		return ActionResult{}, &Error{Kind: InvalidInput, Err: fmt.Errorf("job action %q is not one of cancel, hold, release, requeue", act)}
	}
	r.asUser = asUser
	res, err := c.action(ctx, r)
	if err == nil && act == JobCancel && a.cancelHidesRefusal {
		err = c.checkCancelled(ctx, r, id)
	}
	return res, err
}

// ActOnNode drains (reason required) or resumes a node as asUser. v0.0.38
// has no node update endpoint (22.05 answers 405): UnsupportedVersion,
// without a request.
func (c *Client) ActOnNode(ctx context.Context, act NodeAction, name, reason, asUser string) (ActionResult, error) {
	var u NodeUpdate
	switch act {
	case NodeDrain:
		u = NodeUpdate{State: "DRAIN", Reason: reason}
	case NodeResume:
		u = NodeUpdate{State: "RESUME", Reason: reason}
	default:
		return ActionResult{}, &Error{Kind: InvalidInput, Err: fmt.Errorf("node action %q is not one of drain, resume", act)}
	}
	return c.updateNode(ctx, name, u, asUser)
}

// CancelJob cancels a job as asUser (ActOnJob with JobCancel).
func (c *Client) CancelJob(ctx context.Context, id string, asUser string) error {
	_, err := c.ActOnJob(ctx, JobCancel, id, asUser)
	return err
}

// UpdateNode changes a node's state (drain/resume) as asUser. v0.0.38 has no
// node update endpoint: UnsupportedVersion.
func (c *Client) UpdateNode(ctx context.Context, name string, u NodeUpdate, asUser string) error {
	_, err := c.updateNode(ctx, name, u, asUser)
	return err
}

func (c *Client) updateNode(ctx context.Context, name string, u NodeUpdate, asUser string) (ActionResult, error) {
	if err := checkName("node", name); err != nil {
		return ActionResult{}, err
	}
	if u.State == "" {
		return ActionResult{}, &Error{Kind: InvalidInput, Err: fmt.Errorf("node update: State is empty")}
	}
	if len(u.Reason) > 1024 {
		return ActionResult{}, &Error{Kind: InvalidInput, Err: fmt.Errorf("node update: Reason is longer than 1024 characters")}
	}
	if err := checkActor(asUser); err != nil {
		return ActionResult{}, err
	}
	a, path, err := c.slurmPath(ctx, "/node/"+name)
	if err != nil {
		return ActionResult{}, err
	}
	if err := needs(a, FeatureNodeUpdate, "POST "+path); err != nil {
		return ActionResult{}, err
	}
	body, err := a.nodeUpdate(u)
	if err != nil {
		return ActionResult{}, &Error{Kind: InvalidInput, Endpoint: "POST " + path, Err: err}
	}
	return c.action(ctx, request{method: http.MethodPost, path: path, body: body, asUser: asUser})
}

func checkActor(asUser string) error {
	if asUser != "" && !validUserName(asUser) {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("user name %q is not valid", asUser)}
	}
	return nil
}

// holdBody is the job update of hold (priority 0) and release: {"hold":
// true|false}. v0.0.38's job_properties and v0.0.39+'s job_desc_msg both
// have the field ("Hold (true) or release (false) job"); 22.05.8 was seen
// to hold and release with it (v0.0.38 refuses "priority": 0 and
// "priority": "INFINITE" with parse errors).
func holdBody(hold bool) []byte {
	if hold {
		return []byte(`{"hold":true}`)
	}
	return []byte(`{"hold":false}`)
}

// action performs a mutating request (never retried) and types its answer.
func (c *Client) action(ctx context.Context, r request) (ActionResult, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return ActionResult{}, err
	}
	if resp.status < 200 || resp.status > 299 {
		// 500 (22.05-25.05) or 422 (26.05) with Slurm's error: typed by its
		// number (errors.go), e.g. 2002/2010 Refused, 2017 NotFound.
		return ActionResult{}, errorFromResponse(r, resp)
	}
	res, err := decodeAction(resp.body)
	if err != nil {
		return ActionResult{}, &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Err: err}
	}
	errs, warns := res.env.messages()
	for _, s := range res.entries {
		if s.code != 0 {
			errs = append(errs, Message{Number: s.code, Error: s.message, Description: s.describe()})
		}
	}
	if len(errs) > 0 {
		// 200 with errors: v0.0.42+ report refused cancels in status[];
		// 22.05 reports a failed array task update with an unnumbered error.
		kind := kindOfAnswer(resp.status, errs)
		if kind == Server {
			kind = Refused
		}
		return ActionResult{}, &Error{Kind: kind, HTTPStatus: resp.status, Endpoint: r.endpoint(), SlurmErrors: errs, Warnings: warns}
	}
	return ActionResult{Warnings: warns}, nil
}
