package slurm

import (
	"errors"
	"strings"
	"testing"
)

func TestExpandHostlist(t *testing.T) {
	cases := []struct {
		in   string
		want string // space-separated; "ERR" for an error
	}{
		{"node01", "node01"},
		{"node[01-04]", "node01 node02 node03 node04"},
		{"node[03-04]", "node03 node04"},
		{"node[1-3,7]", "node1 node2 node3 node7"},
		{"node[08-11]", "node08 node09 node10 node11"},
		{"node[05-06],login1", "node05 node06 login1"},
		{"r[1-2]n[1-2]", "r1n1 r1n2 r2n1 r2n2"},
		{"gpu[1-2]-ib", "gpu1-ib gpu2-ib"},
		{"", ""},
		{"a,,b", "a b"},
		{"node[4-1]", "ERR"},
		{"node[01-", "ERR"},
		{"node]", "ERR"},
		{"node[]", "ERR"},
		{"node[a-b]", "ERR"},
		{"node[1-2[3]]", "ERR"},
		{"n[0-99999999]", "ERR"},
		{"n[0-1023]m[0-1023]x[0-1]", "ERR"},
	}
	for _, c := range cases {
		got, err := ExpandHostlist(c.in)
		if c.want == "ERR" {
			if err == nil {
				t.Errorf("%q: no error, got %d names", c.in, len(got))
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("%q = %q, want %q", c.in, s, c.want)
		}
	}
}

func FuzzExpandHostlist(f *testing.F) {
	for _, s := range []string{"node[01-04]", "node[1-3,7],gpu[05-06]", "r[1-2]n[1-2]", "a,b", "x[9-10]y", "[", "]", "n[-]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		names, err := ExpandHostlist(s)
		if err != nil {
			return
		}
		if len(names) > MaxHostlistExpansion {
			t.Fatalf("%q expanded to %d names", s, len(names))
		}
		for _, n := range names {
			if strings.ContainsAny(n, "[],") {
				t.Fatalf("%q produced %q", s, n)
			}
		}
	})
}

func TestExpandHostlistMax(t *testing.T) {
	names, err := ExpandHostlistMax("node[01-04],gpu1", 5)
	if err != nil || len(names) != 5 {
		t.Fatalf("%v %v", names, err)
	}
	for _, list := range []string{"node[01-04],gpu[1-2]", "n[0-99999999999]", "r[1-3]n[1-2]"} {
		if _, err := ExpandHostlistMax(list, 5); !errors.Is(err, ErrHostlistTooLong) {
			t.Errorf("%s: %v, want ErrHostlistTooLong", list, err)
		}
	}
	if _, err := ExpandHostlistMax("node[02-01]", 5); err == nil || errors.Is(err, ErrHostlistTooLong) {
		t.Errorf("a backwards range is a syntax error, got %v", err)
	}
}
