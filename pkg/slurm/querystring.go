package slurm

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Every query string the client sends is built here, per API version, from
// what real slurmrestd 22.05.8, 23.11.11, 25.05.8 and 26.05.3 were recorded
// to accept (testdata/slurmrestd/query-strings.md). The OpenAPI documents
// declare every parameter as one string and say "comma delimited list" in
// prose; what the servers do instead:
//
//	parameter                        v0.0.38/39          v0.0.40/41          v0.0.42+
//	state, users, step, flags        k=a%2Cb             k=a&k=b             k=a&k=b
//	account, partition, job_name     k=a%2Cb             k=a%2Cb             k=a%2Cb
//	start_time, end_time             now-N (time string) now-N (time string) Unix seconds
//	update_time (slurm/jobs)         Unix seconds        now-N (time string) Unix seconds
//
// A raw comma is refused by every release (400, or 500 on 26.05), and so is
// an unescaped ':' on 22.05: url.Values.Encode escapes both, and no value
// may hold a comma. Further rules:
//   - users does not exist on v0.0.38 (500 "Unknown Query field"): the
//     client filters users itself there.
//   - flags is declared from v0.0.40 on (ignored before, so not sent).
//   - state matches nothing unless both start_time and end_time are set:
//     without both, the state filter is applied by the client only.
//   - qos matches numeric QOS ids only (a name gives 0 rows and no error):
//     QOS names are filtered by the client, never sent.
//   - step (job ids) is typed []int64: a non-numeric value makes slurmrestd
//     v0.0.38/39 exit ("fatal: Bad job/step specified").
//   - A Slurm time string such as "2026-12-05T00:00:00" is read in
//     slurmrestd's own time zone, which the client does not know; "now-N" is
//     free of it (only the clocks' skew remains, seconds at most).
//   - slurm/nodes is asked without a query: on v0.0.39 a time-string
//     update_time answers 200 with "nodes": null and no error.

// listStyle is how slurmrestd reads a parameter holding several values.
type listStyle int

const (
	escapedComma listStyle = iota // k=a%2Cb: one value that slurmrestd splits
	repeatedKey                   // k=a&k=b
)

// timeStyle is how a time value is written.
type timeStyle int

const (
	unixSeconds   timeStyle = iota // 1796428800
	relativeToNow                  // now-3600, a Slurm time string
)

// queryRules is what one API version's slurmrestd accepts.
type queryRules struct {
	flagLists  listStyle // state, users, step, flags
	hasUsers   bool      // users exists (v0.0.39+)
	hasFlags   bool      // flags is declared (v0.0.40+)
	window     timeStyle // start_time, end_time
	updateTime timeStyle // update_time of slurm/jobs
}

// rulesFor returns the query rules of a supported API version.
func rulesFor(version string) queryRules {
	n := versionParts(version)[2]
	r := queryRules{flagLists: repeatedKey, hasUsers: n >= 39, hasFlags: n >= 40, window: unixSeconds, updateTime: unixSeconds}
	if n <= 39 {
		r.flagLists = escapedComma
	}
	if n <= 41 {
		r.window = relativeToNow
	}
	if n == 40 || n == 41 {
		r.updateTime = relativeToNow
	}
	return r
}

// queryBuilder collects parameters; the first invalid value is kept in err.
type queryBuilder struct {
	rules queryRules
	now   time.Time
	q     url.Values
	err   error
}

func newQuery(version string, now time.Time) *queryBuilder {
	return &queryBuilder{rules: rulesFor(version), now: now, q: url.Values{}}
}

// list adds a multi-value parameter in the given style after checking each
// value. No value may be empty or hold a comma: slurmrestd would split it.
func (b *queryBuilder) list(key string, style listStyle, vals []string, check func(string) error) {
	if b.err != nil || len(vals) == 0 {
		return
	}
	for _, v := range vals {
		if err := checkQueryValue(key, v); err != nil {
			b.err = err
			return
		}
		if check != nil {
			if err := check(v); err != nil {
				b.err = err
				return
			}
		}
	}
	if style == escapedComma {
		b.q.Set(key, strings.Join(vals, ","))
		return
	}
	b.q[key] = append([]string(nil), vals...)
}

// flagList adds state, users, step or flags (style by version).
func (b *queryBuilder) flagList(key string, vals []string, check func(string) error) {
	b.list(key, b.rules.flagLists, vals, check)
}

// nameList adds account, partition or job_name (%2C on every version).
func (b *queryBuilder) nameList(key string, vals []string) {
	b.list(key, escapedComma, vals, nil)
}

// ids adds job ids as the step parameter. Ids are numbers by type, so
// nothing slurmrestd v0.0.38/39 would die on can be sent.
func (b *queryBuilder) ids(key string, ids []int64) {
	vals := make([]string, 0, len(ids))
	for _, id := range ids {
		if id <= 0 {
			b.err = &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter %s: job id %d is not a positive number", key, id)}
			return
		}
		vals = append(vals, strconv.FormatInt(id, 10))
	}
	b.flagList(key, vals, nil)
}

