package query

import (
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// counter tallies rows by group. Each group is the tuple of its label
// values, in the order of groupBy.
type counter struct {
	groupBy []string
	counts  map[string]int64
	labels  map[string][]string
}

func newCounter(groupBy []string) *counter {
	return &counter{groupBy: groupBy, counts: map[string]int64{}, labels: map[string][]string{}}
}

// add counts one row under every combination of its label values (a job
// pending in two partitions counts once in each).
func (c *counter) add(values [][]string) { c.addN(values, 1) }

// addN counts n rows with the same label values.
func (c *counter) addN(values [][]string, n int64) {
	c.addCombos(values, 0, nil, n)
}

func (c *counter) addCombos(values [][]string, i int, acc []string, n int64) {
	if i == len(values) {
		key := strings.Join(acc, "\x00")
		if _, ok := c.labels[key]; !ok {
			c.labels[key] = slices.Clone(acc)
		}
		c.counts[key] += n
		return
	}
	for _, v := range values[i] {
		c.addCombos(values, i+1, append(acc, v), n)
	}
}

// ensure lists a group with a zero count when nothing matched it, so that an
// alert rule sees "0" for a partition or state instead of no series at all.
func (c *counter) ensure(labels []string) {
	key := strings.Join(labels, "\x00")
	if _, ok := c.labels[key]; !ok {
		c.labels[key] = slices.Clone(labels)
		c.counts[key] = 0
	}
}

// frame builds a numeric long frame: one string column per groupBy label and
// one number column, one row per group, sorted by labels. Grafana alerting
// turns each row into its own series (one alert instance per group).
func (c *counter) frame(name, valueName string) *data.Frame {
	keys := make([]string, 0, len(c.labels))
	for k := range c.labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(c.groupBy) == 0 && len(keys) == 0 {
		keys = []string{""} // no match at all: one row saying 0
		c.labels[""] = nil
	}
	fields := make([]*data.Field, 0, len(c.groupBy)+1)
	for i, g := range c.groupBy {
		col := make([]string, len(keys))
		for r, k := range keys {
			col[r] = c.labels[k][i]
		}
		fields = append(fields, data.NewField(g, nil, col))
	}
	values := make([]int64, len(keys))
	for r, k := range keys {
		values[r] = c.counts[k]
	}
	fields = append(fields, data.NewField(valueName, nil, values))
	frame := data.NewFrame(name, fields...)
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame
}

// checkGroupBy validates groupBy against the allowed labels (StringList
// already dropped duplicates).
func checkGroupBy(groupBy []string, allowed []string) error {
	for _, g := range groupBy {
		if !slices.Contains(allowed, g) {
			return invalid("groupBy", "has %q: group by any of %s", g, strings.Join(allowed, ", "))
		}
	}
	return nil
}

// orUnknown keeps empty label values visible and distinct from missing ones.
func orUnknown(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

// intersect keeps the values of have that are wanted.
func intersect(have, wanted []string) []string {
	var out []string
	for _, h := range have {
		if matchAny(wanted, h) {
			out = append(out, h)
		}
	}
	return out
}

func upper(s string) string { return strings.ToUpper(s) }
