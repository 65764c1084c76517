package pending

import (
	"fmt"
	"strings"
)

var dependencyWords = map[string]string{
	"after":            "to start",
	"afterany":         "to end",
	"afterok":          "to end successfully",
	"afternotok":       "to fail",
	"aftercorr":        "(the matching array task) to end successfully",
	"afterburstbuffer": "to end and its burst buffer to be torn down",
}

// dependencies parses slurmctld's dependency text ("afterok:1005(unfulfilled)",
// "afterany:1005_*(unfulfilled),singleton(unfulfilled)"; "?" separates
// alternatives) and looks each job up in the snapshot.
func (ix *Index) dependencies(text string) []DependencyFact {
	var out []DependencyFact
	for _, item := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == '?' }) {
		item = strings.TrimSpace(item)
		status := ""
		if i := strings.LastIndexByte(item, '('); i >= 0 && strings.HasSuffix(item, ")") {
			status, item = item[i+1:len(item)-1], item[:i]
		}
		typ, ids, _ := strings.Cut(item, ":")
		if typ == "singleton" {
			out = append(out, DependencyFact{Type: typ, Status: status,
				Text: "It waits until no other job of the same name and user runs (singleton)."})
			continue
		}
		for _, id := range strings.Split(ids, ":") {
			id, _, _ = strings.Cut(id, "+") // after:<id>+<minutes>
			if id == "" {
				continue
			}
			d := DependencyFact{Type: typ, JobID: id, Status: status}
			words := dependencyWords[typ]
			if words == "" {
				words = "(" + typ + ")"
			}
			lookup := strings.TrimSuffix(id, "_*")
			if i, ok := ix.lookup(lookup); ok {
				dj := &ix.c.Jobs[i]
				d.Name, d.State = dj.Name, dj.State.Base
				d.Text = fmt.Sprintf("It waits for job %s (%s, %s now) %s.", id, dj.Name, dj.State.Base, words)
			} else {
				d.Text = fmt.Sprintf("It waits for job %s %s; slurmctld no longer lists that job.", id, words)
			}
			if status != "" && status != "unfulfilled" {
				d.Text += " Slurm marks this dependency " + status + "."
			}
			out = append(out, d)
		}
	}
	return out
}
