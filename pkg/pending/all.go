package pending

import (
	"runtime"
	"sync"
)

// All explains every pending job in snapshot order, without the per-node
// scans (NodesWithRoom is -1, no partition suggestions): the list needs the
// category and the one-line summary, at 100k jobs.
//
// A large queue is explained on up to four cores: the data source's first
// pending query after it starts or wakes waits for this list (tens of
// thousands of jobs at 100k), and the list is built again after every
// refresh while pages read it.
func (ix *Index) All() []Explanation {
	return ix.all(min(runtime.GOMAXPROCS(0), 4), listed)
}

// listed is one job's explanation as the list shows it.
func listed(ix *Index, i int) Explanation { return ix.explain(i, false) }

// minPerWorker is the fewest pending jobs worth a goroutine of their own.
const minPerWorker = 2000

func (ix *Index) all(workers int, explain func(*Index, int) Explanation) []Explanation {
	var pending []int
	for i := range ix.c.Jobs {
		if ix.c.Jobs[i].State.Base == "PENDING" {
			pending = append(pending, i)
		}
	}
	out := make([]Explanation, len(pending))
	workers = min(workers, len(pending)/minPerWorker)
	if workers < 2 {
		for k, i := range pending {
			out[k] = explain(ix, i)
		}
		return out
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var panicked any
	chunk := (len(pending) + workers - 1) / workers
	for lo := 0; lo < len(pending); lo += chunk {
		hi := min(lo+chunk, len(pending))
		wg.Add(1)
		go func(jobs []int, dst []Explanation) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					panicked = r
					mu.Unlock()
				}
			}()
			// The index is read-only while jobs are explained except for
			// its cache of limit holders: each worker keeps its own.
			own := *ix
			own.holderCache = map[holdersKey][]holder{}
			for k, i := range jobs {
				dst[k] = explain(&own, i)
			}
		}(pending[lo:hi], out[lo:hi])
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked) // where a single goroutine's panic would be: the caller recovers it
	}
	return out
}
