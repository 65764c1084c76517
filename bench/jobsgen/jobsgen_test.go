package jobsgen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

const recorded = "../../pkg/slurm/testdata/slurmrestd"

func TestGenerateReplicatesRecordedJobs(t *testing.T) {
	for version, rel := range map[string]string{
		"v0.0.45": "26.05.3/v0.0.45/jobs.json",
		"v0.0.40": "25.05.8/v0.0.40/jobs.json",
		"v0.0.38": "23.11.11/v0.0.38/jobs.json",
	} {
		path := filepath.Join(recorded, rel)
		if _, err := os.Stat(path); err != nil {
			abs, _ := filepath.Abs(path)
			t.Fatalf("recorded jobs not found at %s", abs)
		}
		for _, pretty := range []bool{true, false} {
			data, err := GenerateFile(path, version, Options{Jobs: 500, Seed: 7, Pretty: pretty})
			if err != nil {
				t.Fatal(err)
			}
			var answer struct {
				Jobs []map[string]json.RawMessage `json:"jobs"`
				Meta json.RawMessage              `json:"meta"`
			}
			if err := json.Unmarshal(data, &answer); err != nil {
				t.Fatalf("%s: output is not JSON: %v", version, err)
			}
			if len(answer.Jobs) != 500 || len(answer.Meta) == 0 {
				t.Fatalf("%s: %d jobs, meta %d bytes", version, len(answer.Jobs), len(answer.Meta))
			}
			ids := map[string]bool{}
			users := map[string]bool{}
			for _, j := range answer.Jobs {
				ids[string(j["job_id"])] = true
				users[string(j["user_name"])] = true
			}
			if len(ids) != 500 {
				t.Errorf("%s: %d distinct job ids", version, len(ids))
			}
			if len(users) < 100 {
				t.Errorf("%s: only %d distinct users", version, len(users))
			}
			again, _ := GenerateFile(path, version, Options{Jobs: 500, Seed: 7, Pretty: pretty})
			if string(again) != string(data) {
				t.Errorf("%s: same seed, different bytes", version)
			}
		}
	}
	if _, err := Generate([]byte(`{"jobs":[]}`), "v0.0.45", Options{Jobs: 1}); err == nil {
		t.Error("an answer without jobs was accepted as a template")
	}
	if _, err := Generate([]byte(`{}`), "v9", Options{Jobs: 1}); err == nil {
		t.Error("unknown version accepted")
	}
}

// The streamed pretty answer is byte for byte the compact answer indented
// like slurmrestd, so streaming changes nothing a decoder sees.
func TestPrettyIsTheIndentedCompactAnswer(t *testing.T) {
	for version, rel := range map[string]string{
		"v0.0.44": "26.05.3/v0.0.44/jobs.json",
		"v0.0.38": "23.11.11/v0.0.38/jobs.json",
	} {
		path := filepath.Join(recorded, rel)
		compact, err := GenerateFile(path, version, Options{Jobs: 60, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		pretty, err := GenerateFile(path, version, Options{Jobs: 60, Seed: 3, Pretty: true})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact, "", "  "); err != nil {
			t.Fatalf("%s: compact answer is not JSON: %v", version, err)
		}
		if !bytes.Equal(pretty, want.Bytes()) {
			t.Errorf("%s: pretty answer (%d bytes) differs from the indented compact one (%d bytes)", version, len(pretty), want.Len())
		}
		if bytes.Contains(compact, []byte("\n")) {
			t.Errorf("%s: compact answer has line breaks", version)
		}
	}
}
