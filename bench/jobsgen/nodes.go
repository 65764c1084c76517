package jobsgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// The synthetic cluster the generated jobs run on: Options.Nodes nodes named
// node00001…, split into the partitions the jobs ask for. GPU nodes are
// replicated from recorded GPU nodes, the others from recorded CPU nodes.
var partitionShares = []struct {
	name  string
	share int // per cent of the nodes
	gpu   bool
}{
	{"cpu", 60, false},
	{"gpu", 20, true},
	{"bigmem", 10, false},
	{"debug", 5, false},
	{"long", 5, false},
}

// span is one partition's consecutive node numbers (1-based, inclusive).
type span struct {
	name        string
	first, last int
	gpu         bool
}

func layout(nodes int) []span {
	out := make([]span, 0, len(partitionShares))
	next := 1
	for i, p := range partitionShares {
		n := nodes * p.share / 100
		if i == len(partitionShares)-1 {
			n = nodes - next + 1 // the rest, so every node has a partition
		}
		n = max(n, 1)
		out = append(out, span{name: p.name, first: next, last: next + n - 1, gpu: p.gpu})
		next += n
	}
	return out
}

func nodeName(i int) string { return fmt.Sprintf("node%05d", i) }

func (s span) hostlist() string {
	if s.first == s.last {
		return nodeName(s.first)
	}
	return fmt.Sprintf("node[%05d-%05d]", s.first, s.last)
}

// nodeStates: how often each state appears, in per cent; the base state
// first, then flags (upper case as v0.0.40+ write them).
var nodeStates = []struct {
	pct    int
	state  []string
	reason string
}{
	{55, []string{"ALLOCATED"}, ""},
	{27, []string{"MIXED"}, ""},
	{12, []string{"IDLE"}, ""},
	{4, []string{"IDLE", "DRAIN"}, "replace DIMM B2"},
	{2, []string{"DOWN", "NOT_RESPONDING"}, "Not responding"},
}

// GenerateNodes writes a /nodes answer of opt.Nodes nodes replicated from a
// recorded one (every field of the recording keeps its shape).
func GenerateNodes(w io.Writer, recorded []byte, version string, opt Options) error {
	st, err := styleOf(version)
	if err != nil {
		return err
	}
	if opt.Nodes <= 0 {
		opt.Nodes = 10000
	}
	top, order, err := objectInOrder(recorded)
	if err != nil {
		return err
	}
	cpu, gpu, err := nodeTemplates(top["nodes"])
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x5851f42d4c957f2d)) // #nosec G404 -- reproducible test data, not a secret
	spans := layout(opt.Nodes)
	aw := newAnswerWriter(w, opt.Pretty)
	p := 0
	return aw.object(order, top, "nodes", opt.Nodes, func(i int, out *bytes.Buffer) {
		n := i + 1
		for n > spans[p].last {
			p++
		}
		templates := cpu
		if spans[p].gpu {
			templates = gpu
		}
		writeNode(out, st, &templates[n%len(templates)], n, spans[p].name, rng)
	})
}

func nodeTemplates(raw json.RawMessage) (cpu, gpu []template, err error) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, nil, fmt.Errorf("jobsgen: recorded answer has no nodes array")
	}
	for _, rn := range list {
		vals, keys, err := objectInOrder(rn)
		if err != nil {
			return nil, nil, err
		}
		t := template{keys: keys, values: vals}
		if bytes.Contains(vals["gres"], []byte("gpu")) {
			gpu = append(gpu, t)
		} else {
			cpu = append(cpu, t)
		}
	}
	if len(cpu) == 0 {
		cpu = gpu
	}
	if len(gpu) == 0 {
		gpu = cpu
	}
	return cpu, gpu, nil
}

func pickState(rng *rand.Rand) ([]string, string) {
	r := rng.IntN(100)
	for _, s := range nodeStates {
		if r < s.pct {
			return s.state, s.reason
		}
		r -= s.pct
	}
	return nodeStates[0].state, ""
}

