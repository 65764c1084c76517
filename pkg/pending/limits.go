package pending

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Every setting of each scope, in the order a generic code (QOSJobLimit,
// AccountingPolicy, …) is matched against.
var (
	qosSettings = []string{"GrpTRES", "GrpTRESRunMins", "GrpTRESMins", "GrpJobs", "GrpSubmitJobs", "GrpWall",
		"MaxTRESPerUser", "MaxTRESPerAccount", "MaxTRESRunMinsPerUser", "MaxTRESRunMinsPerAccount",
		"MaxJobsPerUser", "MaxJobsPerAccount", "MaxSubmitJobsPerUser", "MaxSubmitJobsPerAccount",
		"MaxTRESPerJob", "MaxTRESPerNode", "MaxTRESMinsPerJob", "MaxWall", "MinTRESPerJob"}
	assocSettings = []string{"GrpTRES", "GrpTRESRunMins", "GrpTRESMins", "GrpJobs", "GrpSubmitJobs", "GrpWall",
		"MaxJobs", "MaxSubmitJobs", "MaxTRESPerJob", "MaxTRESPerNode", "MaxTRESMinsPerJob", "MaxWall"}
)

// limitValue is one setting's value: a TRES map or a number.
type limitValue struct {
	tres  slurm.TRES
	num   slurm.Number
	isMap bool
}

func tresLimit(t slurm.TRES) (limitValue, bool) { return limitValue{tres: t, isMap: true}, len(t) > 0 }

func numLimit(n slurm.Number) (limitValue, bool) {
	_, set := n.Get()
	return limitValue{num: n}, set
}

// qosValue and assocValue read one setting (a switch: they run for every
// setting of every pending job of a large queue).
func qosValue(l *slurm.QOSLimits, setting string) (limitValue, bool) {
	switch setting {
	case "GrpTRES":
		return tresLimit(l.GrpTRES)
	case "GrpTRESMins":
		return tresLimit(l.GrpTRESMins)
	case "GrpTRESRunMins":
		return tresLimit(l.GrpTRESRunMins)
	case "MaxTRESPerJob":
		return tresLimit(l.MaxTRESPerJob)
	case "MaxTRESPerNode":
		return tresLimit(l.MaxTRESPerNode)
	case "MaxTRESPerUser":
		return tresLimit(l.MaxTRESPerUser)
	case "MaxTRESPerAccount":
		return tresLimit(l.MaxTRESPerAccount)
	case "MaxTRESMinsPerJob":
		return tresLimit(l.MaxTRESMinsPerJob)
	case "MaxTRESRunMinsPerUser":
		return tresLimit(l.MaxTRESRunMinsPerUser)
	case "MaxTRESRunMinsPerAccount":
		return tresLimit(l.MaxTRESRunMinsPerAccount)
	case "MinTRESPerJob":
		return tresLimit(l.MinTRESPerJob)
	case "GrpJobs":
		return numLimit(l.GrpJobs)
	case "GrpSubmitJobs":
		return numLimit(l.GrpSubmitJobs)
	case "GrpWall":
		return numLimit(l.GrpWall)
	case "MaxJobsPerUser":
		return numLimit(l.MaxJobsPerUser)
	case "MaxJobsPerAccount":
		return numLimit(l.MaxJobsPerAccount)
	case "MaxSubmitJobsPerUser":
		return numLimit(l.MaxSubmitJobsPerUser)
	case "MaxSubmitJobsPerAccount":
		return numLimit(l.MaxSubmitJobsPerAccount)
	case "MaxWall":
		return numLimit(l.MaxWallPerJob)
	}
	return limitValue{}, false
}

func assocValue(l *slurm.AssocLimits, setting string) (limitValue, bool) {
	switch setting {
	case "GrpTRES":
		return tresLimit(l.GrpTRES)
	case "GrpTRESMins":
		return tresLimit(l.GrpTRESMins)
	case "GrpTRESRunMins":
		return tresLimit(l.GrpTRESRunMins)
	case "MaxTRESPerJob":
		return tresLimit(l.MaxTRESPerJob)
	case "MaxTRESPerNode":
		return tresLimit(l.MaxTRESPerNode)
	case "MaxTRESMinsPerJob":
		return tresLimit(l.MaxTRESMinsPerJob)
	case "GrpJobs":
		return numLimit(l.GrpJobs)
	case "GrpSubmitJobs":
		return numLimit(l.GrpSubmitJobs)
	case "GrpWall":
		return numLimit(l.GrpWall)
	case "MaxJobs":
		return numLimit(l.MaxJobs)
	case "MaxSubmitJobs":
		return numLimit(l.MaxSubmitJobs)
	case "MaxWall":
		return numLimit(l.MaxWallPerJob)
	}
	return limitValue{}, false
}

// holder is one QOS or association whose limits may hold the job.
type holder struct {
	scope Scope
	owner string // QOS name, "account" or "account/user"
	qos   *slurm.QOS
	assoc *slurm.Association
}

// holders lists the QOS, or the job's association chain: its user
// association (partition-specific first), then its account and the
// account's parents up to root.
func (ix *Index) holders(j *slurm.Job, scope Scope) []holder {
	key := holdersKey{string(scope), j.QOS, j.Account, j.User, j.Partition}
	if hs, ok := ix.holderCache[key]; ok {
		return hs
	}
	hs := ix.findHolders(j, scope)
	ix.holderCache[key] = hs
	return hs
}

type holdersKey struct{ scope, qos, account, user, partition string }

func (ix *Index) findHolders(j *slurm.Job, scope Scope) []holder {
	if scope == ScopeQOS {
		if q := ix.qos[j.QOS]; q != nil {
			return []holder{{scope: ScopeQOS, owner: q.Name, qos: q}}
		}
		return nil
	}
	var out []holder
	for _, p := range []string{j.Partition, ""} {
		if a := ix.assocs[assocKey{j.Account, j.User, p}]; a != nil {
			out = append(out, holder{scope: ScopeAssociation, owner: a.Account + "/" + a.User, assoc: a})
			break
		}
	}
	seen := map[string]bool{}
	for acct := j.Account; acct != "" && !seen[acct]; acct = ix.parent[acct] {
		seen[acct] = true
		if a := ix.assocs[assocKey{acct, "", ""}]; a != nil {
			out = append(out, holder{scope: ScopeAssociation, owner: acct, assoc: a})
		}
	}
	return out
}

func (h holder) value(setting string) (limitValue, bool) {
	if h.qos != nil {
		return qosValue(&h.qos.Limits, setting)
	}
	return assocValue(&h.assoc.Limits, setting)
}

func (h holder) title() string {
	if h.scope == ScopeQOS {
		return "QOS " + h.owner
	}
	return "Association " + h.owner
}

// usageScope is the usage a setting of h counts and its words.
func (ix *Index) usageScope(h holder, setting string, j *slurm.Job) (*usage, string) {
	var k usageKey
	var who string
	switch {
	case h.scope == ScopeQOS && strings.HasSuffix(setting, "PerUser"):
		k, who = usageKey{"qosuser", h.owner, j.User}, "user "+j.User+"'s jobs under QOS "+h.owner
	case h.scope == ScopeQOS && strings.HasSuffix(setting, "PerAccount"):
		k, who = usageKey{"qosacct", h.owner, j.Account}, "account "+j.Account+"'s jobs under QOS "+h.owner
	case h.scope == ScopeQOS:
		k, who = usageKey{"qos", h.owner, ""}, "all jobs under QOS "+h.owner
	case h.assoc.User != "" || setting == "MaxJobs" || setting == "MaxSubmitJobs":
		// Max* settings of an account bind each of its users.
		k, who = usageKey{"acctuser", j.Account, j.User}, "user "+j.User+"'s jobs in account "+j.Account
	default:
		k, who = usageKey{"acct", h.assoc.Account, ""}, "the jobs of account "+h.assoc.Account+" and its sub-accounts"
	}
	u := ix.usage[k]
	if u == nil {
		u = &usage{}
	}
	return u, who
}

// jobTRES is the job's own request of one TRES, per node for MaxTRESPerNode.
func jobTRES(j *slurm.Job, r Request, key string, perNode bool) int64 {
	if !perNode {
		switch key {
		case "cpu":
			return r.CPUs
		case "mem":
			return r.MemoryMB
		case "node":
			return r.Nodes
		case "gres/gpu":
			return r.GPUs
		}
		return j.TRESRequested[key]
	}
	switch key {
	case "cpu":
		return r.CPUsPerNode
	case "mem":
		return r.MemoryPerNode
	case "node":
		return 1
	case "gres/gpu":
		return r.GPUsPerNode
	}
	return ceilDiv(j.TRESRequested[key], r.Nodes)
}

func tresMatches(key, want string) bool {
	switch want {
	case "":
		return true
	case "gres", "license", "bb":
		return strings.HasPrefix(key, want+"/")
	}
	return key == want
}

// evaluate judges one setting of h for job j; alone means "the request by
// itself, ignoring what else runs" (could it ever fit).
func (ix *Index) evaluate(h holder, setting, tres string, j *slurm.Job, r Request) (fact *LimitFact, exceeded bool) {
	v, set := h.value(setting)
	if !set {
		return nil, false
	}
	tl, tlOK := r.TimeLimit.Get()
	u, who := ix.usageScope(h, setting, j)
	f := &LimitFact{Scope: h.scope, Owner: h.owner, Setting: setting}
	if !v.isMap {
		limit, _ := v.num.Get()
		f.Limit = v.num
		switch setting {
		case "MaxWall":
			f.Unit, f.Requested, f.UsedBy = "minutes", tl, "this job's time limit"
			exceeded = tlOK && tl > limit || r.TimeLimit.IsUnlimited()
			f.Text = fmt.Sprintf("%s MaxWall is %s; the job's time limit is %s.", h.title(), duration(limit), fmtLimit(r.TimeLimit))
		case "GrpWall":
			f.Unit, f.UsedBy = "minutes", "wall time of "+who
			f.Text = fmt.Sprintf("%s GrpWall is %s; slurmrestd does not report the wall time used so far.", h.title(), duration(limit))
		case "GrpSubmitJobs", "MaxSubmitJobs", "MaxSubmitJobsPerUser", "MaxSubmitJobsPerAccount":
			f.Unit, f.Used, f.UsedBy = "jobs", slurm.Val(u.submitted), "pending and running "+who
			exceeded = u.submitted > limit
			f.Text = fmt.Sprintf("%s %s=%d: %s pending or running (%s).", h.title(), setting, limit, plural(u.submitted, "job", "jobs"), who)
		default: // running-job counts
			f.Unit, f.Used, f.Requested, f.UsedBy = "jobs", slurm.Val(u.running), 1, "running "+who
			exceeded = u.running+1 > limit
			f.Text = fmt.Sprintf("%s %s=%d: %s running now (%s).", h.title(), setting, limit, plural(u.running, "job", "jobs"), who)
		}
		return f, exceeded
	}
	keys := make([]string, 0, len(v.tres))
	for k := range v.tres {
		if tresMatches(k, tres) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var first *LimitFact
	for _, key := range keys {
		limit := v.tres[key]
		g := *f
		g.TRES, g.Limit, g.Unit = key, slurm.Val(limit), tresUnit(key)
		req := jobTRES(j, r, key, setting == "MaxTRESPerNode")
		var used int64
		usedKnown := true
		switch setting {
		case "GrpTRES", "MaxTRESPerUser", "MaxTRESPerAccount":
			used = u.tres[key]
			g.UsedBy = "running " + who
		case "GrpTRESRunMins", "MaxTRESRunMinsPerUser", "MaxTRESRunMinsPerAccount":
			used, req = u.runMins[key], req*tl
			g.Unit, g.UsedBy = strings.TrimSuffix(g.Unit, "s")+"-minutes", "time left × TRES of running "+who
		case "GrpTRESMins":
			usedKnown, req = false, req*tl
			g.Unit, g.UsedBy = strings.TrimSuffix(g.Unit, "s")+"-minutes", "all "+who+", past and present"
		case "MaxTRESMinsPerJob":
			req = req * tl
			g.Unit = strings.TrimSuffix(g.Unit, "s") + "-minutes"
		}
		g.Requested = req
		over := used+req > limit
		if setting == "MinTRESPerJob" {
			over = req < limit
		}
		if usedKnown && g.UsedBy != "" {
			g.Used = slurm.Val(used)
			g.Text = fmt.Sprintf("%s %s %s=%d: %s use %s; this job asks for %s.", h.title(), setting, key, limit, g.UsedBy, tresAmount(key, used), tresAmount(key, req))
		} else {
			g.Text = fmt.Sprintf("%s %s %s=%d; this job asks for %s.", h.title(), setting, key, limit, tresAmount(key, req))
		}
		if strings.HasSuffix(g.Unit, "-minutes") {
			g.Text = strings.Replace(g.Text, tresAmount(key, req), fmt.Sprintf("%d %s", req, g.Unit), 1)
			if usedKnown && g.UsedBy != "" {
				g.Text = strings.Replace(g.Text, tresAmount(key, used), fmt.Sprintf("%d %s", used, g.Unit), 1)
			}
		}
		if over {
			return &g, true
		}
		if first == nil {
			first = &g
		}
	}
	return first, false
}

func fmtLimit(n slurm.Number) string {
	if v, ok := n.Get(); ok {
		return duration(v)
	}
	if n.IsUnlimited() {
		return "unlimited"
	}
	return "not set"
}

// limitFact finds the limit a limit reason names: the first set limit of
// the scope that the job would exceed, else the first one set.
func (ix *Index) limitFact(j *slurm.Job, r Request, ref LimitRef) (*LimitFact, []string) {
	if ref.Scope == ScopeArray {
		return ix.arrayFact(j), nil
	}
	if (ref.Scope == ScopeQOS && ix.c.QOS == nil) || (ref.Scope == ScopeAssociation && ix.c.Associations == nil) {
		return nil, []string{"The " + string(ref.Scope) + " limits are not known: slurmdbd's answer is not available."}
	}
	hs := ix.holders(j, ref.Scope)
	if len(hs) == 0 {
		what := "QOS " + j.QOS
		if ref.Scope == ScopeAssociation {
			what = "an association of account " + j.Account + " and user " + j.User
		}
		return nil, []string{"slurmdbd reports no " + what + "."}
	}
	settings := []string{ref.Setting}
	if ref.Setting == "" {
		settings = qosSettings
		if ref.Scope == ScopeAssociation {
			settings = assocSettings
		}
	}
	var firstSet *LimitFact
	for _, h := range hs {
		for _, s := range settings {
			f, over := ix.evaluate(h, s, ref.TRES, j, r)
			if over {
				return f, nil
			}
			if f != nil && firstSet == nil {
				firstSet = f
			}
		}
	}
	if firstSet != nil {
		return firstSet, nil
	}
	return nil, []string{fmt.Sprintf("No %s limit %s is set in slurmdbd's data for this job; slurmctld may hold a newer configuration.", ref.Scope, ref.Setting)}
}

// limitBlockers lists the limits the job's request exceeds on its own
// (nothing else running), so it can never start under them.
func (ix *Index) limitBlockers(j *slurm.Job, r Request) []string {
	var out []string
	for _, scope := range []Scope{ScopeQOS, ScopeAssociation} {
		settings := qosSettings
		if scope == ScopeAssociation {
			settings = assocSettings
		}
		for _, h := range ix.holders(j, scope) {
			for _, s := range settings {
				if !aloneMatters(s) {
					continue
				}
				v, set := h.value(s)
				if !set {
					continue
				}
				if !v.isMap {
					if limit, _ := v.num.Get(); limit == 0 && s != "MaxWall" {
						out = append(out, fmt.Sprintf("%s %s is 0: no job can run under it.", h.title(), s))
					} else if f, over := ix.evaluate(h, s, "", j, r); over && s == "MaxWall" {
						out = append(out, f.Text)
					}
					continue
				}
				for key, limit := range v.tres {
					req := jobTRES(j, r, key, s == "MaxTRESPerNode")
					if s == "MaxTRESMinsPerJob" {
						tl, _ := r.TimeLimit.Get()
						req *= tl
					}
					if (s == "MinTRESPerJob" && req < limit) || (s != "MinTRESPerJob" && req > limit) {
						out = append(out, fmt.Sprintf("%s %s %s=%d; this job asks for %d.", h.title(), s, key, limit, req))
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// aloneMatters: settings a request can exceed on its own (usage-based
// minutes and wall limits are left out: usage decides those).
func aloneMatters(setting string) bool {
	switch setting {
	case "GrpTRESMins", "GrpTRESRunMins", "GrpWall", "MaxTRESRunMinsPerUser", "MaxTRESRunMinsPerAccount":
		return false
	}
	return true
}

// arrayFact is the array's running-task throttle (--array=…%N).
func (ix *Index) arrayFact(j *slurm.Job) *LimitFact {
	aj, ok := j.ArrayJobID.Get()
	if !ok {
		aj = j.JobID
	}
	f := &LimitFact{Scope: ScopeArray, Owner: fmt.Sprint(aj), Setting: "ArrayTaskThrottle", Unit: "tasks",
		Limit: j.ArrayMaxTasks, Used: slurm.Val(ix.arrays[aj]), Requested: 1, UsedBy: "running tasks of array " + fmt.Sprint(aj)}
	if limit, ok := j.ArrayMaxTasks.Get(); ok && limit > 0 {
		f.Text = fmt.Sprintf("Array %d runs at most %d tasks at once (%%%d); %d are running.", aj, limit, limit, ix.arrays[aj])
	} else {
		f.Text = fmt.Sprintf("Array %d has %d tasks running; slurmrestd does not report its running-task limit.", aj, ix.arrays[aj])
	}
	return f
}
