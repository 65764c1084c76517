package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// actionRequest is one action request as its route read it.
type actionRequest struct {
	family  actions.Family
	action  actions.Action
	raw     string // the target(s) as asked, for refusals before validation
	single  bool   // one target in the path: the answer's status is its result's
	targets []string
	reason  string
}

// targetResult is what happened to one target.
type targetResult struct {
	Target   string         `json:"target"`
	Result   actions.Result `json:"result"`
	Message  string         `json:"message,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// auditState says whether the attempt's annotations exist.
type auditState struct {
	Annotations bool   `json:"annotations"`
	Note        string `json:"note,omitempty"`
}

// actionAnswer is the body of every action route's answer.
type actionAnswer struct {
	Action    string         `json:"action"`
	SlurmUser string         `json:"slurmUser,omitempty"`
	Results   []targetResult `json:"results"`
	// Error, Code and Field say why the request as a whole was refused.
	Error string     `json:"error,omitempty"`
	Code  string     `json:"code,omitempty"`
	Field string     `json:"field,omitempty"`
	Audit auditState `json:"audit"`
}

// callerOf is the Grafana user of the request, from the plugin context
// Grafana sends (never from a header the browser could set); nil when the
// request has none.
func callerOf(ctx context.Context) *actions.Caller {
	u := backend.PluginConfigFromContext(ctx).User
	if u == nil {
		u = backend.UserFromContext(ctx)
	}
	if u == nil || u.Login == "" {
		return nil
	}
	return &actions.Caller{Login: u.Login, Email: u.Email, Role: actions.ParseRole(u.Role)}
}

// runAction authorises, validates and performs an action request, auditing
// every attempt. Nothing reaches Slurm before the role, the input, Grafana's
// RBAC permission (when Grafana lets the backend check it), the API
// version and the Slurm identity are all accepted.
func (d *Datasource) runAction(w http.ResponseWriter, r *http.Request, req *actionRequest, validate func() *actions.FieldError) {
	ctx := r.Context()
	caller := callerOf(ctx)
	au := d.newAuditor(ctx, caller)
	if den := actions.CheckRole(caller, req.family, d.settings.Actions.Roles); den != nil {
		d.answerRefusal(w, au, req, den.Status, actions.ResultRefused, den.Code, "", den.Reason, "")
		return
	}
	if ferr := validate(); ferr != nil {
		d.answerRefusal(w, au, req, http.StatusBadRequest, actions.ResultInvalid, "invalid", ferr.Field, ferr.Error(), "")
		return
	}
	if den := checkRBAC(ctx, au.api, caller, req.family); den != nil {
		d.answerRefusal(w, au, req, den.Status, actions.ResultRefused, den.Code, "", den.Reason, "")
		return
	}
	if msg, unsupported := d.unsupported(ctx, req.action); unsupported {
		d.answerRefusal(w, au, req, http.StatusUnprocessableEntity, actions.ResultUnsupported, "unsupported", "", msg, "")
		return
	}
	acting, den := d.settings.Actions.Identity.Resolve(ctx, caller, d.adminLevels)
	if den != nil {
		d.answerRefusal(w, au, req, den.Status, actions.ResultRefused, den.Code, "", den.Reason, "")
		return
	}
	asUser := ""
	if acting.Minted {
		asUser = acting.SlurmUser
	}
	ans := actionAnswer{Action: string(req.action), SlurmUser: acting.SlurmUser}
	status, done := http.StatusOK, false
	for _, target := range req.targets {
		res, err := d.perform(ctx, req, target, asUser)
		tr, st := d.targetResult(target, res, err)
		ans.Results = append(ans.Results, tr)
		done = done || tr.Result == actions.ResultDone
		if req.single {
			status = st
		}
		au.record(actions.Record{GrafanaUser: caller.Login, Role: caller.Role, SlurmUser: acting.SlurmUser, Minted: acting.Minted,
			Action: req.action, Family: req.family, Target: target, Reason: req.reason, Result: tr.Result, Message: tr.Message})
	}
	if done {
		// Show the change within one refresh (nodes: their jobs move too).
		kinds := []cluster.Kind{cluster.KindJobs}
		if req.family == actions.FamilyNodes {
			kinds = append(kinds, cluster.KindNodes, cluster.KindPartitions)
		}
		d.poller.RefreshNow(kinds...)
	}
	ans.Audit = au.state()
	writeJSON(w, status, ans)
}

// perform sends one action to Slurm.
func (d *Datasource) perform(ctx context.Context, req *actionRequest, target, asUser string) (slurm.ActionResult, error) {
	if req.family == actions.FamilyNodes {
		reason := req.reason
		if req.action != actions.Drain {
			reason = "" // a resume clears the node's reason; ours goes to the audit only
		}
		return d.client.ActOnNode(ctx, slurm.NodeAction(req.action), target, reason, asUser)
	}
	return d.client.ActOnJob(ctx, slurm.JobAction(req.action), target, asUser)
}

// targetResult types one target's outcome and the HTTP status a
// single-target request answers with.
func (d *Datasource) targetResult(target string, res slurm.ActionResult, err error) (targetResult, int) {
	tr := targetResult{Target: target, Result: actions.ResultDone}
	for _, w := range res.Warnings {
		tr.Warnings = append(tr.Warnings, d.scrub(w.String()))
	}
	if err == nil {
		return tr, http.StatusOK
	}
	tr.Message = d.scrub(slurmMessage(err))
	var se *slurm.Error
	errors.As(err, &se)
	if se != nil {
		for _, w := range se.Warnings {
			tr.Warnings = append(tr.Warnings, d.scrub(w.String()))
		}
	}
	switch slurm.KindOf(err) {
	case slurm.Refused:
		tr.Result = actions.ResultRefused
		return tr, http.StatusConflict
	case slurm.NotFound:
		tr.Result = actions.ResultRefused
		return tr, http.StatusNotFound
	case slurm.UnsupportedVersion:
		tr.Result = actions.ResultUnsupported
		return tr, http.StatusUnprocessableEntity
	case slurm.InvalidInput:
		tr.Result = actions.ResultInvalid
		return tr, http.StatusBadRequest
	}
	tr.Result = actions.ResultFailed
	return tr, http.StatusBadGateway
}

// slurmMessage is what Slurm said (its error texts), or the error itself.
func slurmMessage(err error) string {
	var hidden *slurm.HiddenRefusalError
	if errors.As(err, &hidden) {
		return hidden.Error()
	}
	var se *slurm.Error
	if errors.As(err, &se) && len(se.SlurmErrors) > 0 {
		parts := make([]string, 0, len(se.SlurmErrors))
		for _, m := range se.SlurmErrors {
			parts = append(parts, m.String())
		}
		return "Slurm: " + strings.Join(parts, "; ")
	}
	return err.Error()
}

// unsupported says when the cluster's API version lacks an action, without
// calling Slurm for it: "drain is unavailable on API v0.0.38 (…)".
func (d *Datasource) unsupported(ctx context.Context, a actions.Action) (string, bool) {
	f := slurm.ActionFeature(string(a))
	if f == "" {
		return "", false
	}
	var nv *slurm.NeedsVersionError
	if err := d.client.Supports(ctx, f); errors.As(err, &nv) {
		return fmt.Sprintf("%s is unavailable on API %s: slurmrestd offers %s from API %s on (Slurm's own releases: %s)", a, nv.Have, nv.Feature, nv.Since, releaseOf(nv.Since)), true
	}
	return "", false
}

// releaseOf names the Slurm release that brought an API version.
func releaseOf(version string) string {
	switch version {
	case "v0.0.39":
		return "23.02"
	case "v0.0.45":
		return "26.05"
	}
	return "a later release"
}

// refuseRequest answers a request refused before its pipeline: a wrong
// method (405), an oversized body (413), a field that is not acceptable
// (400). Nothing was sent to Slurm; the attempt is audited.
func (d *Datasource) refuseRequest(w http.ResponseWriter, r *http.Request, req actionRequest, err error) {
	au := d.newAuditor(r.Context(), callerOf(r.Context()))
	status, field := http.StatusBadRequest, ""
	var fe *actions.FieldError
	var me errMethod
	switch {
	case errors.As(err, &me):
		status = http.StatusMethodNotAllowed
	case errors.Is(err, errBodyTooLarge):
		status, field = http.StatusRequestEntityTooLarge, "body"
	case errors.As(err, &fe):
		field = fe.Field
	}
	d.answerRefusal(w, au, &req, status, actions.ResultInvalid, "invalid", field, err.Error(), "")
}

// answerRefusal answers and audits a request refused as a whole.
func (d *Datasource) answerRefusal(w http.ResponseWriter, au *auditor, req *actionRequest, status int, result actions.Result, code, field, msg, slurmUser string) {
	rec := actions.Record{SlurmUser: slurmUser, Action: req.action, Family: req.family, Target: clipText(req.raw), Reason: clipText(req.reason), Result: result, Message: msg}
	if au.caller != nil {
		rec.GrafanaUser, rec.Role = au.caller.Login, au.caller.Role
	}
	au.record(rec)
	writeJSON(w, status, actionAnswer{Action: string(req.action), Results: []targetResult{}, Error: msg, Code: code, Field: field, Audit: au.state()})
}

// checkRBAC asks Grafana whether the caller holds the family's RBAC action
// when the data source has a service account to ask with; without one the
// minimum role is the only Grafana-side guard (said in capabilities).
func checkRBAC(ctx context.Context, api actions.GrafanaAPI, c *actions.Caller, f actions.Family) *actions.Denial {
	if !api.Available() {
		return nil
	}
	action := actions.RBACAction(f)
	ok, err := api.HasAction(ctx, c.Login, action)
	if err != nil {
		return &actions.Denial{Status: http.StatusServiceUnavailable, Code: "rbac-unknown",
			Reason: fmt.Sprintf("cannot check the Grafana permission %s of %s: %v", action, c.Login, err)}
	}
	if !ok {
		return &actions.Denial{Status: http.StatusForbidden, Code: "rbac",
			Reason: fmt.Sprintf("Grafana user %s lacks the permission %s (an administrator grants it with the app's role)", c.Login, action)}
	}
	return nil
}
