package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestNodeCountsKeepOperatorFlagsInTheStateLabel(t *testing.T) {
	q, err := ParseNodeCounts(json.RawMessage(`{"groupBy":["state"]}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	if got := longRows(t, q.Frame(testNodes, testParts)); got != "ALLOCATED+DRAIN 1; DOWN+NOT_RESPONDING 1; IDLE 1; MIXED 1" {
		t.Errorf("got %q", got)
	}
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":"partition","states":["DOWN","DRAIN"]}`), testRequest)
	if got := longRows(t, q.Frame(testNodes, testParts)); got != "cpu 1; debug 0; gpu 1" {
		t.Errorf("got %q", got)
	}
}

func TestNodeCountsPerNodeWithReason(t *testing.T) {
	nodes := append([]slurm.Node(nil), testNodes...)
	nodes[1].Reason = "Kill task failed"
	nodes[3].Reason = "Not responding"
	q, err := ParseNodeCounts(json.RawMessage(`{"states":["DOWN","DRAIN","NOT_RESPONDING"],"groupBy":["node","state","reason"]}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	if got := longRows(t, q.Frame(nodes, testParts)); got != "node02 ALLOCATED+DRAIN Kill task failed 1; node06 DOWN+NOT_RESPONDING Not responding 1" {
		t.Errorf("got %q", got)
	}
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":"reason"}`), testRequest)
	if got := longRows(t, q.Frame(nodes, testParts)); got != "(none) 2; Kill task failed 1; Not responding 1" {
		t.Errorf("by reason: got %q", got)
	}
	// A node in two partitions is one instance per partition.
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":["node","partition"],"nameRegex":"node05"}`), testRequest)
	if got := longRows(t, q.Frame(nodes, testParts)); got != "node05 debug 1; node05 gpu 1" {
		t.Errorf("node and partition: got %q", got)
	}
	if _, err := ParseNodeCounts(json.RawMessage(`{"groupBy":["node","user"]}`), testRequest); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "state, partition, node, reason") {
		t.Errorf("groupBy user: %v", err)
	}
}
