package slurm

import "testing"

// Only v0.0.38 and v0.0.45 answers say which partition is the default
// (their flags); on v0.0.39–v0.0.44 it is unknown (nil), not false.
func TestPartitionDefaultKnownOnlyWhereTheAnswerSaysIt(t *testing.T) {
	dirs := allFixtureDirs(t)
	for _, d := range dirs {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			parts, _, err := adapterFor(d.Version).parts(d.body(t, "partitions"))
			if err != nil {
				t.Fatal(err)
			}
			known := d.Version == "v0.0.38" || d.Version == "v0.0.45"
			for _, p := range parts {
				switch {
				case !known && p.Default != nil:
					t.Errorf("%s: default %v, want unknown (nil)", p.Name, *p.Default)
				case known && p.Default == nil:
					t.Errorf("%s: default unknown, want it read from the flags", p.Name)
				case known && *p.Default != (p.Name == "cpu"):
					t.Errorf("%s: default %v (cpu is the default partition)", p.Name, *p.Default)
				}
			}
		})
	}
}
