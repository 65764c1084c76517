package pending

import (
	"reflect"
	"sync/atomic"
	"testing"
)

// A queue explained on several cores is the queue explained on one, job
// for job and in snapshot order.
func TestAllOnWorkersEqualsOneGoroutine(t *testing.T) {
	c := largeCluster(30_000, 1_000) // 10 000 pending, every reason of the benchmark
	want := NewIndex(c).all(1, listed)
	if len(want) != 10_000 {
		t.Fatalf("%d pending", len(want))
	}
	for _, workers := range []int{2, 3, 4} {
		got := NewIndex(c).all(workers, listed)
		if !reflect.DeepEqual(got, want) {
			for k := range want {
				if !reflect.DeepEqual(got[k], want[k]) {
					t.Fatalf("%d workers: job %s explained differently:\n%+v\nwant\n%+v", workers, want[k].JobID, got[k], want[k])
				}
			}
			t.Fatalf("%d workers: %d explanations, want %d", workers, len(got), len(want))
		}
	}
	// The categories the benchmark's reasons lead to all occur: the
	// comparison covered more than one kind of explanation.
	seen := map[Category]bool{}
	for _, e := range want {
		seen[e.Category] = true
	}
	if len(seen) < 4 {
		t.Errorf("only %d categories among the explanations: %v", len(seen), seen)
	}
}

// A panic on a worker reaches the caller, as it would from one goroutine
// (QueryData recovers it into an error), and only after every worker ended.
func TestAllRepanicsOnTheCaller(t *testing.T) {
	ix := NewIndex(largeCluster(12_000, 100))
	var done atomic.Int32
	defer func() {
		if r := recover(); r != "explainer bug" {
			t.Errorf("recovered %v, want the worker's panic", r)
		}
		if done.Load() == 0 {
			t.Error("the other workers' jobs were not explained")
		}
	}()
	ix.all(2, func(ix *Index, i int) Explanation {
		if ix.c.Jobs[i].JobID == 100000 { // the first pending job: the first worker's
			panic("explainer bug")
		}
		done.Add(1)
		return listed(ix, i)
	})
	t.Error("no panic reached the caller")
}
