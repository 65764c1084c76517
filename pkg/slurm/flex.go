package slurm

import (
	"encoding/json"
	"fmt"
	"time"
)

// Version-dependent scalar shapes. Decoders of the smaller endpoints (diag,
// reservations, slurmdb, …) are generic over these so that one function
// serves every version; the type parameter is chosen per version in
// versions.go, never guessed from the data.

// intOrNum is a plain integer (null = unset; v0.0.38/39) or a {set, number} object (v0.0.39+).
type intOrNum interface{ *int64 | num }

// timeOrNum is a plain epoch integer or a {set, number} object.
type timeOrNum interface{ int64 | num }

// strOrList is a single state name (v0.0.38/39) or a list of names (v0.0.40+).
type strOrList interface{ string | []string }

func toNumber[T intOrNum](v T) Number {
	switch x := any(v).(type) {
	case *int64:
		return plainNumber(x)
	case num:
		return x.model()
	}
	return Number{}
}

func toTime[T timeOrNum](v T) time.Time {
	switch x := any(v).(type) {
	case int64:
		return unixTime(x)
	case num:
		return x.time()
	}
	return time.Time{}
}

func toNames[T strOrList](v T) []string {
	switch x := any(v).(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []string:
		return x
	}
	return nil
}

// exitPlain is the slurmdb exit_code of v0.0.38/39: {status: "SUCCESS", return_code: 0}.
// Caution (see the fixtures' README): these versions say SUCCESS/0 even for
// failed jobs; use the job state.
type exitPlain struct {
	Status     string `json:"status"`
	ReturnCode *int64 `json:"return_code"`
	Signal     struct {
		SignalID *int64 `json:"signal_id"`
		Name     string `json:"name"`
	} `json:"signal"`
}

type exitShape interface{ exitPlain | exitV40 }

func toExit[T exitShape](v T) ExitCode {
	switch x := any(v).(type) {
	case exitPlain:
		ec := ExitCode{Status: x.Status, ReturnCode: plainNumber(x.ReturnCode), SignalName: x.Signal.Name}
		if x.Signal.SignalID != nil {
			ec.Signal = int(*x.Signal.SignalID)
		}
		return ec
	case exitV40:
		return x.model()
	}
	return ExitCode{}
}

// stepIDShape is the slurmdb step id: v0.0.38 {"job_id":1,"id":"batch"},
// v0.0.39 {"id":{"job_id":1,"step_id":"batch"}}, v0.0.40+ {"id":"1.batch"}.
type stepIDShape interface {
	stepIDV38 | stepIDV39 | stepIDV40
}

type stepIDV38 struct {
	JobID int64    `json:"job_id"`
	ID    stepPart `json:"id"`
	Name  string   `json:"name"`
}

type stepIDV39 struct {
	ID struct {
		JobID  int64    `json:"job_id"`
		StepID stepPart `json:"step_id"`
	} `json:"id"`
	Name string `json:"name"`
}

// stepPart is the step part of a step id: a name ("batch", "extern") or a
// number (0 for the first srun step: 22.05 writes "id": 0, a JSON number).
type stepPart string

func (p *stepPart) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*p = stepPart(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("step id %s is neither a name nor a number", b)
	}
	*p = stepPart(n.String())
	return nil
}

type stepIDV40 struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func toStepID[T stepIDShape](v T) (id, name string) {
	switch x := any(v).(type) {
	case stepIDV38:
		return fmt.Sprintf("%d.%s", x.JobID, x.ID), x.Name
	case stepIDV39:
		return fmt.Sprintf("%d.%s", x.ID.JobID, x.ID.StepID), x.Name
	case stepIDV40:
		return x.ID, x.Name
	}
	return "", ""
}
