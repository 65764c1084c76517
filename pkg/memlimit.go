package main

import (
	"fmt"
	"math"
	"runtime/metrics"
	"strconv"
	"strings"
	"time"
)

// The plugin process's memory policy (bench/README.md "What changed" has
// the measurements behind it):
//
//   - The collector's pace is Go's default (GOGC 100 unless GOGC is set):
//     what a query costs in collection is its garbage divided by GOGC, so a
//     lower GOGC made every page slower (the sorted page of 5 000 jobs at
//     100k: p50 16–22 ms at GOGC 50, 9–13 ms at 100).
//   - A soft memory limit of 160 MiB (defaultMemoryLimit) keeps the process
//     small instead: at 100k jobs and 10k nodes the live heap is about 80 MB
//     between refreshes, and when dashboards' garbage brings the process
//     near the limit the collector runs more often, only then. It is soft:
//     nothing fails at the limit.
//   - The limit never stays below the live heap plus limitHeadroom: while a
//     refresh decodes, the previous and the new jobs are both live, and a
//     cluster whose data outgrow the limit (several large clusters in one
//     Grafana, or far more than 100k jobs) costs memory, not a collector
//     that runs without pause (which starved the refresh in a test with a
//     fixed limit).
//   - Memory freed by a refresh goes back to the system: after a refresh the
//     previous jobs are garbage, and Go returns free pages to the system only
//     slowly, so the process stayed at the size of the refresh's peak. When
//     more than returnFreeAbove is free and not yet returned, it is returned
//     at once (debug.FreeOSMemory, at most every returnFreeEvery).
const (
	defaultMemoryLimit = 160 << 20
	limitHeadroom      = 64 << 20
	limitCheckEvery    = time.Second
	returnFreeAbove    = 64 << 20
	returnFreeEvery    = 5 * time.Second
)

// memoryLimit decides the soft memory limit and says where it comes from:
//
//   - GOMEMLIMIT, when Grafana passes it (since Grafana 12.4 only with
//     [plugins] forward_host_env_vars = hpc-slurm-datasource): the Go runtime
//     has applied it already, set is false;
//   - memory_limit in grafana.ini's [plugin.hpc-slurm-datasource] section,
//     which Grafana passes to the plugin as GF_PLUGIN_MEMORY_LIMIT;
//   - else defaultMemoryLimit.
//
// Values are in GOMEMLIMIT's form: bytes with an optional unit (B, KiB,
// MiB, GiB, TiB), or "off" for no limit (0 with set true).
func memoryLimit(getenv func(string) string) (limit int64, set bool, source string, err error) {
	if v := strings.TrimSpace(getenv("GOMEMLIMIT")); v != "" {
		return 0, false, "GOMEMLIMIT", nil
	}
	if v := strings.TrimSpace(getenv("GF_PLUGIN_MEMORY_LIMIT")); v != "" {
		n, err := parseByteSize(v)
		if err != nil {
			return defaultMemoryLimit, true, "default", fmt.Errorf("[plugin.hpc-slurm-datasource] memory_limit %q: %w; using the default of %d MiB", v, err, defaultMemoryLimit>>20)
		}
		return n, true, "memory_limit", nil
	}
	return defaultMemoryLimit, true, "default", nil
}

var byteUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// parseByteSize reads "512MiB", "1GiB", "268435456" or "off" (0).
func parseByteSize(s string) (int64, error) {
	if strings.EqualFold(s, "off") {
		return 0, nil
	}
	shift := uint(0)
	for _, u := range byteUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, shift = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.shift
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("want a positive size such as 512MiB or 1GiB, or off")
	}
	if n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("too large")
	}
	return n << shift, nil
}

// limitFor is the soft limit for a live heap of live bytes: the configured
// floor, raised to live+limitHeadroom when the live heap needs it.
func limitFor(floor int64, live uint64) int64 {
	return max(floor, int64(min(live, math.MaxInt64-limitHeadroom))+limitHeadroom)
}

// heapStats reads the heap the last collection found live and the heap
// memory that is free but not returned to the system.
func heapStats() (live, free uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	for i, v := range []*uint64{&live, &free} {
		if s[i].Value.Kind() == metrics.KindUint64 {
			*v = s[i].Value.Uint64()
		}
	}
	return live, free
}

// memoryKeeper applies the policy's moving parts every limitCheckEvery.
type memoryKeeper struct {
	floor      int64 // the configured soft limit; 0: none
	stats      func() (live, free uint64)
	setLimit   func(int64) int64
	returnFree func()

	limit      int64
	returnedAt time.Time
}

// check adjusts the soft limit to limitFor(floor, live heap) and returns
// free memory to the system when there is a lot of it.
func (k *memoryKeeper) check(now time.Time) {
	live, free := k.stats()
	if k.floor > 0 {
		if want := limitFor(k.floor, live); want != k.limit {
			k.setLimit(want)
			k.limit = want
		}
	}
	if free > returnFreeAbove && now.Sub(k.returnedAt) >= returnFreeEvery {
		k.returnFree()
		k.returnedAt = now
	}
}

// keep runs check for the life of the process.
func (k *memoryKeeper) keep() {
	for {
		k.check(time.Now())
		time.Sleep(limitCheckEvery)
	}
}
