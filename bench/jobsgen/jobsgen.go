// Package jobsgen builds synthetic slurmrestd GET /jobs answers of any size
// by replicating real recorded jobs (pkg/slurm/testdata/slurmrestd) with
// varied ids, users, accounts, node lists, states and times. Every field the
// recording has stays in the output with the recorded shape, so a decoder
// sees the same work per job as on a real cluster.
package jobsgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
)

// Options control the generated answer.
type Options struct {
	Jobs   int    // number of jobs
	Seed   uint64 // same seed, same bytes
	Pretty bool   // indent like slurmrestd (2 spaces); false = compact
	Nodes  int    // size of the simulated cluster (node names node00001…), default 10000
	Users  int    // distinct users, default 500
}

// Style tells how the recording's version writes numbers and job states.
type style struct {
	wrapped     bool // {set, infinite, number} objects (v0.0.39+ for most numbers)
	wrappedTime bool // times wrapped (v0.0.40+)
	stateList   bool // job_state is a list (v0.0.40+)
}

func styleOf(version string) (style, error) {
	switch version {
	case "v0.0.38":
		return style{}, nil
	case "v0.0.39":
		return style{wrapped: true}, nil
	case "v0.0.40", "v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44", "v0.0.45":
		return style{wrapped: true, wrappedTime: true, stateList: true}, nil
	}
	return style{}, fmt.Errorf("jobsgen: unsupported API version %q", version)
}

// template is one recorded job: its keys in recorded order and raw values.
type template struct {
	keys   []string
	values map[string]json.RawMessage
	class  string // running, pending, finished (from the recorded state)
}

// GenerateFile reads a recorded jobs.json of the given API version and
// returns a synthetic answer with opt.Jobs jobs.
func GenerateFile(recordedJobs, version string, opt Options) ([]byte, error) {
	data, err := os.ReadFile(recordedJobs)
	if err != nil {
		return nil, fmt.Errorf("jobsgen: read recorded jobs: %w", err)
	}
	return Generate(data, version, opt)
}

// Generate replicates the jobs of a recorded answer.
func Generate(recorded []byte, version string, opt Options) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(opt.Jobs * 6000)
	if err := GenerateTo(&out, recorded, version, opt); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// GenerateTo writes the answer to w one job at a time: a 300k-job answer is
// about 3 GB pretty-printed and is never held whole. The bytes are the same
// as indenting the compact answer with json.Indent (two spaces).
func GenerateTo(w io.Writer, recorded []byte, version string, opt Options) error {
	st, err := styleOf(version)
	if err != nil {
		return err
	}
	if opt.Jobs <= 0 {
		return fmt.Errorf("jobsgen: Jobs must be positive")
	}
	if opt.Nodes <= 0 {
		opt.Nodes = 10000
	}
	if opt.Users <= 0 {
		opt.Users = 500
	}
	top, order, err := objectInOrder(recorded)
	if err != nil {
		return err
	}
	var rawJobs []json.RawMessage
	if err := json.Unmarshal(top["jobs"], &rawJobs); err != nil || len(rawJobs) == 0 {
		return fmt.Errorf("jobsgen: recorded answer has no jobs array")
	}
	templates := make([]template, 0, len(rawJobs))
	for _, rj := range rawJobs {
		vals, keys, err := objectInOrder(rj)
		if err != nil {
			return err
		}
		templates = append(templates, template{keys: keys, values: vals, class: classOf(vals["job_state"])})
	}

	// A seeded generator on purpose: the same seed must give the same benchmark input.
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15)) // #nosec G404 -- reproducible test data, not a secret
	g := &generator{st: st, opt: opt, rng: rng, templates: templates}
	aw := newAnswerWriter(w, opt.Pretty)
	return aw.object(order, top, "jobs", opt.Jobs, func(i int, job *bytes.Buffer) {
		g.writeJob(job, &g.templates[i%len(g.templates)], i)
	})
}

type generator struct {
	st        style
	opt       Options
	rng       *rand.Rand
	templates []template
}

var (
	pendingReasons = []string{"Resources", "Priority", "Priority", "Dependency", "JobHeldUser", "BeginTime", "QOSMaxJobsPerUserLimit", "ReqNodeNotAvail"}
	finishedStates = []string{"COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY"}
	partitions     = []string{"cpu", "gpu", "bigmem", "debug", "long"}
)

const baseJobID = 1_000_000
const baseTime = 1795900000

func (g *generator) num(v int64) string {
	if g.st.wrapped {
		return `{"set":true,"infinite":false,"number":` + strconv.FormatInt(v, 10) + `}`
	}
	return strconv.FormatInt(v, 10)
}

func (g *generator) time(v int64) string {
	if g.st.wrappedTime {
		return `{"set":true,"infinite":false,"number":` + strconv.FormatInt(v, 10) + `}`
	}
	return strconv.FormatInt(v, 10)
}

