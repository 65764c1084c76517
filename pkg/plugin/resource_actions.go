package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
)

// actionRoutes are the operator action routes of the resource dispatch
// table. Every mutating route answers any method but POST itself (405,
// audited), so no GET ever changes anything.
//
//	POST actions/jobs/{id}/{action}     cancel, hold, release, requeue (123, 123_4, a whole array 123)
//	POST actions/jobs/bulk              {"action", "jobs": [ids], "reason"?}
//	POST actions/nodes/{name}/{action}  drain ({"reason"} required), resume
//	POST actions/nodes/bulk             {"action", "nodes": "node[01-04]" or [names], "reason"?}
//	GET  actions/capabilities           what this user may do here, and why not
func (d *Datasource) actionRoutes() []resourceRoute {
	return []resourceRoute{
		{"/actions/jobs/bulk", d.handleJobsBulk},
		{"/actions/jobs/{id}/{action}", d.handleJobAction},
		{"/actions/nodes/bulk", d.handleNodesBulk},
		{"/actions/nodes/{name}/{action}", d.handleNodeAction},
		{"GET /actions/capabilities", d.handleActionCapabilities},
	}
}

// actionBody is every field an action request may carry; which ones a
// route reads is its own business, any other is refused by name.
type actionBody struct {
	Action string          `json:"action"`
	Jobs   []string        `json:"jobs"`
	Nodes  json.RawMessage `json:"nodes"`
	Reason string          `json:"reason"`
}

// errBodyTooLarge: a body over actions.MaxBodyBytes (answered 413).
var errBodyTooLarge = fmt.Errorf("the request body is larger than %d KiB", actions.MaxBodyBytes>>10)

// readActionBody reads an optional JSON object body under the size cap;
// unknown fields and wrong types are errors naming the field.
func readActionBody(r *http.Request, allowed ...string) (actionBody, error) {
	var b actionBody
	if r.Body == nil { // the SDK's adapter sends no body when Grafana had none
		return b, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, actions.MaxBodyBytes+1))
	if err != nil {
		return b, &actions.FieldError{Field: "body", Message: "the request body could not be read"}
	}
	if len(data) > actions.MaxBodyBytes {
		return b, errBodyTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return b, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return b, &actions.FieldError{Field: "body", Message: "the request body is not a JSON object"}
	}
	for name := range fields {
		if !contains(allowed, name) {
			return b, &actions.FieldError{Field: name, Message: fmt.Sprintf("this request takes only %s", listOr(allowed))}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&b); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return b, &actions.FieldError{Field: te.Field, Message: fmt.Sprintf("must be a %s, not a JSON %s", jsonTypeName(te.Type.Kind().String()), te.Value)}
		}
		return b, &actions.FieldError{Field: "body", Message: "the request body is not valid JSON"}
	}
	return b, nil
}

func jsonTypeName(kind string) string {
	switch kind {
	case "slice":
		return "list"
	case "string":
		return "string"
	}
	return kind
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func listOr(names []string) string {
	if len(names) == 0 {
		return "no body"
	}
	return "the fields " + strings.Join(names, ", ")
}

// nodeList reads "nodes" as a hostlist string or a list of names/hostlists.
func nodeList(raw json.RawMessage) (string, *actions.FieldError) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", &actions.FieldError{Field: "nodes", Message: "a node name, hostlist or list of names is required"}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		for i, n := range list {
			if n == "" || strings.Contains(n, ",") && !strings.Contains(n, "[") {
				return "", &actions.FieldError{Field: fmt.Sprintf("nodes[%d]", i), Message: "want one node name or hostlist per entry"}
			}
		}
		return strings.Join(list, ","), nil
	}
	return "", &actions.FieldError{Field: "nodes", Message: "must be a hostlist string or a list of node names"}
}

// handleJobAction: POST actions/jobs/{id}/{action}, optional {"reason"}.
func (d *Datasource) handleJobAction(w http.ResponseWriter, r *http.Request) {
	act := actions.Action(r.PathValue("action"))
	req := actionRequest{family: actions.FamilyJobs, action: act, raw: r.PathValue("id"), single: true}
	if ferr := familyError(req); ferr != nil {
		d.refuseRequest(w, r, req, ferr)
		return
	}
	if !d.postOnly(w, r, req) {
		return
	}
	body, err := readActionBody(r, "reason")
	if err != nil {
		d.refuseRequest(w, r, req, err)
		return
	}
	req.reason = body.Reason
	d.runAction(w, r, &req, func() *actions.FieldError {
		if err := actions.CheckJobID("id", req.raw); err != nil {
			return err
		}
		req.targets = []string{req.raw}
		return actions.CheckReason("reason", req.reason, false)
	})
}

