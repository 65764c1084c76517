package slurm

import (
	"sync"
	"time"
)

// jobsMark remembers, for the last full jobs answer, its last_update and
// when (on the client's clock) the request that got it was sent. On
// v0.0.40/41 update_time must be a Slurm time string, which slurmrestd reads
// on its own clock; "now-N" with N measured from that send time is right
// whatever the two clocks say (see updateTimeSince). Only the client that
// made the request knows the send time, so it keeps it here.
type jobsMark struct {
	mu         sync.Mutex
	lastUpdate time.Time
	sent       time.Time
	now        func() time.Time // nil: time.Now (tests set it)
}

func (m *jobsMark) clock() time.Time {
	if m.now != nil {
		return m.now()
	}
	return time.Now()
}

// sentFor returns when the request that answered last_update == since was
// sent, or the zero time when since is not the last answer's.
func (m *jobsMark) sentFor(since time.Time) time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	if since.IsZero() || !since.Equal(m.lastUpdate) {
		return time.Time{}
	}
	return m.sent
}

// record keeps a full answer's last_update and its request's send time.
func (m *jobsMark) record(lastUpdate, sent time.Time) {
	m.mu.Lock()
	m.lastUpdate, m.sent = lastUpdate, sent
	m.mu.Unlock()
}
