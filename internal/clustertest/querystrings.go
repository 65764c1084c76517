package clustertest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// What real slurmrestd 22.05.8, 23.11.11, 25.05.8 and 26.05.3 answered to
// every encoding of every query parameter the client uses, read from the
// recording (pkg/slurm/testdata/slurmrestd/query-strings.md, "Full results",
// and the verbatim bodies in query-strings/), so that the test servers refuse
// what the real ones refuse and report the queries real ones answer wrongly.

// Verdict is how a recorded server treated one shape of query.
type Verdict int

// The verdicts.
const (
	Accepted Verdict = iota // the right rows (or a row count, for slurm/jobs and slurm/nodes)
	Refused                 // a refusal without Slurm errors (plain text, or JSON with an empty errors[])
	Failed                  // an answer with errors[]
	Wrong                   // a silently wrong answer: no error, wrong rows
	Fatal                   // no answer: slurmrestd exits ("fatal: Bad job/step specified")
)

func (v Verdict) String() string {
	return [...]string{"accepted", "refused", "error", "wrong", "fatal"}[v]
}

// SlurmError is one recorded errors[] entry.
type SlurmError struct {
	Number      int
	Error       string
	Description string
}

// Outcome is what one recorded server answered.
type Outcome struct {
	Verdict Verdict
	Status  int    // HTTP status (0 for Fatal)
	Text    string // plain-text body of a Refused answer ("" for JSON)
	Errors  []SlurmError
	Warning string
	// KeepsRows: the error answer still lists every row, unfiltered
	// (25.05 v0.0.41+, 26.05).
	KeepsRows bool
	Note      string // the recording's own words
}

// facet is one parameter of a query as the recording classifies it: the
// table's parameter group and encoding.
type facet struct {
	endpoint string // slurmdb/jobs, slurm/jobs, slurm/nodes
	group    string // e.g. "state, with start_time+end_time", "qos (numeric ids)"
	encoding string // raw-comma, escaped-comma, repeated-key, single, unix, …
}

type recordedRow struct {
	outcome Outcome
	control *Outcome // the same encoding with an unknown value first
}

// Rules holds the recording.
type Rules struct {
	rows   map[string]recordedRow // key: release|version|endpoint|group|encoding
	bodies map[string]recordedBody
}

type recordedBody struct {
	status int
	text   bool
	body   []byte
}

var (
	rulesOnce sync.Once
	rules     *Rules
	rulesErr  error
)

// LoadRules reads the recording once per test binary.
func LoadRules(root string) (*Rules, error) {
	rulesOnce.Do(func() { rules, rulesErr = loadRules(root) })
	return rules, rulesErr
}

func rowKey(release, version string, f facet) string {
	return release + "|" + version + "|" + f.endpoint + "|" + f.group + "|" + f.encoding
}

// Has reports whether the recording covers release and version.
func (r *Rules) Has(release, version string) bool {
	_, ok := r.rows[rowKey(release, version, facet{"slurm/jobs", "(none)", "-"})]
	return ok
}

// Covered lists the recorded release/version pairs ("26.05.3", "v0.0.45"), sorted.
func (r *Rules) Covered() [][2]string {
	var out [][2]string
	for key := range r.rows {
		p := strings.SplitN(key, "|", 3)
		if r.Has(p[0], p[1]) && !slices.Contains(out, [2]string{p[0], p[1]}) {
			out = append(out, [2]string{p[0], p[1]})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0]+a[1], b[0]+b[1]) })
	return out
}

func loadRules(root string) (*Rules, error) {
	path := filepath.Join(root, "query-strings.md")
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &Rules{rows: map[string]recordedRow{}, bodies: map[string]recordedBody{}}
	section := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			section = line
			continue
		}
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		// "| a | b |  |": the last cell may be empty, so trim the frame only.
		cells := strings.Split(strings.TrimSuffix(strings.TrimPrefix(line, "| "), " |"), " | ")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case section == "## Full results" && len(cells) == 9 && cells[0] != "release" && !strings.HasPrefix(cells[0], "---"):
			if err := r.addRow(cells); err != nil {
				return nil, fmt.Errorf("%s: %w (row %q)", path, err, line)
			}
		case strings.HasPrefix(section, "## Refusal bodies") && len(cells) == 3 && strings.HasPrefix(cells[0], "`"):
			if err := r.addBody(root, cells); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(r.rows) < 500 || len(r.bodies) == 0 {
		return nil, fmt.Errorf("%s: only %d rows and %d refusal bodies read: has the table changed shape?", path, len(r.rows), len(r.bodies))
	}
	return r, nil
}

func (r *Rules) addRow(c []string) error {
	status, err := strconv.Atoi(c[6])
	if err != nil && c[6] != "-" {
		return fmt.Errorf("HTTP %q", c[6])
	}
	out, err := parseOutcome(status, c[7])
	if err != nil {
		return err
	}
	row := recordedRow{outcome: out}
	if ctl := strings.TrimSpace(c[8]); ctl != "" {
		o, err := parseControl(ctl)
		if err != nil {
			return err
		}
		row.control = &o
	}
	key := rowKey(c[0], c[1], facet{c[2], c[3], c[4]})
	if _, dup := r.rows[key]; dup {
		return errors.New("duplicate row")
	}
	r.rows[key] = row
	return nil
}

