package slurm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// CancelJob cancels a job (DELETE /slurm/vX/job/{id}) as asUser ("" = the
// configured user; another user needs auth mode jwtKey).
//
// Refusals are reported as Refused errors whether slurmrestd said HTTP 500
// (23.11), 422, or HTTP 200 with status[].error.code (v0.0.42+). Caution:
// v0.0.40 and v0.0.41 answer a refused cancel with HTTP 200 and empty
// errors; that refusal cannot be detected from the answer (re-read the job).
func (c *Client) CancelJob(ctx context.Context, id string, asUser string) error {
	if err := checkJobID(id); err != nil {
		return err
	}
	if asUser != "" && !validUserName(asUser) {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("user name %q is not valid", asUser)}
	}
	a, path, err := c.slurmPath(ctx, "/job/"+url.PathEscape(id))
	if err != nil {
		return err
	}
	return c.action(ctx, a, request{method: http.MethodDelete, path: path, asUser: asUser})
}

// UpdateNode changes a node's state (drain/resume) as asUser. v0.0.38 has no
// node update endpoint: UnsupportedVersion.
func (c *Client) UpdateNode(ctx context.Context, name string, u NodeUpdate, asUser string) error {
	if err := checkName("node", name); err != nil {
		return err
	}
	if u.State == "" {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("node update: State is empty")}
	}
	if len(u.Reason) > 1024 {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("node update: Reason is longer than 1024 characters")}
	}
	if asUser != "" && !validUserName(asUser) {
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("user name %q is not valid", asUser)}
	}
	a, path, err := c.slurmPath(ctx, "/node/"+name)
	if err != nil {
		return err
	}
	if err := needs(a, FeatureNodeUpdate, "POST "+path); err != nil {
		return err
	}
	body, err := a.nodeUpdate(u)
	if err != nil {
		return &Error{Kind: InvalidInput, Endpoint: "POST " + path, Err: err}
	}
	return c.action(ctx, a, request{method: http.MethodPost, path: path, body: body, asUser: asUser})
}

// action performs a mutating request (never retried) and types its answer.
func (c *Client) action(ctx context.Context, a *adapter, r request) error {
	resp, err := c.do(ctx, r)
	if err != nil {
		return err
	}
	if resp.status < 200 || resp.status > 299 {
		return errorFromResponse(r, resp)
	}
	res, err := decodeAction(resp.body)
	if err != nil {
		return &Error{Kind: Malformed, HTTPStatus: resp.status, Endpoint: r.endpoint(), Err: err}
	}
	errs, warns := res.env.messages()
	for _, s := range res.status {
		if s.code != 0 {
			errs = append(errs, Message{Number: s.code, Error: s.message, Description: "job " + s.jobID})
		}
	}
	if len(errs) > 0 {
		return &Error{Kind: Refused, HTTPStatus: resp.status, Endpoint: r.endpoint(), SlurmErrors: errs, Warnings: warns}
	}
	return nil
}

// actionAnswer covers every version's DELETE /job and POST /node answer:
// errors[]/warnings[] always; status[] (per job signal result) from v0.0.42.
type actionAnswer struct {
	envelope
	Status []struct {
		Error struct {
			String  string `json:"string"`
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		StepID string `json:"step_id"`
		JobID  num    `json:"job_id"`
	} `json:"status"`
}

func decodeAction(data []byte) (*actionResult, error) {
	if len(data) == 0 {
		return &actionResult{}, nil // some versions answer success with an empty body
	}
	raw, err := decodeInto[actionAnswer](data)
	if err != nil {
		return nil, err
	}
	res := &actionResult{env: raw.envelope}
	for _, s := range raw.Status {
		msg := s.Error.Message
		if msg == "" {
			msg = s.Error.String
		}
		id := s.StepID
		if v, ok := s.JobID.model().Get(); ok {
			id = fmt.Sprint(v)
		}
		res.status = append(res.status, actionStatus{code: s.Error.Code, message: msg, jobID: id})
	}
	return res, nil
}

// nodeStates are the states an operator may set (v0.0.39+ update_node_msg enum subset).
var nodeStates = set("DRAIN", "RESUME", "UNDRAIN", "DOWN", "IDLE", "FAIL", "POWER_DOWN", "POWER_UP", "REBOOT_REQUESTED", "REBOOT_CANCELED")

// nodeUpdateBody is the POST /node/{name} body of v0.0.39+: {"state":["DRAIN"],"reason":"…"}.
func nodeUpdateBody(u NodeUpdate) ([]byte, error) {
	st := strings.ToUpper(strings.TrimSpace(u.State))
	if !nodeStates[st] {
		return nil, fmt.Errorf("node state %q is not one of DRAIN, RESUME, UNDRAIN, DOWN, IDLE, FAIL, POWER_DOWN, POWER_UP, REBOOT_REQUESTED, REBOOT_CANCELED", u.State)
	}
	if (st == "DRAIN" || st == "DOWN" || st == "FAIL") && strings.TrimSpace(u.Reason) == "" {
		return nil, fmt.Errorf("node state %s needs a reason", st)
	}
	body := struct {
		State  []string `json:"state"`
		Reason string   `json:"reason,omitempty"`
	}{State: []string{st}, Reason: u.Reason}
	return json.Marshal(body)
}

// actionResult is what an action answer tells beyond the HTTP status.
type actionResult struct {
	env    envelope
	status []actionStatus // v0.0.42+ cancel answers
}

type actionStatus struct {
	code    int
	message string
	jobID   string
}
