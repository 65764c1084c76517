package cluster

import "time"

// RefreshNow asks a running loop to fetch the given kinds at once instead
// of at their next interval: after an operator action, so the change shows
// within one refresh. It never blocks and never starts an idle loop (the
// next reader starts it, with a fresh refresh); asks that arrive while a
// refresh runs are merged into one.
func (p *Poller) RefreshNow(kinds ...Kind) {
	for _, k := range kinds {
		for {
			old := p.kickKinds.Load()
			if p.kickKinds.CompareAndSwap(old, old|1<<uint(k)) {
				break
			}
		}
	}
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// takeKick makes the asked kinds due now; it reports whether any was asked.
func (p *Poller) takeKick(next *[numKinds]time.Time) bool {
	asked := p.kickKinds.Swap(0)
	for k := Kind(0); k < numKinds; k++ {
		if asked&(1<<uint(k)) != 0 {
			next[k] = time.Time{}
		}
	}
	return asked != 0
}

// dropKick forgets asks made while no loop ran.
func (p *Poller) dropKick() {
	p.kickKinds.Store(0)
	select {
	case <-p.kick:
	default:
	}
}