// rounding says which way a relative time may be off by the sub-second
// part: a window's start moves earlier, its end later, so it never shrinks.
type rounding int

const (
	roundEarlier rounding = iota
	roundLater
)

// time adds a point in time in the given style.
func (b *queryBuilder) time(key string, t time.Time, style timeStyle, r rounding) {
	if b.err != nil || t.IsZero() {
		return
	}
	if style == unixSeconds {
		b.q.Set(key, strconv.FormatInt(t.Unix(), 10))
		return
	}
	b.q.Set(key, relativeTime(b.now.Sub(t), r))
}

// relativeTime writes "now-N" (N seconds ago, age > 0) or "now+N", rounded
// to whole seconds in the direction r.
func relativeTime(age time.Duration, r rounding) string {
	s := age.Seconds()
	if r == roundEarlier {
		s = math.Ceil(s)
	} else {
		s = math.Floor(s)
	}
	switch n := int64(s); {
	case n > 0:
		return "now-" + strconv.FormatInt(n, 10)
	case n < 0:
		return "now+" + strconv.FormatInt(-n, 10)
	}
	return "now"
}

func (b *queryBuilder) values() (url.Values, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.q) == 0 {
		return nil, nil
	}
	return b.q, nil
}

// checkQueryValue refuses what would change a query's meaning on the wire.
func checkQueryValue(key, v string) error {
	switch {
	case v == "":
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter %s: empty value", key)}
	case len(v) > 256:
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter %s: value longer than 256 bytes", key)}
	case strings.ContainsRune(v, ','):
		return &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter %s: value %q holds a comma (slurmrestd splits values at commas)", key, v)}
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter %s: value %q holds a control character", key, v)}
		}
	}
	return nil
}

// checkJobState accepts Slurm job state names (upper case letters and '_');
// slurmrestd answers others with error 9000 or 9207.
func checkJobState(s string) error {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r == '_') {
			return &Error{Kind: InvalidInput, Err: fmt.Errorf("query parameter state: %q is not a Slurm job state name (e.g. FAILED, TIMEOUT)", s)}
		}
	}
	return nil
}

// jobsQuery is the query of GET /slurm/vX/jobs. flags=ALL (every partition,
// hidden ones too; not DETAIL, whose per-node detail the model does not
// read) from v0.0.40 on. update_time, when the caller has a previous answer
// (since = its last_update): Unix seconds where accepted; on v0.0.40/41 a
// time string measured on the client's clock from the moment the request
// that got since was sent (sent), and none when that moment is not known.
func jobsQuery(version string, since, sent, now time.Time) url.Values {
	b := newQuery(version, now)
	if b.rules.hasFlags {
		b.q.Set("flags", "ALL")
	}
	if !since.IsZero() {
		switch {
		case b.rules.updateTime == unixSeconds:
			b.q.Set("update_time", strconv.FormatInt(since.Unix(), 10))
		case !sent.IsZero():
			b.q.Set("update_time", updateTimeSince(now.Sub(sent)))
		}
	}
	q, _ := b.values() // nothing here can be invalid
	return q
}

// updateTimeSince is the update_time time string for "what changed since
// slurmctld answered a request sent `elapsed` ago". slurmctld stamps its
// answer (last_update) after the request arrived, so on the client's own
// clock that stamp is at most `elapsed` old: now-(elapsed rounded up, plus
// one second for slurmctld's whole-second stamps) is at or before it
// whatever the two clocks read, and no change is ever missed. Nothing else
// is lost either: slurmctld answers "unchanged" only when its last change
// is older than update_time, and then with the same list as a full answer.
func updateTimeSince(elapsed time.Duration) string {
	n := int64(math.Ceil(elapsed.Seconds())) + 1
	if n < 1 {
		n = 1
	}
	return "now-" + strconv.FormatInt(n, 10)
}

// dbJobsQuery is the query of GET /slurmdb/vX/jobs for f, and tells which
// filters the server cannot apply here (users on v0.0.38; states without a
// full window; QOS names always): AccountingJobs applies every filter again
// after decoding, so the result is the same on every version.
func dbJobsQuery(version string, f AccountingFilter, now time.Time) (url.Values, error) {
	b := newQuery(version, now)
	b.time("start_time", f.Start, b.rules.window, roundEarlier)
	b.time("end_time", f.End, b.rules.window, roundLater)
	if b.rules.hasUsers {
		b.flagList("users", f.Users, nil)
	} else {
		for _, u := range f.Users {
			if err := checkQueryValue("users", u); err != nil {
				return nil, err
			}
		}
	}
	b.nameList("account", f.Accounts)
	b.nameList("partition", f.Partitions)
	b.nameList("job_name", f.JobNames)
	b.ids("step", f.JobIDs)
	states := upperAll(f.States)
	if !f.Start.IsZero() && !f.End.IsZero() {
		b.flagList("state", states, checkJobState)
	} else {
		for _, s := range states {
			if err := checkJobState(s); err != nil {
				return nil, err
			}
		}
	}
	return b.values()
}

func upperAll(in []string) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = strings.ToUpper(s)
	}
	return out
}