var (
	correctRE = regexp.MustCompile(`^correct \(\d+\)$`)
	rowsRE    = regexp.MustCompile(`^\d+ rows(?:; warning “([^”]*)”)?$`)
	refusedRE = regexp.MustCompile(`^\*\*refused\*\*, text body “([^”]*)”$`)
	errorRE   = regexp.MustCompile(`^\*\*error\*\* (-?\d+) “([^”]*)”: (.*?)(?:; warning “([^”]*)”)?( — body still lists .*)?$`)
	wrongRE   = regexp.MustCompile(`^\*\*wrong: (.*?)\*\*(.*)$`)
	ctlErrRE  = regexp.MustCompile(`^(\d{3}) (-?\d+) “([^”]*)”: (.*)$`)
	ctlTextRE = regexp.MustCompile(`^(\d{3}) “([^”]*)”$`)
)

func parseOutcome(status int, s string) (Outcome, error) {
	o := Outcome{Status: status, Note: s}
	switch {
	case correctRE.MatchString(s) || s == "304, empty body":
		o.Verdict = Accepted
	case rowsRE.MatchString(s):
		o.Verdict = Accepted
		o.Warning = rowsRE.FindStringSubmatch(s)[1]
	case refusedRE.MatchString(s):
		o.Verdict, o.Text = Refused, refusedRE.FindStringSubmatch(s)[1]
	case strings.HasPrefix(s, "**refused**, JSON body with empty errors[]"):
		o.Verdict = Refused
	case errorRE.MatchString(s):
		m := errorRE.FindStringSubmatch(s)
		n, _ := strconv.Atoi(m[1])
		o.Verdict, o.Errors, o.Warning, o.KeepsRows = Failed, []SlurmError{{n, m[2], m[3]}}, m[4], m[5] != ""
	case wrongRE.MatchString(s):
		o.Verdict = Wrong
	default:
		return o, fmt.Errorf("outcome %q not understood", s)
	}
	return o, nil
}

func parseControl(s string) (Outcome, error) {
	switch {
	case strings.HasPrefix(s, "200 rows of the known value only"):
		return Outcome{Verdict: Accepted, Status: 200, Note: s}, nil
	case strings.HasPrefix(s, "200 0 rows"):
		return Outcome{Verdict: Wrong, Status: 200, Note: s}, nil
	case ctlErrRE.MatchString(s):
		m := ctlErrRE.FindStringSubmatch(s)
		st, _ := strconv.Atoi(m[1])
		n, _ := strconv.Atoi(m[2])
		v := Failed
		if st == 200 && n == 9003 {
			v = Wrong // "Nothing found" for a filter that should have matched
		}
		return Outcome{Verdict: v, Status: st, Errors: []SlurmError{{n, m[3], m[4]}}, Note: s}, nil
	case ctlTextRE.MatchString(s):
		m := ctlTextRE.FindStringSubmatch(s)
		st, _ := strconv.Atoi(m[1])
		return Outcome{Verdict: Refused, Status: st, Text: m[2], Note: s}, nil
	}
	return Outcome{}, fmt.Errorf("control %q not understood", s)
}

// addBody reads one verbatim refusal body, keyed like the table row of the
// request that produced it.
func (r *Rules) addBody(root string, c []string) error {
	name := strings.Trim(c[0], "`")
	req := strings.TrimPrefix(strings.Trim(c[1], "`"), "GET ")
	status, err := strconv.Atoi(c[2])
	if err != nil {
		return fmt.Errorf("refusal body %s: HTTP %q", name, c[2])
	}
	parts := strings.SplitN(name, "_", 3)
	if len(parts) < 3 {
		return fmt.Errorf("refusal body %s: name is not <release>_<version>_…", name)
	}
	path, raw, _ := strings.Cut(req, "?")
	q, err := ParseQuery(raw)
	if err != nil {
		return fmt.Errorf("refusal body %s: %w", name, err)
	}
	facets := q.facets(endpointOfPath(path, parts[1]), nil)
	if len(facets) != 1 {
		return fmt.Errorf("refusal body %s: request %q is not about one parameter", name, req)
	}
	body, err := os.ReadFile(filepath.Join(root, "query-strings", name))
	if err != nil {
		return err
	}
	r.bodies[bodyKey(parts[0], parts[1], facets[0])] = recordedBody{status: status, text: strings.HasSuffix(name, ".txt"), body: body}
	return nil
}

func bodyKey(release, version string, f classified) string {
	return rowKey(release, version, f.facet) + "|" + strconv.FormatBool(f.unknownValue)
}

// endpointOfPath maps /slurmdb/vX/jobs to the table's "slurmdb/jobs".
func endpointOfPath(path, version string) string {
	for _, prefix := range []string{"/slurm/", "/slurmdb/"} {
		if rest, ok := strings.CutPrefix(path, prefix+version+"/"); ok {
			return strings.Trim(prefix, "/") + "/" + rest
		}
	}
	return strings.TrimPrefix(path, "/")
}
