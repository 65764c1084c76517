package slurm

import (
	"os"
	"path/filepath"
	"testing"
)

// The plain-Go skipper (other platforms) agrees with the one in use here on
// every recorded answer and on values cut at every length.
func TestSkipValueGoAgrees(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(recordedFixtures, "*", "v0.0.4*", "job*.json"))
	if len(files) == 0 {
		t.Fatalf("no fixtures under %s", recordedFixtures)
	}
	inputs := [][]byte{[]byte(`"a\"b" ,`), []byte(`123 ]`), []byte(`[1,{"a":"}"}] x`), []byte(`  true}`), []byte(`{"a":[`)}
	for _, f := range files[:8] {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	for _, in := range inputs {
		for cut := 1; cut <= len(in); cut += 1 + len(in)/97 {
			part := in[:cut]
			s1, e1 := skipValue(part)
			s2, e2 := skipValueGo(part)
			// Complete containers and strings must agree exactly; both must
			// call an incomplete container incomplete.
			if s1 >= 0 && isClosed(part[s1]) && (s2 != s1 || e2 != e1) {
				t.Fatalf("cut %d of %q…: native (%d,%d) go (%d,%d)", cut, part[:min(len(part), 40)], s1, e1, s2, e2)
			}
			if s1 < 0 && s2 >= 0 && isClosed(part[s2]) {
				t.Fatalf("cut %d: go skipper accepted an incomplete value", cut)
			}
		}
	}
}

// The fast, non-validating delimiter the parallel decode reads elements
// with ends a complete container where the validating skipper does and
// never calls a cut one complete.
func TestDelimitContainerAgrees(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(recordedFixtures, "*", "v0.0.*", "job*.json"))
	if len(files) < 8 {
		t.Fatalf("too few fixtures under %s", recordedFixtures)
	}
	inputs := [][]byte{[]byte(`{"a":"}\"{"}, {`), []byte(`[1,{"a":"]"}] x`), []byte(`{"a":[{}],"b":"\\"} ]`)}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, data)
	}
	complete := 0
	for _, in := range inputs {
		_, want := skipValue(in)
		for cut := 1; cut <= len(in); cut = nextCut(cut, len(in)) {
			end, ok := delimitContainer(in[:cut])
			switch {
			case cut < want && ok:
				t.Fatalf("%q… cut at %d of %d called complete (end %d)", in[:min(cut, 40)], cut, want, end)
			case cut >= want && (!ok || end != want):
				t.Fatalf("%q… cut at %d: end %d, %v; want %d", in[:min(cut, 40)], cut, end, ok, want)
			case ok:
				complete++
			}
		}
	}
	if complete < len(inputs) {
		t.Errorf("only %d complete cuts checked", complete)
	}
}

// nextCut steps through about 200 cuts of n bytes, ending with n itself.
func nextCut(cut, n int) int {
	if cut == n {
		return n + 1
	}
	return min(cut+1+n/211, n)
}
