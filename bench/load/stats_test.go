package load

import (
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	var l Latencies
	if l.Percentile(50) != 0 || l.Max() != 0 {
		t.Fatal("empty latencies must report 0")
	}
	for i := 100; i >= 1; i-- { // unsorted on purpose
		l = append(l, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond, 1: time.Millisecond} {
		if got := l.Percentile(p); got != want {
			t.Errorf("p%v = %v, want %v", p, got, want)
		}
	}
	if l[0] != 100*time.Millisecond {
		t.Error("Percentile sorted the caller's slice")
	}
	few := Latencies{3 * time.Second, time.Second}
	if few.Percentile(99) != 3*time.Second || few.Percentile(50) != time.Second {
		t.Errorf("two samples: p50 %v p99 %v", few.Percentile(50), few.Percentile(99))
	}
}
