package slurm

import (
	"strings"
	"testing"
)

func TestListBufKeepsOrderAndLength(t *testing.T) {
	for _, n := range []int{0, 1, firstChunk, firstChunk + 1, 3*maxChunk + 7} {
		for _, hint := range []int{0, n, n / 2, 10 * n} {
			b := newListBuf[int](hint)
			for i := 0; i < n; i++ {
				b.add(i)
			}
			got := b.slice()
			if got == nil || len(got) != n {
				t.Fatalf("n=%d hint=%d: %d elements (nil: %v)", n, hint, len(got), got == nil)
			}
			for i, v := range got {
				if v != i {
					t.Fatalf("n=%d hint=%d: element %d is %d", n, hint, i, v)
				}
			}
			// The list never holds more than twice what it needs (a hint far
			// above the answer would otherwise keep a huge array alive).
			if n > 0 && cap(got) > 2*n+firstChunk {
				t.Errorf("n=%d hint=%d: capacity %d", n, hint, cap(got))
			}
		}
	}
}

// With the previous answer's length as a hint, the list is collected in
// place: one allocation, no copy.
func TestListBufWithHintAllocatesOnce(t *testing.T) {
	const n = 20000
	allocs := testing.AllocsPerRun(5, func() {
		b := newListBuf[Job](n)
		for i := 0; i < n; i++ {
			b.add(Job{JobID: int64(i)})
		}
		if len(b.slice()) != n {
			t.Fatal("wrong length")
		}
	})
	if allocs > 2 {
		t.Errorf("%v allocations for %d jobs with a hint; want 1", allocs, n)
	}
}

// Every element of a streamed list is decoded into one reused raw value:
// nothing of an element may leak into the next (a field the next one lacks
// stays empty), on every family of job decoders.
func TestStreamedElementsShareNothing(t *testing.T) {
	bodies := map[string]string{
		"v0.0.38": `{"jobs":[{"job_id":1,"name":"first","nodes":"n1","job_state":"RUNNING","user_name":"alice","priority":7,"tres_req_str":"cpu=2"},{"job_id":2}]}`,
		"v0.0.39": `{"jobs":[{"job_id":1,"name":"first","nodes":"n1","job_state":"RUNNING","user_name":"alice","priority":{"set":true,"number":7},"tres_req_str":"cpu=2"},{"job_id":2}]}`,
		"v0.0.45": `{"jobs":[{"job_id":1,"name":"first","nodes":"n1","job_state":["RUNNING","COMPLETING"],"user_name":"alice","priority":{"set":true,"number":7},"tres_req_str":"cpu=2","exit_code":{"status":["SUCCESS"],"return_code":{"set":true,"number":0}}},{"job_id":2}]}`,
	}
	for version, body := range bodies {
		ans, _, err := decodeJobsStream(adapterFor(version).jobElem, strings.NewReader(body), 0)
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		first, second := ans.Jobs[0], ans.Jobs[1]
		if first.Name != "first" || first.User != "alice" || first.State.Base != "RUNNING" || first.TRESRequested["cpu"] != 2 {
			t.Errorf("%s: first job decoded wrongly: %+v", version, first)
		}
		if second.Name != "" || second.NodeList != "" || second.User != "" || second.State.Base != "" || len(second.State.Flags) != 0 ||
			!second.Priority.IsUnset() || second.TRESRequested != nil || second.Extras != nil {
			t.Errorf("%s: the second job kept values of the first: %+v", version, second)
		}
	}
}
