package slurm

// QOS and association limits as slurmdbd reports them, named as sacctmgr
// names them. The JSON paths are the same in every API version (v0.0.38 …
// v0.0.45; the descriptions in each release's /openapi/v3 name the setting
// of each path); only the number shape differs (plain integers with null for
// unset on v0.0.38, {set, infinite, number} from v0.0.39 on). A TRES limit is
// a map (cpu, mem in MB, node, gres/gpu, license/…, billing); a key that is
// absent has no limit. A Number limit is unset or unlimited when Slurm has none.

// QOSLimits are one QOS's limits.
type QOSLimits struct {
	GrpTRES        TRES   // limits.max.tres.total: TRES of all running jobs of the QOS
	GrpTRESMins    TRES   // limits.max.tres.minutes.total (v0.0.42+): TRES minutes used, past and present
	GrpTRESRunMins TRES   // limits.max.tres.minutes.per.qos: TRES × remaining minutes of running jobs
	GrpJobs        Number // limits.max.active_jobs.count: running jobs
	GrpJobsAccrue  Number // limits.max.active_jobs.accruing
	GrpSubmitJobs  Number // limits.max.jobs.count (v0.0.42+): pending and running jobs
	GrpWall        Number // limits.max.wall_clock.per.qos, minutes

	MaxTRESPerJob            TRES   // limits.max.tres.per.job
	MaxTRESPerNode           TRES   // limits.max.tres.per.node
	MaxTRESPerUser           TRES   // limits.max.tres.per.user: running jobs of one user
	MaxTRESPerAccount        TRES   // limits.max.tres.per.account
	MaxTRESMinsPerJob        TRES   // limits.max.tres.minutes.per.job
	MaxTRESRunMinsPerUser    TRES   // limits.max.tres.minutes.per.user
	MaxTRESRunMinsPerAccount TRES   // limits.max.tres.minutes.per.account
	MaxJobsPerUser           Number // limits.max.jobs.active_jobs.per.user: running jobs
	MaxJobsPerAccount        Number // limits.max.jobs.active_jobs.per.account
	MaxSubmitJobsPerUser     Number // limits.max.jobs.per.user: pending and running jobs
	MaxSubmitJobsPerAccount  Number // limits.max.jobs.per.account
	MaxJobsAccruePerUser     Number // limits.max.accruing.per.user
	MaxJobsAccruePerAccount  Number // limits.max.accruing.per.account
	MaxWallPerJob            Number // limits.max.wall_clock.per.job, minutes (MaxWall)

	MinTRESPerJob TRES // limits.min.tres.per.job
}

// AssocLimits are one association's limits. Grp* limits count the
// association and its children (sub-accounts and their users).
type AssocLimits struct {
	GrpTRES        TRES   // max.tres.total
	GrpTRESMins    TRES   // max.tres.group.minutes
	GrpTRESRunMins TRES   // max.tres.group.active
	GrpJobs        Number // max.jobs.per.count: running jobs
	GrpJobsAccrue  Number // max.jobs.per.accruing
	GrpSubmitJobs  Number // max.jobs.per.submitted: pending and running jobs
	GrpWall        Number // max.per.account.wall_clock, minutes

	MaxTRESPerJob     TRES   // max.tres.per.job
	MaxTRESPerNode    TRES   // max.tres.per.node
	MaxTRESMinsPerJob TRES   // max.tres.minutes.per.job
	MaxJobs           Number // max.jobs.active: running jobs (of a user association: that user's)
	MaxJobsAccrue     Number // max.jobs.accruing
	MaxSubmitJobs     Number // max.jobs.total: pending and running jobs
	MaxWallPerJob     Number // max.jobs.per.wall_clock, minutes (MaxWall)
}

type perUserAccount[L intOrNum] struct {
	Account L `json:"account"`
	User    L `json:"user"`
}

type tresPer struct {
	Account []tresItem `json:"account"`
	Job     []tresItem `json:"job"`
	Node    []tresItem `json:"node"`
	User    []tresItem `json:"user"`
	QOS     []tresItem `json:"qos"`
}

// qosLimitsRaw is the "limits" object of a QOS.
type qosLimitsRaw[L intOrNum] struct {
	Max struct {
		ActiveJobs struct {
			Accruing L `json:"accruing"`
			Count    L `json:"count"`
		} `json:"active_jobs"`
		Jobs struct {
			Count      L `json:"count"`
			ActiveJobs struct {
				Per perUserAccount[L] `json:"per"`
			} `json:"active_jobs"`
			Per perUserAccount[L] `json:"per"`
		} `json:"jobs"`
		Tres struct {
			Total   []tresItem `json:"total"`
			Minutes struct {
				Total []tresItem `json:"total"`
				Per   tresPer    `json:"per"`
			} `json:"minutes"`
			Per tresPer `json:"per"`
		} `json:"tres"`
		WallClock struct {
			Per struct {
				QOS L `json:"qos"`
				Job L `json:"job"`
			} `json:"per"`
		} `json:"wall_clock"`
		Accruing struct {
			Per perUserAccount[L] `json:"per"`
		} `json:"accruing"`
	} `json:"max"`
	Min struct {
		Tres struct {
			Per struct {
				Job []tresItem `json:"job"`
			} `json:"per"`
		} `json:"tres"`
	} `json:"min"`
}

