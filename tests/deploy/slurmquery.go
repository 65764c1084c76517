package deploy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// SlurmDatasourceType is the plugin id of the nested data source.
const SlurmDatasourceType = "hpc-slurm-datasource"

// The Slurm query model shared with the data source (see the shared contract in the project notes):
// {refId, datasource, queryType, groupBy?, states?, partitions?}.
var (
	slurmQueryTypes = map[string]bool{
		"jobs": true, "job_counts": true, "nodes": true, "node_counts": true, "partitions": true, "scheduler": true,
	}
	// Dimensions a count can be split by: the label names of the data source's long frames.
	slurmGroupBy = map[string]bool{
		"partition": true, "state": true, "user": true, "account": true, "node": true, "reason": true,
	}
	slurmQueryKeys = map[string]bool{
		"refId": true, "datasource": true, "queryType": true, "groupBy": true, "states": true, "partitions": true,
		"hide": true, "key": true,
	}
	slurmStateWord = regexp.MustCompile(`^[A-Z][A-Z_]*$`)
)

// ValidateSlurmQuery checks one query object against the Slurm query model and returns every problem
// found (nil when it is well formed). Template variables ($partition) are accepted in partitions.
func ValidateSlurmQuery(q map[string]any) []string {
	var errs []string
	var unknown []string
	for k := range q {
		if !slurmQueryKeys[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	if len(unknown) > 0 {
		errs = append(errs, fmt.Sprintf("unknown field(s) %s (the model has queryType, groupBy, states, partitions)",
			strings.Join(unknown, ", ")))
	}
	qt, _ := q["queryType"].(string)
	if !slurmQueryTypes[qt] {
		errs = append(errs, fmt.Sprintf("queryType %q is not one of jobs, job_counts, nodes, node_counts, partitions, scheduler", qt))
	}
	groupBy, err := stringList(q, "groupBy")
	if err != "" {
		errs = append(errs, err)
	}
	if len(groupBy) > 0 && qt != "job_counts" && qt != "node_counts" {
		errs = append(errs, fmt.Sprintf("groupBy only applies to job_counts and node_counts, not %q", qt))
	}
	for _, g := range groupBy {
		if !slurmGroupBy[g] {
			errs = append(errs, fmt.Sprintf("groupBy %q is not a known dimension (partition, state, user, account, node, reason)", g))
		}
	}
	states, err := stringList(q, "states")
	if err != "" {
		errs = append(errs, err)
	}
	for _, s := range states {
		if !slurmStateWord.MatchString(s) {
			errs = append(errs, fmt.Sprintf("state %q is not a Slurm state word (upper case, e.g. RUNNING, DRAIN)", s))
		}
	}
	if len(states) > 0 && (qt == "partitions" || qt == "scheduler") {
		errs = append(errs, fmt.Sprintf("states do not apply to %q", qt))
	}
	if _, err := stringList(q, "partitions"); err != "" {
		errs = append(errs, err)
	}
	if qt == "scheduler" && q["partitions"] != nil {
		errs = append(errs, `partitions do not apply to "scheduler"`)
	}
	return errs
}

func stringList(q map[string]any, key string) ([]string, string) {
	v, present := q[key]
	if !present {
		return nil, ""
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Sprintf("%s must be a list of strings, got %T", key, v)
	}
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok || s == "" {
			return nil, fmt.Sprintf("%s must hold non-empty strings, got %v", key, e)
		}
		out = append(out, s)
	}
	return out, ""
}
