package slurm

import (
	"errors"
	"fmt"
)

// MissingDataError is a 2xx answer without the data its endpoint always
// carries: no "nodes" list in a /nodes answer (absent or null, as opposed to
// []), no statistics in /diag, no Slurm version in ping. Such an answer is
// Malformed, never an empty cluster: a proxy or a broken slurmrestd that
// answers {"meta":{},"errors":[],"warnings":[]} must not make every node
// and job disappear (and alert rules resolve).
type MissingDataError struct {
	What string // what is missing, e.g. `"nodes" list`
}

func (e *MissingDataError) Error() string { return "the answer carries no " + e.What }

func missingList(key string) error {
	return &MissingDataError{What: fmt.Sprintf("%q list", key)}
}

// missingData reports what a 2xx answer lacks, or "" when err is not a
// MissingDataError.
func missingData(err error) string {
	var m *MissingDataError
	if errors.As(err, &m) {
		return m.What
	}
	return ""
}

// checkPing: every ping answer lists the controllers and names the Slurm
// release in meta; one without either did not come from a working slurmrestd.
func checkPing(noPings bool, m *meta) error {
	switch {
	case m.release() == "":
		return &MissingDataError{What: "Slurm version (meta.slurm.release)"}
	case noPings:
		return missingList("pings")
	}
	return nil
}
