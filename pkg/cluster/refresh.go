package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func (p *Poller) loop(warm chan struct{}) {
	defer p.wg.Done()
	var next [numKinds]time.Time // zero: due now
	timer := p.clock.NewTimer(0)
	defer timer.Stop()
	first := true
	p.dropKick() // an ask while idle is covered by the first refresh
	for {
		kicked := false
		select {
		case <-p.stop:
			return
		case <-timer.Chan():
		case <-p.kick:
			kicked = p.takeKick(&next)
		}
		if !kicked && !first && p.idle(p.clock.Now()) && p.goIdle() {
			return
		}
		p.refresh(&next)
		if first {
			close(warm)
			first = false
		}
		if p.after != nil {
			p.after(p.ctx, p.current.Load())
		}
		wake := next[0]
		for _, t := range next[1:] {
			if t.Before(wake) {
				wake = t
			}
		}
		timer.Reset(max(wake.Sub(p.clock.Now()), 0))
	}
}

// refresh fetches every kind that is due, one after the other (slurmrestd
// gets at most the client's connection limit at once), and swaps in a new
// snapshot after each so readers see new data as soon as it exists.
func (p *Poller) refresh(next *[numKinds]time.Time) {
	for _, k := range Kinds() {
		if p.clock.Now().Before(next[k]) {
			continue
		}
		select {
		case <-p.stop:
			return
		default:
		}
		start := p.clock.Now()
		prev := p.current.Load()
		snap := &Snapshot{}
		if prev != nil {
			*snap = *prev
		}
		err := p.fetch(k, snap)
		st := &snap.status[k]
		st.AttemptedAt = start
		if err == nil {
			if st.Failures > 0 {
				p.log.Info("slurmrestd answers again", "kind", k.String(), "failedAttempts", st.Failures)
			}
			st.FetchedAt, st.LastError, st.Failures = start, nil, 0
			next[k] = start.Add(p.interval)
		} else {
			if st.Failures == 0 {
				p.log.Warn("slurm refresh failed; serving the last good data as stale", "kind", k.String(), "error", err.Error())
			}
			st.LastError = err
			st.Failures++
			next[k] = p.clock.Now().Add(retryDelay(p.interval, st.Failures))
		}
		snap.RefreshedAt = p.clock.Now()
		p.current.Store(snap)
	}
}

// fetch gets one kind into snap (a private copy of the previous snapshot).
func (p *Poller) fetch(k Kind, snap *Snapshot) error {
	switch k {
	case KindJobs:
		var since time.Time
		if !snap.status[KindJobs].FetchedAt.IsZero() {
			since = snap.JobsLastUpdate
		}
		ans, err := call(p, k.String(), func(ctx context.Context) (*slurm.JobsAnswer, error) { return p.src.Jobs(ctx, since) })
		if err != nil {
			return err
		}
		if ans == nil {
			return errors.New("slurm client returned no jobs answer")
		}
		// Unchanged means "nothing changed since update_time", never "no jobs".
		if !ans.Unchanged {
			snap.Jobs = ans.Jobs
			snap.JobsLastUpdate = ans.LastUpdate
			// Indexed here, once, before any reader sees the jobs.
			snap.jobIndex = NewJobIndex(ans.Jobs)
		}
		return nil
	case KindNodes:
		v, err := call(p, k.String(), p.src.Nodes)
		if err == nil {
			snap.Nodes = v
		}
		return err
	case KindPartitions:
		v, err := call(p, k.String(), p.src.Partitions)
		if err == nil {
			snap.Partitions = v
		}
		return err
	case KindReservations:
		v, err := call(p, k.String(), p.src.Reservations)
		if err == nil {
			snap.Reservations = v
		}
		return err
	case KindDiag:
		v, err := call(p, k.String(), p.src.Diag)
		if err == nil {
			snap.Diag = v
		}
		return err
	}
	return fmt.Errorf("unknown kind %d", int(k))
}

// onDemand runs one call to slurmdbd made on demand (not by the refresh
// loop) through the data source's gate: the rate, then a slot.
func onDemand[T any](p *Poller, endpoint string, fn func(context.Context) (T, error)) (T, error) {
	release, err := p.gate.enter(p.ctx, endpoint)
	if err != nil {
		var zero T
		return zero, err
	}
	defer release()
	return call(p, endpoint, fn)
}

// call runs one upstream call under the poller's context and records it.
// A panic in the client (a decoder bug on an unexpected body) becomes an
// error, so one bad answer cannot take the plugin process down.
func call[T any](p *Poller, endpoint string, fn func(context.Context) (T, error)) (v T, err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			// Typed as an answer the plugin cannot read: its fault, not slurmrestd's.
			err = &slurm.Error{Kind: slurm.Malformed, Endpoint: endpoint, Err: fmt.Errorf("internal error while reading the %s answer: %v", endpoint, r)}
			p.log.Error("recovered from a panic in the slurm client", "endpoint", endpoint, "panic", fmt.Sprint(r))
		}
		p.metrics.observe(p, endpoint, time.Since(start), err)
	}()
	return fn(p.ctx)
}
