package slurm

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzDecoders feeds arbitrary bytes to every decoder of every version. It
// is seeded with every recorded answer (delivered and our own). Decoders must
// return an error or a value, never panic; run with
//
//	go test ./pkg/slurm -run XXX -fuzz FuzzDecoders -fuzztime 60s
func FuzzDecoders(f *testing.F) {
	requireDir(f, recordedFixtures, "recorded slurmrestd answers")
	seeds, _ := filepath.Glob(filepath.Join(recordedFixtures, "*", "v0.0.*", "*.json"))
	own, _ := filepath.Glob(filepath.Join(ownFixtures, "v0.0.*", "*.json"))
	for _, p := range append(seeds, own...) {
		if strings.HasSuffix(p, "_manifest.json") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) < 64<<10 { // big lists slow the mutator down without adding shapes
			f.Add(data)
		}
	}
	f.Add([]byte(`{"jobs":[{"job_state":["RUNNING"],"tres_req_str":"gres/gpu:a100:2(IDX:0,1),mem=1T"}]}`))
	f.Add([]byte(`{"shares":{"shares":[{"fairshare":{"level":Infinity}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range SupportedVersions() {
			a := adapterFor(v)
			_, _, _ = a.ping(data)
			_, _, _ = a.jobs(data)
			_, _, _ = a.nodes(data)
			_, _, _ = a.parts(data)
			_, _, _ = a.resvs(data)
			_, _, _ = a.diag(data)
			_, _, _ = a.lics(data)
			if a.shares != nil {
				_, _, _ = a.shares(data)
			}
			_, _, _ = a.dbJobs(data)
			_, _, _ = a.dbJobsStr(bytes.NewReader(data), 1<<20, streamOpts{workers: 2, batchBytes: 1})
			seq, _, seqErr := decodeJobsStream(a.jobElem, iotest.HalfReader(bytes.NewReader(data)), 1<<20)
			// Workers from the first element on, one element per batch:
			// whatever a single goroutine accepts they decode the same way.
			par, _, parErr := decodeJobsStreamWith(streamOpts{workers: 2, batchBytes: 1}, a.jobElem, bytes.NewReader(data), 1<<20, 0)
			// (They may differ on invalid JSON: workers do not validate
			// what the model never reads.)
			if seqErr == nil && json.Valid(data) && (parErr != nil || !reflect.DeepEqual(seq, par)) {
				t.Fatalf("%s: a single goroutine decoded it, the workers gave %v", v, parErr)
			}
			_, _, _ = a.qos(data)
			_, _, _ = a.assocs(data)
			_, _, _ = a.accts(data)
			_, _, _ = a.users(data)
		}
		_, _ = decodeAction(data)
		_, _ = decodeEnvelope(data)
		_ = ParseTRES(string(data))
		_ = gresCount(string(data), "gpu")
	})
}
