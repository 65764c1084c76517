package pending

import (
	"sort"
	"strings"
)

// Scope says whose limit a limit reason names.
type Scope string

// Limit scopes.
const (
	ScopeQOS         Scope = "QOS"
	ScopeAssociation Scope = "association"
	ScopeArray       Scope = "array" // the job array's own running-task limit (--array=…%N)
)

// LimitRef is the limit a reason code names: its scope, sacctmgr's name of
// the setting (GrpTRES, MaxTRESPerUser, MaxJobsPerUser, MaxWall, …; "" for
// the generic codes that do not say which) and the TRES it counts (cpu, mem,
// node, gres, license, billing, energy, bb; "" when the code does not say).
type LimitRef struct {
	Scope   Scope
	Setting string
	TRES    string
}

// Reason is what the table knows about one reason code.
type Reason struct {
	Code     string   // Slurm's text, as slurmrestd's state_reason gives it
	Category Category // before the job's own facts are considered
	Meaning  string   // the code in plain words
	Limit    *LimitRef
}

var reasonsByCode = func() map[string]Reason {
	m := make(map[string]Reason, len(reasonTable))
	for _, r := range reasonTable {
		if r.Limit != nil && r.Meaning == "" {
			r.Meaning = limitMeaning(*r.Limit)
		}
		m[strings.ToLower(r.Code)] = r
	}
	return m
}()

// LookupReason returns the table entry of a reason code (Slurm matches codes
// without regard to case, and so does this). A code the table does not know
// comes back with category Other and its raw text as the meaning, never an
// empty explanation.
func LookupReason(code string) (Reason, bool) {
	code = strings.TrimSpace(code)
	if r, ok := reasonsByCode[strings.ToLower(code)]; ok {
		return r, true
	}
	meaning := "Slurm gives the reason " + code + "."
	if code == "" {
		meaning = "Slurm gives no reason."
	}
	return Reason{Code: code, Category: Other, Meaning: meaning}, false
}

// ReasonCodes lists every code of the table, sorted.
func ReasonCodes() []string {
	out := make([]string, 0, len(reasonTable))
	for _, r := range reasonTable {
		out = append(out, r.Code)
	}
	sort.Strings(out)
	return out
}

var tresWords = map[string]string{
	"cpu": "CPUs", "mem": "memory", "node": "nodes", "gres": "GRES (GPUs)", "license": "licenses",
	"billing": "billing units", "energy": "energy", "bb": "burst buffer", "": "some TRES",
}

// settingWords says what each setting counts; %s is the TRES in words.
var settingWords = map[string]string{
	"GrpTRES":                  "%s of all its running jobs together",
	"GrpTRESMins":              "%s-minutes used by all its jobs, past and present",
	"GrpTRESRunMins":           "%s-minutes committed by its running jobs (TRES × time left)",
	"GrpJobs":                  "running jobs",
	"GrpSubmitJobs":            "pending and running jobs",
	"GrpWall":                  "wall time used by its jobs",
	"MaxTRESPerJob":            "%s per job",
	"MaxTRESMinsPerJob":        "%s-minutes per job (TRES × time limit)",
	"MaxTRESPerNode":           "%s per node of a job",
	"MaxTRESPerUser":           "%s of one user's running jobs",
	"MaxTRESPerAccount":        "%s of one account's running jobs",
	"MaxTRESRunMinsPerUser":    "%s-minutes committed by one user's running jobs",
	"MaxTRESRunMinsPerAccount": "%s-minutes committed by one account's running jobs",
	"MaxJobsPerUser":           "running jobs per user",
	"MaxJobsPerAccount":        "running jobs per account",
	"MaxSubmitJobsPerUser":     "pending and running jobs per user",
	"MaxSubmitJobsPerAccount":  "pending and running jobs per account",
	"MaxJobs":                  "running jobs of one user in the account",
	"MaxSubmitJobs":            "pending and running jobs of one user in the account",
	"MaxWall":                  "time limit per job",
	"MinTRESPerJob":            "minimum %s a job must ask for",
	"UsageThreshold":           "fair-share usage threshold",
}

func limitMeaning(l LimitRef) string {
	what := strings.Replace(settingWords[l.Setting], "%s", tresWords[l.TRES], 1)
	scope := "QOS"
	if l.Scope == ScopeAssociation {
		scope = "association (account or user)"
	}
	switch {
	case what == "":
		return "A limit of the job's " + scope + " is reached."
	case strings.HasPrefix(l.Setting, "Min"):
		return "The job's " + scope + " sets a " + what + " (" + l.Setting + "); the job asks for less."
	case perJobSetting(l.Setting):
		return "The job asks for more than its " + scope + " allows: " + what + " (" + l.Setting + ")."
	}
	return "The job's " + scope + " limit on " + what + " (" + l.Setting + ") is reached."
}

// perJobSetting tells whether a setting bounds one job's own request, so a
// job over it can never start as submitted (waiting changes nothing).
func perJobSetting(setting string) bool {
	switch setting {
	case "MaxTRESPerJob", "MaxTRESMinsPerJob", "MaxTRESPerNode", "MaxWall", "MinTRESPerJob":
		return true
	}
	return false
}

func plain(code string, c Category, meaning string) Reason {
	return Reason{Code: code, Category: c, Meaning: meaning}
}

func limit(scope Scope, code, setting, tres string) Reason {
	c := Limit
	if perJobSetting(setting) {
		c = Impossible
	}
	return Reason{Code: code, Category: c, Limit: &LimitRef{Scope: scope, Setting: setting, TRES: tres}}
}

func qos(code, setting, tres string) Reason   { return limit(ScopeQOS, code, setting, tres) }
func assoc(code, setting, tres string) Reason { return limit(ScopeAssociation, code, setting, tres) }
