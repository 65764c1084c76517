// Command genjobs writes a synthetic slurmrestd GET /jobs answer built from a
// real recording (see bench/README.md):
//
//	go run ./bench/cmd/genjobs -jobs 100000 -version v0.0.45 \
//	    -from pkg/slurm/testdata/slurmrestd/26.05.3/v0.0.45/jobs.json -o /tmp/jobs-100k.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/hpc-slurm/hpc-slurm-app/bench/jobsgen"
)

func main() {
	from := flag.String("from", "pkg/slurm/testdata/slurmrestd/26.05.3/v0.0.45/jobs.json", "recorded jobs.json to replicate")
	version := flag.String("version", "v0.0.45", "API version of the recording")
	n := flag.Int("jobs", 100000, "number of jobs")
	seed := flag.Uint64("seed", 1, "random seed")
	pretty := flag.Bool("pretty", true, "indent like slurmrestd")
	out := flag.String("o", "", "output file (default stdout)")
	flag.Parse()

	recorded, err := os.ReadFile(*from)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := os.Stdout
	if *out != "" {
		if w, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	// Streamed: a 300k-job answer is about 3 GB pretty-printed.
	err = jobsgen.GenerateTo(w, recorded, *version, jobsgen.Options{Jobs: *n, Seed: *seed, Pretty: *pretty})
	if cerr := w.Close(); err == nil && w != os.Stdout {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
