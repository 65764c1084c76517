package slurm

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// adapter knows one API version's paths and JSON shapes. Versions whose
// shapes are identical for the fields we read share decoders; the table in
// adapters() says which.
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
	dbJobsStr func(io.Reader, int64) ([]AccountingJob, *envelope, error)
	qos       func([]byte) ([]QOS, *envelope, error)
	assocs    func([]byte) ([]Association, *envelope, error)
	accts     func([]byte) ([]Account, *envelope, error)
	users     func([]byte) ([]User, *envelope, error)
	// nodeUpdate is the body of POST /node/{name}; nil when the version has no such endpoint.
	nodeUpdate func(NodeUpdate) ([]byte, error)
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
