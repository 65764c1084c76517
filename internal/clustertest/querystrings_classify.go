package clustertest

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Query is a raw query string split the way slurmrestd reads it: pairs in
// order, values as sent (still percent-encoded).
type Query struct {
	pairs []queryPair
}

type queryPair struct{ key, raw string }

// ParseQuery splits raw at '&' and '='. It does not decode values, so a
// raw comma stays distinguishable from %2C.
func ParseQuery(raw string) (Query, error) {
	var q Query
	if raw == "" {
		return q, nil
	}
	for _, part := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil || key == "" {
			return q, fmt.Errorf("query key %q cannot be decoded", k)
		}
		q.pairs = append(q.pairs, queryPair{key, v})
	}
	return q, nil
}

// Values returns the decoded values of key, split at (escaped) commas.
func (q Query) Values(key string) []string {
	var out []string
	for _, p := range q.pairs {
		if p.key != key {
			continue
		}
		v, err := url.QueryUnescape(p.raw)
		if err != nil {
			v = p.raw
		}
		out = append(out, strings.Split(v, ",")...)
	}
	return out
}

func (q Query) has(key string) bool {
	return slices.ContainsFunc(q.pairs, func(p queryPair) bool { return p.key == key })
}

func (q Query) keys() []string {
	var out []string
	for _, p := range q.pairs {
		if !slices.Contains(out, p.key) {
			out = append(out, p.key)
		}
	}
	return out
}

// classified is one parameter of a query: its row in the recording, its
// decoded values and what about them matters.
type classified struct {
	facet
	key          string
	values       []string
	unknownValue bool // a value the recorded cluster does not know (a state, user or flag name)
	badStep      bool // a non-numeric step value
	rawColon     bool // an unescaped ':' (refused by 22.05)
}

// Names the recorded clusters know (query-strings.md: users alice, bob and
// carol; the job states; the flags of slurm/jobs and slurm/nodes).
var (
	knownUsers  = []string{"alice", "bob", "carol", "root", "grafana", "slurm"}
	knownStates = []string{"PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED", "TIMEOUT",
		"NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REQUEUED", "RESIZING", "REVOKED"}
	knownFlags = []string{"ALL", "DETAIL", "MIXED", "LOCAL", "SIBLING", "FED_TRACK", "FUTURE"}
)

var (
	digitsRE     = regexp.MustCompile(`^[0-9]+$`)
	slurmTimeRE  = regexp.MustCompile(`^(now([+-][0-9]+((second|minute|hour|day|week)s?)?)?|today|midnight|[0-9]{4}-[0-9]{2}-[0-9]{2})$`)
	isoEscapedRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}%3[Aa][0-9]{2}(%3[Aa][0-9]{2})?$`)
)

// timeClass names a time value as the recording does; "" when it is none of them.
func timeClass(raw string) string {
	decoded, err := url.QueryUnescape(raw)
	switch {
	case raw == "<unix>" || digitsRE.MatchString(raw):
		return "unix"
	case isoEscapedRE.MatchString(raw):
		return "iso-escaped"
	case err == nil && slurmTimeRE.MatchString(decoded):
		return "slurm-time-string"
	}
	return ""
}

// encodingOf names how key's values were written.
func (q Query) encodingOf(key string) (enc string, rawColon bool) {
	n, escaped, raw := 0, false, false
	for _, p := range q.pairs {
		if p.key != key {
			continue
		}
		n++
		raw = raw || strings.Contains(p.raw, ",")
		escaped = escaped || strings.Contains(strings.ToUpper(p.raw), "%2C")
		rawColon = rawColon || strings.Contains(p.raw, ":")
	}
	switch {
	case raw:
		return "raw-comma", rawColon
	case n > 1:
		return "repeated-key", rawColon
	case escaped:
		return "escaped-comma", rawColon
	}
	return "single", rawColon
}

// facets classifies every parameter of q sent to endpoint (the table's
// "slurmdb/jobs" form). known overrides the names taken as known (nil: the
// recorded clusters' names).
func (q Query) facets(endpoint string, known []string) []classified {
	var out []classified
	window := q.has("start_time") && q.has("end_time")
	for _, key := range q.keys() {
		enc, colon := q.encodingOf(key)
		c := classified{facet: facet{endpoint: endpoint, encoding: enc}, key: key, values: q.Values(key), rawColon: colon}
		unknown := func(names []string, fold bool) bool {
			if known != nil {
				names = known
			}
			return slices.ContainsFunc(c.values, func(v string) bool {
				return !slices.ContainsFunc(names, func(n string) bool { return n == v || fold && strings.EqualFold(n, v) })
			})
		}
		switch {
		case endpoint == "slurmdb/jobs" && key == "state":
			c.group = "state (no time window)"
			if window {
				c.group = "state, with start_time+end_time"
			}
			c.unknownValue = unknown(knownStates, true)
		case endpoint == "slurmdb/jobs" && key == "users":
			c.group, c.unknownValue = "users", unknown(knownUsers, false)
		case endpoint == "slurmdb/jobs" && (key == "account" || key == "partition" || key == "job_name"):
			c.group = key
		case endpoint == "slurmdb/jobs" && key == "qos":
			c.group = "qos (names)"
			if !slices.ContainsFunc(c.values, func(v string) bool { return !digitsRE.MatchString(v) }) {
				c.group = "qos (numeric ids)"
			}
		case endpoint == "slurmdb/jobs" && key == "step":
			c.group = "step (job ids)"
			c.badStep = slices.ContainsFunc(c.values, func(v string) bool { return !digitsRE.MatchString(v) })
		case endpoint == "slurmdb/jobs" && (key == "start_time" || key == "end_time"):
			c.group = "start_time+end_time value format"
			if enc == "single" || enc == "escaped-comma" {
				c.facet.encoding = timeClass(q.rawValue(key))
			}
		case (endpoint == "slurm/jobs" || endpoint == "slurm/nodes") && key == "update_time":
			c.group = "update_time"
			if enc == "single" {
				c.group, c.facet.encoding = "update_time value format", timeClass(q.rawValue(key))
			}
		case (endpoint == "slurm/jobs" || endpoint == "slurm/nodes") && key == "flags":
			c.group = "flags"
			if unknown(knownFlags, false) {
				c.unknownValue = true
				if enc == "single" {
					c.facet.encoding = "single (unknown value)"
				}
			}
		default:
			c.group = "(not a parameter of " + endpoint + ": " + key + ")"
		}
		out = append(out, c)
	}
	return out
}

func (q Query) rawValue(key string) string {
	for _, p := range q.pairs {
		if p.key == key {
			return p.raw
		}
	}
	return ""
}
