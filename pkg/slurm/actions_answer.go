package slurm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// actionAnswer covers every version's action answer: errors[]/warnings[]
// always; per-job results of a cancel (status[], v0.0.42+), a job update
// (results[], v0.0.39+) and a requeue (status[], v0.0.45). Their entries
// come in two shapes:
//
//	cancel  v0.0.42+  {"error": {"string", "code", "message"}, "step_id": "5030", "job_id": {"set", "number"}}
//	update, requeue   {"job_id": 123, "step_id": "…", "error": "…", "error_code": 2002, "why": "…"}
type actionAnswer struct {
	envelope
	Status  []actionEntryRaw `json:"status"`
	Results []actionEntryRaw `json:"results"`
}

type actionEntryRaw struct {
	Error     json.RawMessage `json:"error"`
	ErrorCode int             `json:"error_code"`
	Why       string          `json:"why"`
	StepID    string          `json:"step_id"`
	JobID     json.RawMessage `json:"job_id"`
}

// actionResult is what an action answer tells beyond the HTTP status.
type actionResult struct {
	env     envelope
	entries []actionEntry
}

type actionEntry struct {
	code    int
	message string
	why     string
	jobID   string
}

func (e actionEntry) describe() string {
	var parts []string
	if e.jobID != "" {
		parts = append(parts, "job "+e.jobID)
	}
	if e.why != "" && e.why != e.message {
		parts = append(parts, e.why)
	}
	return strings.Join(parts, ": ")
}

func decodeAction(data []byte) (*actionResult, error) {
	if len(strings.TrimSpace(string(data))) == 0 {
		return &actionResult{}, nil // some versions answer success with an empty body
	}
	raw, err := decodeInto[actionAnswer](data)
	if err != nil {
		return nil, err
	}
	res := &actionResult{env: raw.envelope}
	for _, list := range [][]actionEntryRaw{raw.Status, raw.Results} {
		for _, s := range list {
			e, err := s.entry()
			if err != nil {
				return nil, err
			}
			res.entries = append(res.entries, e)
		}
	}
	return res, nil
}

func (s actionEntryRaw) entry() (actionEntry, error) {
	e := actionEntry{code: s.ErrorCode, why: s.Why, jobID: s.StepID}
	if id := jobIDOf(s.JobID); id != "" {
		e.jobID = id
	}
	switch text := strings.TrimSpace(string(s.Error)); {
	case text == "" || text == "null":
	case strings.HasPrefix(text, "{"):
		var obj struct {
			String  string `json:"string"`
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(s.Error, &obj); err != nil {
			return e, fmt.Errorf("action result error: %w", err)
		}
		e.code, e.message = obj.Code, obj.Message
		if e.message == "" {
			e.message = obj.String
		}
	default:
		if err := json.Unmarshal(s.Error, &e.message); err != nil {
			return e, fmt.Errorf("action result error: %w", err)
		}
	}
	return e, nil
}

// jobIDOf reads a job_id that is a plain integer or a {set, number} object.
func jobIDOf(raw json.RawMessage) string {
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return strconv.FormatInt(n, 10)
	}
	var w num
	if json.Unmarshal(raw, &w) == nil && w.Set {
		return strconv.FormatInt(w.Number, 10)
	}
	return ""
}

// HiddenRefusalError is a cancel that slurmrestd answered with success but
// that did not happen: v0.0.40/41 answer a refused cancel with HTTP 200 and
// no error (25.05.8 when alice cancels bob's job), so the job was read again.
type HiddenRefusalError struct {
	JobID string
	State string // the job's state after the cancel, e.g. PENDING
	Ended bool   // the job had already ended (COMPLETED, FAILED, …)
}

func (e *HiddenRefusalError) Error() string {
	if e.Ended {
		return fmt.Sprintf("job %s had already ended (%s): nothing was cancelled", e.JobID, e.State)
	}
	return fmt.Sprintf("slurmrestd answered success but job %s is still %s: Slurm refused the cancel (this API version does not report refusals)", e.JobID, e.State)
}

// liveStates are job states in which a cancel that worked is not seen.
var liveStates = set("PENDING", "RUNNING", "SUSPENDED", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "CONFIGURING", "RESIZING", "STOPPED", "SIGNALING", "SPECIAL_EXIT")

// checkCancelled reads the job again (as the data source's own user) after a
// bare 200 to a cancel: one record CANCELLED (or the job gone) is success; a
// job still live was refused; one that had ended had nothing to cancel.
func (c *Client) checkCancelled(ctx context.Context, r request, id string) error {
	ans, err := get(c, ctx, ctldAPI, "/job/"+id, func(a *adapter) decodeFunc[*JobsAnswer] { return a.jobs })
	var se *Error
	if errors.As(err, &se) && se.Kind == NotFound && hasSlurmError(se.SlurmErrors, notFoundCodes) {
		return nil // slurmctld says the job is gone: nothing left to cancel
	}
	if err != nil {
		return &Error{Kind: KindOf(err), Endpoint: r.endpoint(),
			Err: fmt.Errorf("slurmrestd answered the cancel with success, which this API version also says when it refuses; reading the job again to tell failed: %w", err)}
	}
	var last string
	ended := true
	for _, j := range ans.value.Jobs {
		switch {
		case j.State.Base == "CANCELLED":
			return nil
		case liveStates[j.State.Base]:
			ended = false
		}
		last = j.State.Base
	}
	if last == "" {
		return nil
	}
	return &Error{Kind: Refused, HTTPStatus: 200, Endpoint: r.endpoint(), Err: &HiddenRefusalError{JobID: id, State: last, Ended: ended}}
}
