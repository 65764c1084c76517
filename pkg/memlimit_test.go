package main

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMemoryLimitSources(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	cases := []struct {
		name    string
		vars    map[string]string
		limit   int64
		set     bool
		source  string
		wantErr string
	}{
		{"nothing set: the default", nil, 160 << 20, true, "default", ""},
		{"GOMEMLIMIT wins and is the runtime's", map[string]string{"GOMEMLIMIT": "1GiB", "GF_PLUGIN_MEMORY_LIMIT": "512MiB"}, 0, false, "GOMEMLIMIT", ""},
		{"grafana.ini memory_limit", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "512MiB"}, 512 << 20, true, "memory_limit", ""},
		{"plain bytes", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "300000000"}, 300000000, true, "memory_limit", ""},
		{"off: no limit", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "off"}, 0, true, "memory_limit", ""},
		{"a bad value keeps the default and says so", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "lots"}, 160 << 20, true, "default", `memory_limit "lots"`},
		{"a negative value", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "-5MiB"}, 160 << 20, true, "default", "positive size"},
		{"overflow", map[string]string{"GF_PLUGIN_MEMORY_LIMIT": "9000000000TiB"}, 160 << 20, true, "default", "too large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			limit, set, source, err := memoryLimit(env(c.vars))
			if limit != c.limit || set != c.set || source != c.source {
				t.Errorf("got %d %v %q, want %d %v %q", limit, set, source, c.limit, c.set, c.source)
			}
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Errorf("error %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}

func TestParseByteSizeUnits(t *testing.T) {
	for in, want := range map[string]int64{"1B": 1, "2KiB": 2048, "3 MiB": 3 << 20, "4GiB": 4 << 30, "1TiB": 1 << 40} {
		if got, err := parseByteSize(in); err != nil || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "1.5GiB", "12XB"} {
		if _, err := parseByteSize(bad); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// The limit is the configured floor until the live heap needs more: it then
// stays limitHeadroom above the live heap, so the collector never runs
// without pause on a cluster bigger than the budget.
func TestLimitFollowsTheLiveHeapAboveTheFloor(t *testing.T) {
	const floor = 270 << 20
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, floor},
		{100 << 20, floor},
		{floor - limitHeadroom, floor},
		{400 << 20, 400<<20 + limitHeadroom},
		{math.MaxUint64, math.MaxInt64},
	} {
		if got := limitFor(floor, c.live); got != c.want {
			t.Errorf("live %d: limit %d, want %d", c.live, got, c.want)
		}
	}
}

func TestHeapStatsAreRead(t *testing.T) {
	keep := make([]byte, 8<<20)
	runtime.GC()
	if live, _ := heapStats(); live < 8<<20 {
		t.Errorf("live heap %d bytes with 8 MiB held", live)
	}
	runtime.KeepAlive(keep)
}

// The keeper moves the soft limit with the live heap and returns free
// memory to the system when a lot of it piles up, at most every 5 s.
func TestMemoryKeeper(t *testing.T) {
	var live, free uint64
	var limits []int64
	returned := 0
	k := &memoryKeeper{floor: 270 << 20,
		stats:      func() (uint64, uint64) { return live, free },
		setLimit:   func(l int64) int64 { limits = append(limits, l); return 0 },
		returnFree: func() { returned++; free = 0 }}
	t0 := time.Unix(1795900000, 0)
	live, free = 90<<20, 10<<20
	k.check(t0)
	live = 250 << 20 // a refresh: old and new jobs live
	k.check(t0.Add(time.Second))
	k.check(t0.Add(2 * time.Second)) // unchanged: not set again
	live, free = 90<<20, 180<<20     // the old jobs freed
	k.check(t0.Add(3 * time.Second))
	if want := []int64{270 << 20, 250<<20 + limitHeadroom, 270 << 20}; !slices.Equal(limits, want) {
		t.Errorf("limits %v, want %v", limits, want)
	}
	if returned != 1 {
		t.Fatalf("free memory returned %d times, want 1", returned)
	}
	free = 100 << 20
	k.check(t0.Add(5 * time.Second)) // 2 s after the last return: wait
	k.check(t0.Add(8 * time.Second))
	if returned != 2 {
		t.Errorf("free memory returned %d times, want 2 (once more after 5 s)", returned)
	}
	free = returnFreeAbove / 2
	k.check(t0.Add(20 * time.Second))
	if returned != 2 {
		t.Error("a little free memory was returned")
	}
	// No floor (GOMEMLIMIT or "off"): the limit is left alone.
	none := &memoryKeeper{stats: k.stats, setLimit: func(int64) int64 { t.Error("limit set without a floor"); return 0 }, returnFree: func() {}}
	none.check(t0)
}
