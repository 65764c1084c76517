package actions

import (
	"strings"
	"testing"
)

func TestCheckJobID(t *testing.T) {
	for _, ok := range []string{"1", "123", "123_4", "4294967295_4294967295"} {
		if err := CheckJobID("id", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "0", "012", "12a", "_1", "1_", "1__2", "1_2_3", "123_[4-6]", "../1", "1/2", "1%2F2", "1 2", "1\n", "-1", "１２", strings.Repeat("9", 30)} {
		err := CheckJobID("jobs[2]", bad)
		if err == nil || err.Field != "jobs[2]" {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestCheckJobIDs(t *testing.T) {
	if err := CheckJobIDs("jobs", []string{"1", "2_3"}, 2); err != nil {
		t.Fatal(err)
	}
	for name, ids := range map[string][]string{"none": nil, "too many": {"1", "2", "3"}, "twice": {"1", "1"}, "bad": {"1", "x"}} {
		if err := CheckJobIDs("jobs", ids, 2); err == nil || !strings.HasPrefix(err.Field, "jobs") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestExpandNodes(t *testing.T) {
	got, err := ExpandNodes("nodes", "node[01-03],gpu1,node02", 8)
	if err != nil || strings.Join(got, " ") != "node01 node02 node03 gpu1" {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"", "node 1", "node/../x", "n?x", "n;rm", "node[01-", "node[03-01]", "n[0-99999999]", "node[01-09]", "-node", "a,,", "x\x00", strings.Repeat("n", 5000)} {
		if names, err := ExpandNodes("nodes", bad, 8); err == nil || err.Field != "nodes" {
			t.Errorf("%q: %v %v", bad, names, err)
		}
	}
	_, err = ExpandNodes("nodes", "n[1-100000000]", 8)
	if err == nil || !strings.Contains(err.Message, "more than 8 nodes") {
		t.Errorf("a huge hostlist: %v", err)
	}
}

func TestCheckReason(t *testing.T) {
	if err := CheckReason("reason", "fan failure on rack 4 — replace PSU", true); err != nil {
		t.Fatal(err)
	}
	if err := CheckReason("reason", "", false); err != nil {
		t.Fatal("a resume needs no reason")
	}
	for name, bad := range map[string]string{
		"empty": "", "blank": "   ", "too long": strings.Repeat("é", 257), "newline": "a\nb", "tab": "a\tb",
		"escape": "a\x1b[31m", "bidi override": "a\u202eb", "not UTF-8": "a\xffb", "NUL": "a\x00",
	} {
		if err := CheckReason("reason", bad, true); err == nil || err.Field != "reason" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := CheckReason("reason", strings.Repeat("é", 256), true); err != nil {
		t.Errorf("256 characters are allowed: %v", err)
	}
}
