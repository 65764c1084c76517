package slurm

// Adapter table. Each version is listed with the decoder family it uses for
// each endpoint; a family is named after the oldest version of that shape,
// and generic families are instantiated with the version's scalar shapes
// (flex.go):
//
//	endpoint          v38      v39      v40      v41      v42      v43      v44      v45
//	ping              38       39       39       39       39       39       39       39
//	jobs, job         38       39       40       40       40       40       40       40
//	nodes, node       38       39       40       40       40       40       40       40
//	partitions        38       39       39       39       39       39       39       39
//	diag, resv        int      int      num      num      num      num      num      num
//	licenses          one decoder for all (PascalCase keys everywhere)
//	shares            —        —        float    float    num      num      num      num
//	slurmdb jobs      38       39       40       40       40       40       40       40
//	qos               38       39       39       39       39       39       39       39
//	associations      int      bool     bool     bool     bool     bool     bool     bool
//	accounts          one decoder for all
//	users             string   list     list     list     list     list     list     list
//	node update       —        39       39       39       39       39       39       39
//	actions           one decoder for all (status[] from v0.0.42)
func init() {
	register(&adapter{
		version:   "v0.0.38",
		ping:      decodePingV38,
		jobs:      decodeJobsBody(listElem[Job, jobV38]),
		rawJobs:   func() any { return new(jobsV38) },
		jobElem:   listElem[Job, jobV38],
		nodes:     decodeNodes[nodeV38],
		parts:     decodePartitionsV38,
		resvs:     decodeReservations[int64],
		diag:      decodeDiag[int64],
		lics:      decodeLicenses,
		dbJobs:    decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64],
		dbJobsStr: decodeDBJobsStream[string, exitPlain, *int64, stepIDV38, int64],
		qos:       decodeQOSV38,
		assocs:    decodeAssociations[int64],
		accts:     decodeAccounts,
		users:     decodeUsers[string],
	})
	register(&adapter{
		version:    "v0.0.39",
		ping:       decodePingV39,
		jobs:       decodeJobsBody(listElem[Job, jobV39]),
		rawJobs:    func() any { return new(jobsV39) },
		jobElem:    listElem[Job, jobV39],
		nodes:      decodeNodes[nodeV39],
		parts:      decodePartitionsV39,
		resvs:      decodeReservations[int64],
		diag:       decodeDiag[int64],
		lics:       decodeLicenses,
		dbJobs:     decodeDBJobs[string, exitPlain, num, stepIDV39, int64],
		dbJobsStr:  decodeDBJobsStream[string, exitPlain, num, stepIDV39, int64],
		qos:        decodeQOS,
		assocs:     decodeAssociations[bool],
		accts:      decodeAccounts,
		users:      decodeUsers[[]string],
		nodeUpdate: nodeUpdateBody,
	})
	for _, v := range []string{"v0.0.40", "v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44", "v0.0.45"} {
		a := &adapter{
			version:    v,
			ping:       decodePingV39,
			jobs:       decodeJobsBody(listElem[Job, jobV40]),
			rawJobs:    func() any { return new(jobsV40) },
			jobElem:    listElem[Job, jobV40],
			nodes:      decodeNodes[nodeV40],
			parts:      decodePartitionsV39,
			resvs:      decodeReservations[num],
			diag:       decodeDiag[num],
			lics:       decodeLicenses,
			shares:     decodeShares[numF],
			dbJobs:     decodeDBJobs[[]string, exitV40, num, stepIDV40, num],
			dbJobsStr:  decodeDBJobsStream[[]string, exitV40, num, stepIDV40, num],
			qos:        decodeQOS,
			assocs:     decodeAssociations[bool],
			accts:      decodeAccounts,
			users:      decodeUsers[[]string],
			nodeUpdate: nodeUpdateBody,
		}
		if v == "v0.0.40" || v == "v0.0.41" {
			a.shares = decodeShares[float64]
		}
		register(a)
	}
}