func writeNode(out *bytes.Buffer, st style, t *template, n int, partition string, rng *rand.Rand) {
	state, reason := pickState(rng)
	cpus, _ := numberIn(t.values["cpus"])
	mem, _ := numberIn(t.values["real_memory"])
	var allocCPUs, allocMem int64
	switch state[0] {
	case "ALLOCATED":
		allocCPUs, allocMem = cpus, mem*3/4
	case "MIXED":
		allocCPUs, allocMem = cpus/2, mem/3
	}
	name := nodeName(n)
	o := map[string]string{
		"name":               strconv.Quote(name),
		"hostname":           strconv.Quote(name),
		"address":            strconv.Quote(fmt.Sprintf("10.%d.%d.%d", n>>16, (n>>8)&0xff, n&0xff)),
		"partitions":         `[` + strconv.Quote(partition) + `]`,
		"alloc_cpus":         strconv.FormatInt(allocCPUs, 10),
		"alloc_memory":       strconv.FormatInt(allocMem, 10),
		"idle_cpus":          strconv.FormatInt(cpus-allocCPUs, 10),
		"alloc_idle_cpus":    strconv.FormatInt(cpus-allocCPUs, 10),
		"cpu_load":           strconv.Itoa(rng.IntN(int(max(cpus, 1)) * 100)),
		"tres_used":          strconv.Quote(fmt.Sprintf("cpu=%d,mem=%dM", allocCPUs, allocMem)),
		"reservation":        `""`,
		"reason":             strconv.Quote(reason),
		"reason_set_by_user": strconv.Quote(map[bool]string{true: "root", false: ""}[reason != ""]),
	}
	if st.stateList {
		o["state"] = `["` + strings.Join(state, `","`) + `"]`
	} else {
		// v0.0.38/39: a lower-case base state and the flags beside it.
		o["state"] = strconv.Quote(strings.ToLower(state[0]))
		o["state_flags"] = `[` + quotedList(state[1:]) + `]`
	}
	out.WriteByte('{')
	for k, key := range t.keys {
		if k > 0 {
			out.WriteByte(',')
		}
		writeKey(out, key)
		if v, ok := o[key]; ok {
			out.WriteString(v)
			continue
		}
		_ = compactInto(out, t.values[key])
	}
	out.WriteByte('}')
}

func quotedList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ",")
}

// GeneratePartitions writes a /partitions answer naming the partitions of the
// synthetic cluster (the ones the generated jobs and nodes use), replicated
// from a recorded answer.
func GeneratePartitions(w io.Writer, recorded []byte, version string, opt Options) error {
	st, err := styleOf(version)
	if err != nil {
		return err
	}
	if opt.Nodes <= 0 {
		opt.Nodes = 10000
	}
	top, order, err := objectInOrder(recorded)
	if err != nil {
		return err
	}
	var list []json.RawMessage
	if err := json.Unmarshal(top["partitions"], &list); err != nil || len(list) == 0 {
		return fmt.Errorf("jobsgen: recorded answer has no partitions array")
	}
	spans := layout(opt.Nodes)
	aw := newAnswerWriter(w, opt.Pretty)
	var werr error
	err = aw.object(order, top, "partitions", len(spans), func(i int, out *bytes.Buffer) {
		t := list[0]
		if spans[i].gpu && len(list) > 1 {
			t = list[1]
		}
		if err := writePartition(out, st, t, spans[i], i == 0); err != nil && werr == nil {
			werr = err
		}
	})
	if werr != nil {
		return werr
	}
	return err
}

// Per node of the synthetic cluster (the recorded nodes have 8 CPUs, 15.8 GB).
const (
	cpusPerNode = 8
	memPerNode  = 15800
)

func writePartition(out *bytes.Buffer, st style, raw json.RawMessage, s span, isDefault bool) error {
	nodes := int64(s.last - s.first + 1)
	tres := fmt.Sprintf("cpu=%d,mem=%dM,node=%d,billing=%d", nodes*cpusPerNode, nodes*memPerNode, nodes, nodes*cpusPerNode)
	o := map[string]string{"name": strconv.Quote(s.name)}
	if st.wrapped && st.stateList {
		// v0.0.40+: nodes, cpus and tres are objects.
		o["nodes"] = `{"allowed_allocation":"","configured":` + strconv.Quote(s.hostlist()) + `,"total":` + strconv.FormatInt(nodes, 10) + `}`
		o["cpus"] = `{"task_binding":0,"total":` + strconv.FormatInt(nodes*cpusPerNode, 10) + `}`
		o["tres"] = `{"billing_weights":"","configured":` + strconv.Quote(tres) + `}`
	} else {
		o["nodes"] = strconv.Quote(s.hostlist())
		o["total_nodes"] = strconv.FormatInt(nodes, 10)
		o["total_cpus"] = strconv.FormatInt(nodes*cpusPerNode, 10)
		o["tres"] = strconv.Quote(tres)
		if isDefault {
			o["flags"] = `["default"]`
		} else {
			o["flags"] = `[]`
		}
	}
	vals, keys, err := objectInOrder(raw)
	if err != nil {
		return err
	}
	out.WriteByte('{')
	for k, key := range keys {
		if k > 0 {
			out.WriteByte(',')
		}
		writeKey(out, key)
		if v, ok := o[key]; ok {
			out.WriteString(v)
			continue
		}
		_ = compactInto(out, vals[key])
	}
	out.WriteByte('}')
	return nil
}