// handleJobsBulk: POST actions/jobs/bulk {"action", "jobs", "reason"?}.
func (d *Datasource) handleJobsBulk(w http.ResponseWriter, r *http.Request) {
	req := actionRequest{family: actions.FamilyJobs, raw: "bulk"}
	if !d.postOnly(w, r, req) {
		return
	}
	body, err := readActionBody(r, "action", "jobs", "reason")
	if err != nil {
		d.refuseRequest(w, r, req, err)
		return
	}
	req.action, req.reason = actions.Action(body.Action), body.Reason
	req.raw = strings.Join(body.Jobs, ",")
	if ferr := familyError(req); ferr != nil {
		d.refuseRequest(w, r, req, ferr)
		return
	}
	d.runAction(w, r, &req, func() *actions.FieldError {
		if err := actions.CheckJobIDs("jobs", body.Jobs, d.settings.Actions.MaxTargets); err != nil {
			return err
		}
		req.targets = body.Jobs
		return actions.CheckReason("reason", req.reason, false)
	})
}

// handleNodeAction: POST actions/nodes/{name}/{action}; drain needs {"reason"}.
func (d *Datasource) handleNodeAction(w http.ResponseWriter, r *http.Request) {
	act := actions.Action(r.PathValue("action"))
	req := actionRequest{family: actions.FamilyNodes, action: act, raw: r.PathValue("name"), single: true}
	if ferr := familyError(req); ferr != nil {
		d.refuseRequest(w, r, req, ferr)
		return
	}
	if !d.postOnly(w, r, req) {
		return
	}
	body, err := readActionBody(r, "reason")
	if err != nil {
		d.refuseRequest(w, r, req, err)
		return
	}
	req.reason = body.Reason
	d.runAction(w, r, &req, func() *actions.FieldError {
		names, ferr := actions.ExpandNodes("name", req.raw, 1)
		if ferr != nil {
			if strings.Contains(ferr.Message, "more than") {
				ferr.Message = "one node per request here: send a hostlist to actions/nodes/bulk"
			}
			return ferr
		}
		req.targets = names
		return actions.CheckReason("reason", req.reason, act == actions.Drain)
	})
}

// handleNodesBulk: POST actions/nodes/bulk {"action", "nodes", "reason"?}.
func (d *Datasource) handleNodesBulk(w http.ResponseWriter, r *http.Request) {
	req := actionRequest{family: actions.FamilyNodes, raw: "bulk"}
	if !d.postOnly(w, r, req) {
		return
	}
	body, err := readActionBody(r, "action", "nodes", "reason")
	if err != nil {
		d.refuseRequest(w, r, req, err)
		return
	}
	req.action, req.reason = actions.Action(body.Action), body.Reason
	if ferr := familyError(req); ferr != nil {
		d.refuseRequest(w, r, req, ferr)
		return
	}
	expr, ferr := nodeList(body.Nodes)
	req.raw = expr
	d.runAction(w, r, &req, func() *actions.FieldError {
		if ferr != nil {
			return ferr
		}
		names, ferr := actions.ExpandNodes("nodes", expr, d.settings.Actions.MaxTargets)
		if ferr != nil {
			return ferr
		}
		req.targets = names
		return actions.CheckReason("reason", req.reason, req.action == actions.Drain)
	})
}

// familyError refuses an action name outside the request's family, naming
// the family's actions.
func familyError(req actionRequest) *actions.FieldError {
	if fam, ok := actions.FamilyOf(req.action); ok && fam == req.family {
		return nil
	}
	what, use := "job", actions.JobActions
	if req.family == actions.FamilyNodes {
		what, use = "node", actions.NodeActions
	}
	names := make([]string, len(use))
	for i, a := range use {
		names[i] = string(a)
	}
	return &actions.FieldError{Field: "action", Message: fmt.Sprintf("%q is not a %s action: use %s",
		clipText(string(req.action)), what, strings.Join(names, ", "))}
}

// postOnly answers 405 (audited) to any method but POST.
func (d *Datasource) postOnly(w http.ResponseWriter, r *http.Request, req actionRequest) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", http.MethodPost)
	d.refuseRequest(w, r, req, errMethod{r.Method})
	return false
}

type errMethod struct{ method string }

func (e errMethod) Error() string {
	return fmt.Sprintf("%s is not allowed: operator actions are POST requests", clipText(e.method))
}

// clipText bounds an echoed request value to 64 printable characters.
func clipText(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i >= 64 {
			b.WriteString("…")
			break
		}
		if r < 0x20 || r == 0x7f {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
