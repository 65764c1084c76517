package clustertest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Decision is what the recorded slurmrestd of one release and API version
// does with one request's query string.
type Decision struct {
	Outcome
	Param string // the parameter that decided; "" when every one was accepted
	Body  []byte // the recorded verbatim body of this refusal, when there is one
	Query Query
	// Facets are the parameters as classified, for filtering accepted rows.
	facets []classified
}

func (d Decision) String() string {
	if d.Param == "" {
		return "accepted"
	}
	return fmt.Sprintf("%s on %s: HTTP %d %s", d.Verdict, d.Param, d.Status, d.Note)
}

func severity(v Verdict) int {
	return map[Verdict]int{Accepted: 0, Wrong: 1, Failed: 2, Refused: 3, Fatal: 4}[v]
}

// Not in the recording: the test servers refuse it the way 22.05 refuses an
// unknown parameter, so that a client change that sends something new fails
// its tests until the new shape is recorded from a real slurmrestd.
func unrecorded(what string) Outcome {
	return Outcome{Verdict: Failed, Status: 500,
		Errors: []SlurmError{{9000, "Query empty or not RFC7320 compliant", "Unknown Query field"}},
		Note:   what + " is not in the recording (query-strings.md); refused like an unknown parameter"}
}

// Decide returns what release's slurmrestd serving version answers to a GET
// of path with rawQuery, from the recording. A release the recording does
// not cover gets only the checks every recorded release agrees on (a raw
// comma is refused).
func (r *Rules) Decide(release, version, path, rawQuery string) Decision {
	d := Decision{Outcome: Outcome{Verdict: Accepted, Status: 200}}
	q, err := ParseQuery(rawQuery)
	if err != nil {
		d.Outcome, d.Param = Outcome{Verdict: Refused, Status: 400, Text: "Unable to parse query.", Note: err.Error()}, "(query)"
		return d
	}
	d.Query = q
	endpoint := endpointOfPath(path, version)
	d.facets = q.facets(endpoint, nil)
	for _, c := range d.facets {
		o := r.decideOne(release, version, c)
		if severity(o.Verdict) > severity(d.Verdict) {
			d.Outcome, d.Param = o, c.key
			if o.Verdict == Refused || o.Verdict == Failed {
				if b, ok := r.bodies[bodyKey(release, version, c)]; ok && b.status == o.Status {
					d.Body = b.body
				} else {
					d.Body = nil
				}
			}
		}
	}
	return d
}

func (r *Rules) decideOne(release, version string, c classified) Outcome {
	covered := r.Has(release, version)
	if c.encoding == "raw-comma" {
		if row, ok := r.rows[rowKey(release, version, c.facet)]; ok {
			return row.outcome
		}
		if row, ok := r.rows[rowKey(release, version, facet{"slurmdb/jobs", "account", "raw-comma"})]; ok {
			return row.outcome // a raw comma is refused before any parameter is read
		}
		return Outcome{Verdict: Refused, Status: 400, Text: "Unable to parse query.", Note: "raw comma"}
	}
	if !covered {
		return Outcome{Verdict: Accepted, Status: 200}
	}
	if c.rawColon && release == "22.05.8" {
		return Outcome{Verdict: Refused, Status: 400, Text: "Unable to parse query.", Note: "unescaped ':' (22.05.8)"}
	}
	if c.badStep {
		if versionNumber(version) <= 39 {
			return Outcome{Verdict: Fatal, Note: "slurmrestd exits: fatal: Bad job/step specified"}
		}
		return Outcome{Verdict: Failed, Status: 422, Note: "non-numeric step",
			Errors: []SlurmError{{9000, "Query empty or not RFC7320 compliant", "Rejecting request. Failure parsing query parameters"}}}
	}
	row, ok := r.rows[rowKey(release, version, c.facet)]
	if !ok {
		return unrecorded(fmt.Sprintf("%s %s %q", c.group, c.encoding, c.key))
	}
	o := row.outcome
	if c.unknownValue && o.Verdict == Accepted {
		if ctl := r.controlFor(release, version, c.facet, row); ctl != nil {
			return *ctl
		}
	}
	return o
}

// controlFor is what the recording says for an unknown value: the row's
// control, else a failing control of the same parameter in another
// encoding (the unknown name is refused whatever the encoding).
func (r *Rules) controlFor(release, version string, f facet, row recordedRow) *Outcome {
	if row.control != nil && row.control.Verdict != Accepted {
		return row.control
	}
	for _, enc := range []string{"repeated-key", "escaped-comma", "single"} {
		other, ok := r.rows[rowKey(release, version, facet{f.endpoint, f.group, enc})]
		if ok && other.control != nil && other.control.Verdict == Failed {
			return other.control
		}
	}
	return nil
}

func versionNumber(version string) int {
	n, _ := strconv.Atoi(version[strings.LastIndex(version, ".")+1:])
	return n
}

// JSONBody is the answer body of a Failed or Refused decision: the recorded
// one when there is one, else errors[] as the table records them, with
// listKey holding rows (the unfiltered list when the recorded server kept
// it, else empty).
func (d Decision) JSONBody(listKey string, rows json.RawMessage) []byte {
	if d.Body != nil {
		return d.Body
	}
	type slurmErr struct {
		Description string `json:"description"`
		Number      int    `json:"error_number"`
		Error       string `json:"error"`
		Source      string `json:"source"`
	}
	type warning struct {
		Description string `json:"description"`
		Source      string `json:"source"`
	}
	body := map[string]any{"meta": map[string]any{}, "errors": []slurmErr{}, "warnings": []warning{}}
	errs := []slurmErr{}
	for _, e := range d.Errors {
		errs = append(errs, slurmErr{e.Description, e.Number, e.Error, "clustertest (recorded in query-strings.md)"})
	}
	body["errors"] = errs
	if d.Warning != "" {
		body["warnings"] = []warning{{d.Warning, "clustertest"}}
	}
	if listKey != "" {
		if !d.KeepsRows || len(rows) == 0 {
			rows = json.RawMessage("[]")
		}
		body[listKey] = rows
	}
	out, _ := json.Marshal(body)
	return out
}