func (g *generator) state(s string) string {
	if g.st.stateList {
		return `["` + s + `"]`
	}
	return `"` + s + `"`
}

func (g *generator) writeJob(out *bytes.Buffer, t *template, i int) {
	id := int64(baseJobID + i)
	user := g.rng.IntN(g.opt.Users)
	submit := int64(baseTime + i/4)
	nodeCount := int64(1)
	if n, ok := numberIn(t.values["node_count"]); ok && n > 0 {
		nodeCount = n
	}
	var nodes string
	state := "PENDING"
	reason := pendingReasons[g.rng.IntN(len(pendingReasons))]
	switch t.class {
	case "running", "finished":
		first := 1 + g.rng.IntN(g.opt.Nodes-int(nodeCount))
		if nodeCount == 1 {
			nodes = fmt.Sprintf("node%05d", first)
		} else {
			nodes = fmt.Sprintf("node[%05d-%05d]", first, first+int(nodeCount)-1)
		}
		state, reason = "RUNNING", "None"
		if t.class == "finished" {
			state = finishedStates[g.rng.IntN(len(finishedStates))]
			if state == "FAILED" {
				reason = "NonZeroExitCode"
			}
		}
	}
	overrides := map[string]string{
		"job_id":                    strconv.FormatInt(id, 10),
		"user_name":                 strconv.Quote(fmt.Sprintf("user%03d", user)),
		"user_id":                   strconv.Itoa(10000 + user),
		"group_name":                strconv.Quote(fmt.Sprintf("user%03d", user)),
		"account":                   strconv.Quote(fmt.Sprintf("acct%02d", user%40)),
		"partition":                 strconv.Quote(partitions[g.rng.IntN(len(partitions))]),
		"job_state":                 g.state(state),
		"state_reason":              strconv.Quote(reason),
		"nodes":                     strconv.Quote(nodes),
		"batch_host":                strconv.Quote(firstNode(nodes)),
		"submit_time":               g.time(submit),
		"priority":                  g.num(int64(1000 + g.rng.IntN(100000))),
		"current_working_directory": strconv.Quote(fmt.Sprintf("/home/user%03d/run%d", user, i%97)),
	}
	if state != "PENDING" {
		overrides["start_time"] = g.time(submit + int64(g.rng.IntN(3600)))
		overrides["eligible_time"] = g.time(submit)
	}
	// Array tasks keep their distance to the array's job id within a cycle.
	if aj, ok := numberIn(t.values["array_job_id"]); ok && aj > 0 {
		if orig, ok := numberIn(t.values["job_id"]); ok {
			overrides["array_job_id"] = g.num(id - (orig - aj))
		}
	}
	out.WriteByte('{')
	for k, key := range t.keys {
		if k > 0 {
			out.WriteByte(',')
		}
		writeKey(out, key)
		if v, ok := overrides[key]; ok {
			out.WriteString(v)
			continue
		}
		_ = compactInto(out, t.values[key])
	}
	out.WriteByte('}')
}

func firstNode(list string) string {
	if i := bytes.IndexByte([]byte(list), '['); i >= 0 {
		j := bytes.IndexByte([]byte(list), '-')
		if j < 0 {
			j = len(list) - 1
		}
		return list[:i] + list[i+1:j]
	}
	return list
}

// classOf maps a recorded job_state (string or list) to running/pending/finished.
func classOf(raw json.RawMessage) string {
	var s string
	var list []string
	if json.Unmarshal(raw, &s) == nil {
		list = []string{s}
	} else {
		_ = json.Unmarshal(raw, &list)
	}
	if len(list) == 0 {
		return "finished"
	}
	switch list[0] {
	case "RUNNING":
		return "running"
	case "PENDING":
		return "pending"
	}
	return "finished"
}

// numberIn reads a plain number or a {set, number} object.
func numberIn(raw json.RawMessage) (int64, bool) {
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		return n, true
	}
	var w struct {
		Set    bool  `json:"set"`
		Number int64 `json:"number"`
	}
	if json.Unmarshal(raw, &w) == nil && w.Set {
		return w.Number, true
	}
	return 0, false
}

func writeKey(out *bytes.Buffer, k string) {
	out.WriteString(strconv.Quote(k))
	out.WriteByte(':')
}

func compactInto(out *bytes.Buffer, raw json.RawMessage) error {
	if len(raw) == 0 {
		out.WriteString("null")
		return nil
	}
	return json.Compact(out, raw)
}

// objectInOrder decodes a JSON object into raw values and its key order.
func objectInOrder(data []byte) (map[string]json.RawMessage, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("jobsgen: not a JSON object")
	}
	vals := map[string]json.RawMessage{}
	var keys []string
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		k, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		if _, dup := vals[k]; !dup {
			keys = append(keys, k)
		}
		vals[k] = v
	}
	return vals, keys, nil
}
