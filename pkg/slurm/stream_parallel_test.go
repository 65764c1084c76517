package slurm

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// longAnswer is a recorded jobs answer with its jobs repeated up to n, so
// that a list is long enough to be handed to workers.
func longAnswer(t *testing.T, body []byte, n int) []byte {
	t.Helper()
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	var jobs []json.RawMessage
	if err := json.Unmarshal(top["jobs"], &jobs); err != nil || len(jobs) == 0 {
		t.Fatalf("no jobs in the recording: %v", err)
	}
	long := make([]json.RawMessage, n)
	for i := range long {
		long[i] = jobs[i%len(jobs)]
	}
	top["jobs"], _ = json.Marshal(long)
	out, err := json.MarshalIndent(top, "", "  ") // slurmrestd writes it pretty
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Elements decoded by workers are the elements a single goroutine decodes,
// in the answer's order, for every recorded version, whatever the batch
// size, the number of workers, where the hand-off starts and whether the
// expected length was known, too small or unknown.
func TestParallelJobsEqualSequential(t *testing.T) {
	seq := streamOpts{workers: 1}
	n := 0
	for _, d := range allFixtureDirs(t) {
		a := adapterFor(d.Version)
		body := longAnswer(t, d.body(t, "jobs"), 300)
		want, wantEnv, err := decodeJobsStreamWith(seq, a.jobElem, bytes.NewReader(body), 0, 0)
		if err != nil || len(want.Jobs) != 300 {
			t.Fatalf("%s/%s sequential: %d jobs, %v", d.Release, d.Version, len(want.Jobs), err)
		}
		for _, c := range []struct {
			opts streamOpts
			hint int
		}{
			{streamOpts{workers: 2, after: 0, batchBytes: 1}, 0},
			{streamOpts{workers: 3, after: 0, batchBytes: 4096}, 300},
			{streamOpts{workers: 2, after: int64(len(body) / 3), batchBytes: 20000}, 100},
			{streamOpts{workers: 4, after: 0, batchBytes: 1 << 20}, 400},
		} {
			got, gotEnv, err := decodeJobsStreamWith(c.opts, a.jobElem, iotest.HalfReader(bytes.NewReader(body)), 0, c.hint)
			if err != nil {
				t.Fatalf("%s/%s %+v: %v", d.Release, d.Version, c.opts, err)
			}
			if !reflect.DeepEqual(got.Jobs, want.Jobs) {
				t.Fatalf("%s/%s %+v hint %d: the jobs differ from a sequential decode", d.Release, d.Version, c.opts, c.hint)
			}
			if got.Cluster != want.Cluster || got.Cluster == "" || !got.LastUpdate.Equal(want.LastUpdate) {
				t.Errorf("%s/%s %+v: cluster %q / %q, last update %v / %v", d.Release, d.Version, c.opts, got.Cluster, want.Cluster, got.LastUpdate, want.LastUpdate)
			}
			if !reflect.DeepEqual(gotEnv, wantEnv) {
				t.Errorf("%s/%s %+v: envelopes differ", d.Release, d.Version, c.opts)
			}
			n++
		}
	}
	if n < 40 {
		t.Errorf("only %d decodes compared", n)
	}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// A bad element fails the answer with the error a sequential decode gives
// (the first bad element, though a later one may fail on another worker
// first), and the rest of a long answer is not read.
func TestParallelReportsFirstBadElement(t *testing.T) {
	a := adapterFor("v0.0.45")
	elems := make([]string, 3000)
	for i := range elems {
		elems[i] = `{"job_id":` + strconv.Itoa(i+1) + `,"name":"j","user_name":"u","job_state":["RUNNING"]}`
	}
	elems[20] = `{"job_id":"twenty"}`
	elems[2500] = `{"job_id":"late"}`
	body := []byte(`{"jobs":[` + strings.Join(elems, ",") + `]}`)

	_, _, want := decodeJobsStreamWith(streamOpts{workers: 1}, a.jobElem, bytes.NewReader(body), 0, 0)
	if want == nil || !strings.HasPrefix(want.Error(), "element 20: ") {
		t.Fatalf("sequential decode: %v, want element 20's error", want)
	}
	for _, opts := range []streamOpts{{workers: 3, batchBytes: 1}, {workers: 2, batchBytes: 600}} {
		r := &countingReader{r: iotest.HalfReader(bytes.NewReader(body))}
		_, _, err := decodeJobsStreamWith(opts, a.jobElem, r, 0, 0)
		// The JSON library quotes what follows the bad value: the element's
		// neighbours differ with how it was cut out.
		if err == nil || withoutQuote(err) != withoutQuote(want) {
			t.Errorf("%+v: %v, want %v", opts, err, want)
		}
		// The reader can be ahead of the workers by the queued batches only.
		if r.n > len(body)/2 {
			t.Errorf("%+v: read %d of %d bytes after element 20 failed", opts, r.n, len(body))
		}
	}
}

func withoutQuote(err error) string {
	s, _, _ := strings.Cut(err.Error(), `"at index`)
	return s
}

// An answer cut short while workers decode is a truncation, as it is when
// one goroutine decodes it.
func TestParallelTruncatedAnswer(t *testing.T) {
	a := adapterFor("v0.0.45")
	body := longAnswer(t, fixtureDirFor(t, "26.05.3", "v0.0.45").body(t, "jobs"), 200)
	cut := body[:len(body)*2/3]
	_, _, err := decodeJobsStreamWith(streamOpts{workers: 2, batchBytes: 30000}, a.jobElem, bytes.NewReader(cut), 0, 0)
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut answer: %v, want io.ErrUnexpectedEOF", err)
	}
}

// A decoder that panics on one element fails the answer naming the
// element; the process goes on.
func TestParallelRecoversDecoderPanic(t *testing.T) {
	dec := func(_ *interner, data string) (int, int, error) {
		var v struct{ N int }
		end, err := decodeOne(data, &v)
		if v.N == 7 {
			panic("index out of range") // the kind of bug a decoder could have
		}
		return v.N, end, err
	}
	elems := make([]string, 40)
	for i := range elems {
		elems[i] = `{"N":` + strconv.Itoa(i) + `}`
	}
	body := `{"jobs":[` + strings.Join(elems, ",") + `]}`
	list, _, err := decodeListStreamWith(streamOpts{workers: 2, batchBytes: 1}, dec, strings.NewReader(body), 0, 0, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "element 7: cannot decode") {
		t.Fatalf("got %v (%d elements), want element 7's panic as an error", err, len(list))
	}
	body = strings.Replace(body, `{"N":7}`, `{"N":77}`, 1)
	list, _, err = decodeListStreamWith(streamOpts{workers: 2, batchBytes: 1}, dec, strings.NewReader(body), 0, 0, nil)
	if err != nil || len(list) != 40 || list[39] != 39 || list[7] != 77 {
		t.Errorf("without the bad element: %v %v", err, list)
	}
}
