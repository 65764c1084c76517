package slurm

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Adapter table: the decoder family each version uses per endpoint, and the
// file that holds it. A numbered family is named after the oldest version of
// that shape and lives in v00NN.go (v0039.go serves ping, partitions and QOS
// up to v0.0.45). The other families are one generic decoder instantiated
// with the version's scalar shapes (flex.go: int = plain integers, num =
// {set, infinite, number}, float = plain floats; slurmdb jobs take a set of
// five shapes named after the version that introduced it).
//
//	endpoint       v38     v39     v40     v41     v42     v43     v44     v45     file
//	ping           38      39      39      39      39      39      39      39      v0038.go, v0039.go
//	jobs, job      38      39      40      40      40      40      40      40      v0038.go, v0039.go, v0040.go
//	nodes, node    38      39      40      40      40      40      40      40      v0038.go, v0039.go, v0040.go
//	partitions     38      39      39      39      39      39      39      39      v0038.go, v0039.go
//	qos            38      39      39      39      39      39      39      39      v0038.go, v0039.go
//	diag, resv     int     int     num     num     num     num     num     num     decode_ctld.go
//	licenses       one decoder for all (PascalCase keys everywhere)                decode_ctld.go
//	shares         —       —       float   float   num     num     num     num     decode_ctld.go
//	slurmdb jobs   38      39      40      40      40      40      40      40      decode_slurmdb.go
//	associations   int     bool    bool    bool    bool    bool    bool    bool    decode_slurmdb.go
//	accounts       one decoder for all                                             decode_slurmdb.go
//	users          string  list    list    list    list    list    list    list    decode_slurmdb.go
//	node update    —       one body for v0.0.39+                                   actions_node.go
//	job requeue    —       —       —       —       —       —       —       GET     actions.go
//	actions        one decoder for all (status[] from v0.0.42)                     actions_answer.go
//	cancel re-read —       —       yes     yes     —       —       —       —       actions_answer.go
//
// The keys every version shares are in common.go (jobCommon, jobNums,
// nodeCommon) and normalised there by one helper each.
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
		qos:        decodeQOSV39,
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
			qos:        decodeQOSV39,
			assocs:     decodeAssociations[bool],
			accts:      decodeAccounts,
			users:      decodeUsers[[]string],
			nodeUpdate: nodeUpdateBody,
		}
		if v == "v0.0.40" || v == "v0.0.41" {
			a.shares = decodeShares[float64]
			// A refused cancel is a bare HTTP 200 (25.05.8): read the job again.
			a.cancelHidesRefusal = true
		}
		// GET /job/{id}/requeue came with 26.05's v0.0.45; no earlier version
		// can requeue (the job update's "requeue" is only a flag).
		a.requeue = v == "v0.0.45"
		register(a)
	}
}

// adapter knows one API version's JSON shapes: a decoder per endpoint.
// Versions whose shapes are identical for the fields we read share decoders;
// the table above init says which.
type adapter struct {
	version string
	ping    func([]byte) (*Ping, *envelope, error)
	jobs    func([]byte) (*JobsAnswer, *envelope, error) // also /job/{id}
	rawJobs func() any                                   // new raw jobs struct (benchmarks)
	jobElem jobElemDecoder                               // one job of a streamed /jobs answer
	nodes   func([]byte) ([]Node, *envelope, error)      // also /node/{name}
	parts   func([]byte) ([]Partition, *envelope, error)
	resvs   func([]byte) ([]Reservation, *envelope, error)
	diag    func([]byte) (*SchedulerStats, *envelope, error)
	lics    func([]byte) ([]License, *envelope, error)
	shares  func([]byte) ([]Share, *envelope, error) // nil: endpoint absent (v0.0.38/39)
	dbJobs  func([]byte) ([]AccountingJob, *envelope, error)
	// dbJobsStr is dbJobs reading a streamed body (GET /slurmdb/jobs).
	dbJobsStr func(io.Reader, int64, streamOpts) ([]AccountingJob, *envelope, error)
	qos       func([]byte) ([]QOS, *envelope, error)
	assocs    func([]byte) ([]Association, *envelope, error)
	accts     func([]byte) ([]Account, *envelope, error)
	users     func([]byte) ([]User, *envelope, error)
	// nodeUpdate is the body of POST /node/{name}; nil when the version has no such endpoint.
	nodeUpdate func(NodeUpdate) ([]byte, error)
	// requeue: GET /job/{id}/requeue exists.
	requeue bool
	// cancelHidesRefusal: a refused cancel answers HTTP 200 without errors.
	cancelHidesRefusal bool
}

var registry = map[string]*adapter{}

func register(a *adapter) { registry[a.version] = a }

func adapterFor(v string) *adapter { return registry[v] }

// SupportedVersions lists the API versions this client speaks, oldest first.
func SupportedVersions() []string {
	out := make([]string, 0, len(registry))
	for v := range registry {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return versionLess(out[i], out[j]) })
	return out
}

// versionLess orders "v0.0.38" < "v0.0.40" numerically.
func versionLess(a, b string) bool {
	pa, pb := versionParts(a), versionParts(b)
	for i := 0; i < 3; i++ {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return a < b
}

func versionParts(v string) [3]int {
	var out [3]int
	for i, p := range strings.SplitN(strings.TrimPrefix(v, "v"), ".", 3) {
		out[i], _ = strconv.Atoi(p)
	}
	return out
}

// DecodeJobs decodes and normalises a GET /slurm/{version}/jobs body the way
// Jobs does it on the wire (streamed, one job at a time). For benchmarks,
// fuzzing and offline tools.
func DecodeJobs(version string, body []byte) (*JobsAnswer, error) {
	a := adapterFor(version)
	if a == nil {
		return nil, &Error{Kind: UnsupportedVersion, Err: fmt.Errorf("API version %q is not supported", version)}
	}
	ans, env, err := decodeJobsStream(a.jobElem, bytes.NewReader(body), 0)
	if err != nil {
		return nil, &Error{Kind: Malformed, Err: err}
	}
	_, ans.Warnings = env.messages()
	return ans, nil
}

// NewRawJobs returns a pointer to a new, empty raw (not yet normalised)
// jobs answer of version, so that a benchmark can decode the same bytes into
// the same shape with another JSON library.
func NewRawJobs(version string) (any, error) {
	a := adapterFor(version)
	if a == nil {
		return nil, &Error{Kind: UnsupportedVersion, Err: fmt.Errorf("API version %q is not supported", version)}
	}
	return a.rawJobs(), nil
}
