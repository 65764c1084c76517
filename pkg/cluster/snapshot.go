package cluster

import (
	"errors"
	"fmt"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Kind is one entity kind the poller refreshes every interval.
type Kind int

// The kinds, in the order a refresh fetches them.
const (
	KindJobs Kind = iota
	KindNodes
	KindPartitions
	KindReservations
	KindDiag
	numKinds
)

var kindNames = [numKinds]string{"jobs", "nodes", "partitions", "reservations", "diag"}

// String is the kind's name, also used as the metrics' endpoint label.
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("kind(%d)", int(k))
	}
	return kindNames[k]
}

// Kinds lists every refreshed kind.
func Kinds() []Kind { return []Kind{KindJobs, KindNodes, KindPartitions, KindReservations, KindDiag} }

// KindStatus is what the poller knows about one kind's freshness.
type KindStatus struct {
	FetchedAt   time.Time // start of the last successful fetch; zero: never fetched
	AttemptedAt time.Time // start of the last attempt, successful or not
	LastError   error     // error of the last attempt; nil when it succeeded
	Failures    int       // failed attempts in a row
}

// Snapshot is an immutable picture of the cluster. The poller builds a new one
// after every refresh and swaps it in atomically; readers keep using the one
// they got for as long as they like and must never modify it.
type Snapshot struct {
	Jobs           []slurm.Job
	JobsLastUpdate time.Time // the controller's last_update, sent back as update_time
	Nodes          []slurm.Node
	Partitions     []slurm.Partition
	Reservations   []slurm.Reservation
	Diag           *slurm.SchedulerStats

	// RefreshedAt is when the refresh that produced this snapshot ended.
	RefreshedAt time.Time
	status      [numKinds]KindStatus
	jobIndex    *JobIndex // of Jobs, built when the poller swapped them in
}

// JobIndex is the index of the snapshot's jobs (classes and orderings),
// built once when the poller swapped the jobs in; for a snapshot made any
// other way (tests) it is built now.
func (s *Snapshot) JobIndex() *JobIndex {
	if x := s.jobIndex; x != nil && sameJobs(x.jobs, s.Jobs) {
		return x
	}
	return NewJobIndex(s.Jobs)
}

// sameJobs reports whether a and b are the same slice.
func sameJobs(a, b []slurm.Job) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// Status returns the freshness record of one kind.
func (s *Snapshot) Status(k Kind) KindStatus {
	if s == nil || k < 0 || k >= numKinds {
		return KindStatus{}
	}
	return s.status[k]
}

// Freshness is what every answer built from the snapshot reports about its data.
type Freshness struct {
	Kind      Kind
	FetchedAt time.Time
	Age       time.Duration
	// Stale is true when the last refresh of this kind failed (the data is the
	// last good one) or when the data is older than two refresh intervals
	// (plus a second).
	Stale     bool
	LastError error // why the data is stale; nil when fresh
}

// ErrNoData is returned (wrapped) when a kind was never fetched successfully.
var ErrNoData = errors.New("no slurm data")

// ErrTooStale is returned (wrapped) when the last good data is older than the stale limit.
var ErrTooStale = errors.New("slurm data too old")

// staleAge is the age beyond which data counts as stale even without an
// error: two intervals means a refresh was missed (a stuck loop or a very
// slow slurmrestd); the extra second keeps a slow but working refresh from
// flapping the label.
func staleAge(interval time.Duration) time.Duration { return 2*interval + time.Second }

// freshness judges one kind at time now. It fails when the kind was never
// fetched or when its data is older than staleLimit: an alert rule must go to
// Error then, not silently evaluate data from long ago.
func (s *Snapshot) freshness(k Kind, now time.Time, interval, staleLimit time.Duration) (Freshness, error) {
	st := s.Status(k)
	if st.FetchedAt.IsZero() {
		if st.LastError != nil {
			return Freshness{Kind: k}, fmt.Errorf("%w: %s could not be fetched from slurmrestd: %w", ErrNoData, k, st.LastError)
		}
		return Freshness{Kind: k}, fmt.Errorf("%w: %s not fetched yet", ErrNoData, k)
	}
	age := max(now.Sub(st.FetchedAt), 0)
	f := Freshness{
		Kind:      k,
		FetchedAt: st.FetchedAt,
		Age:       age,
		Stale:     st.LastError != nil || age > staleAge(interval),
		LastError: st.LastError,
	}
	if age > staleLimit {
		if st.LastError != nil {
			return f, fmt.Errorf("%w: the last good %s data is %s old, beyond the stale limit of %s; slurmrestd keeps failing: %w",
				ErrTooStale, k, age.Round(time.Second), staleLimit, st.LastError)
		}
		return f, fmt.Errorf("%w: the last good %s data is %s old, beyond the stale limit of %s",
			ErrTooStale, k, age.Round(time.Second), staleLimit)
	}
	return f, nil
}