func (r *qosLimitsRaw[L]) model() QOSLimits {
	m := &r.Max
	return QOSLimits{
		GrpTRES:                  tresFromList(m.Tres.Total),
		GrpTRESMins:              tresFromList(m.Tres.Minutes.Total),
		GrpTRESRunMins:           tresFromList(m.Tres.Minutes.Per.QOS),
		GrpJobs:                  toNumber(m.ActiveJobs.Count),
		GrpJobsAccrue:            toNumber(m.ActiveJobs.Accruing),
		GrpSubmitJobs:            toNumber(m.Jobs.Count),
		GrpWall:                  toNumber(m.WallClock.Per.QOS),
		MaxTRESPerJob:            tresFromList(m.Tres.Per.Job),
		MaxTRESPerNode:           tresFromList(m.Tres.Per.Node),
		MaxTRESPerUser:           tresFromList(m.Tres.Per.User),
		MaxTRESPerAccount:        tresFromList(m.Tres.Per.Account),
		MaxTRESMinsPerJob:        tresFromList(m.Tres.Minutes.Per.Job),
		MaxTRESRunMinsPerUser:    tresFromList(m.Tres.Minutes.Per.User),
		MaxTRESRunMinsPerAccount: tresFromList(m.Tres.Minutes.Per.Account),
		MaxJobsPerUser:           toNumber(m.Jobs.ActiveJobs.Per.User),
		MaxJobsPerAccount:        toNumber(m.Jobs.ActiveJobs.Per.Account),
		MaxSubmitJobsPerUser:     toNumber(m.Jobs.Per.User),
		MaxSubmitJobsPerAccount:  toNumber(m.Jobs.Per.Account),
		MaxJobsAccruePerUser:     toNumber(m.Accruing.Per.User),
		MaxJobsAccruePerAccount:  toNumber(m.Accruing.Per.Account),
		MaxWallPerJob:            toNumber(m.WallClock.Per.Job),
		MinTRESPerJob:            tresFromList(r.Min.Tres.Per.Job),
	}
}

// assocMaxRaw is the "max" object of an association.
type assocMaxRaw[L intOrNum] struct {
	Jobs struct {
		Per struct {
			Count     L `json:"count"`
			Accruing  L `json:"accruing"`
			Submitted L `json:"submitted"`
			WallClock L `json:"wall_clock"`
		} `json:"per"`
		Active   L `json:"active"`
		Accruing L `json:"accruing"`
		Total    L `json:"total"`
	} `json:"jobs"`
	Tres struct {
		Total []tresItem `json:"total"`
		Group struct {
			Minutes []tresItem `json:"minutes"`
			Active  []tresItem `json:"active"`
		} `json:"group"`
		Minutes struct {
			Per struct {
				Job []tresItem `json:"job"`
			} `json:"per"`
		} `json:"minutes"`
		Per struct {
			Job  []tresItem `json:"job"`
			Node []tresItem `json:"node"`
		} `json:"per"`
	} `json:"tres"`
	Per struct {
		Account struct {
			WallClock L `json:"wall_clock"`
		} `json:"account"`
	} `json:"per"`
}

func (m *assocMaxRaw[L]) model() AssocLimits {
	return AssocLimits{
		GrpTRES:           tresFromList(m.Tres.Total),
		GrpTRESMins:       tresFromList(m.Tres.Group.Minutes),
		GrpTRESRunMins:    tresFromList(m.Tres.Group.Active),
		GrpJobs:           toNumber(m.Jobs.Per.Count),
		GrpJobsAccrue:     toNumber(m.Jobs.Per.Accruing),
		GrpSubmitJobs:     toNumber(m.Jobs.Per.Submitted),
		GrpWall:           toNumber(m.Per.Account.WallClock),
		MaxTRESPerJob:     tresFromList(m.Tres.Per.Job),
		MaxTRESPerNode:    tresFromList(m.Tres.Per.Node),
		MaxTRESMinsPerJob: tresFromList(m.Tres.Minutes.Per.Job),
		MaxJobs:           toNumber(m.Jobs.Active),
		MaxJobsAccrue:     toNumber(m.Jobs.Accruing),
		MaxSubmitJobs:     toNumber(m.Jobs.Total),
		MaxWallPerJob:     toNumber(m.Jobs.Per.WallClock),
	}
}
