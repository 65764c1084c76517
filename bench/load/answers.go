package load

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hpc-slurm/hpc-slurm-app/bench/jobsgen"
)

// Recordings the stand-in replicates, by API version: the release whose
// recorded answers (pkg/slurm/testdata/slurmrestd/<release>/<version>) shape
// the synthetic ones, and whose recorded query-string verdicts decide what
// the stand-in refuses.
var Recordings = map[string]string{
	"v0.0.44": "26.05.3",
	"v0.0.38": "23.11.11",
}

// Answers are the bodies the stand-in serves for one cluster: files on disk,
// because a 100k-job answer is about 1 GB and a 300k-job one about 3 GB.
type Answers struct {
	Version  string
	Release  string
	Fixtures string            // pkg/slurm/testdata/slurmrestd
	Files    map[string]string // endpoint ("jobs", "nodes", …) → file
	Jobs     int
	Nodes    int
	Pretty   bool
}

// Size is the byte size of one endpoint's answer (0 when unknown).
func (a *Answers) Size(endpoint string) int64 {
	st, err := os.Stat(a.Files[endpoint])
	if err != nil {
		return 0
	}
	return st.Size()
}

// PrepareAnswers writes (or finds, from an earlier run) the synthetic jobs,
// nodes and partitions answers of a cluster with jobs jobs and nodes nodes in
// cache, and uses the recorded reservations, diag and ping answers as they
// are. The same arguments always give the same bytes (seed 1).
func PrepareAnswers(fixtures, cache, version string, jobs, nodes int, pretty bool) (*Answers, error) {
	release, ok := Recordings[version]
	if !ok {
		return nil, fmt.Errorf("no recording to replicate for API version %q: use one of v0.0.44, v0.0.38", version)
	}
	recorded := filepath.Join(fixtures, release, version)
	if _, err := os.Stat(filepath.Join(recorded, "jobs.json")); err != nil {
		return nil, fmt.Errorf("the recorded answers are missing (looked in %s): %w", recorded, err)
	}
	layout := "pretty"
	if !pretty {
		layout = "compact"
	}
	dir := filepath.Join(cache, fmt.Sprintf("%s-%djobs-%dnodes-%s", version, jobs, nodes, layout))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	a := &Answers{Version: version, Release: release, Fixtures: fixtures, Jobs: jobs, Nodes: nodes, Pretty: pretty,
		Files: map[string]string{}}
	opt := jobsgen.Options{Jobs: jobs, Nodes: nodes, Seed: 1, Pretty: pretty}
	generated := map[string]func(*os.File, []byte) error{
		"jobs":       func(f *os.File, rec []byte) error { return jobsgen.GenerateTo(f, rec, version, opt) },
		"nodes":      func(f *os.File, rec []byte) error { return jobsgen.GenerateNodes(f, rec, version, opt) },
		"partitions": func(f *os.File, rec []byte) error { return jobsgen.GeneratePartitions(f, rec, version, opt) },
	}
	for endpoint, gen := range generated {
		path := filepath.Join(dir, endpoint+".json")
		a.Files[endpoint] = path
		if _, err := os.Stat(path); err == nil {
			continue // written completely by an earlier run (renamed into place)
		}
		rec, err := os.ReadFile(filepath.Join(recorded, endpoint+".json"))
		if err != nil {
			return nil, err
		}
		if err := writeAtomically(path, func(f *os.File) error { return gen(f, rec) }); err != nil {
			return nil, fmt.Errorf("generating %s: %w", path, err)
		}
	}
	for _, endpoint := range []string{"reservations", "diag", "ping"} {
		a.Files[endpoint] = filepath.Join(recorded, endpoint+".json")
	}
	a.Files["openapi"] = filepath.Join(fixtures, release, "openapi-v3.json")
	return a, nil
}

func writeAtomically(path string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone after the rename; cleans up on failure
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
