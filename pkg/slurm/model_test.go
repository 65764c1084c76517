package slurm

import (
	"testing"
)

func TestNumber(t *testing.T) {
	eq(t, "zero value", Number{}.String(), "unset")
	eq(t, "unlimited", Unlimited().String(), "unlimited")
	eq(t, "value", Val(0).String(), "0")
	if _, ok := (Number{}).Get(); ok {
		t.Error("unset Number reports a value")
	}
	if _, ok := Unlimited().Get(); ok {
		t.Error("unlimited Number reports a value")
	}
	for raw, want := range map[string]Number{
		`{"set":true,"infinite":false,"number":60}`: Val(60),
		`{"set":false,"infinite":true,"number":0}`:  Unlimited(),
		`{"set":false,"infinite":false,"number":0}`: {},
		`{"set":true,"infinite":false,"number":0}`:  Val(0),
	} {
		var n num
		if err := decodeJSON([]byte(raw), &n); err != nil {
			t.Fatal(err)
		}
		eq(t, raw, n.model(), want)
	}
	neg, nv, inf, v := int64(-1), int64(noVal), int64(infinite), int64(7)
	eq(t, "null", plainNumber(nil), Number{})
	eq(t, "-1", plainNumber(&neg), Unlimited())
	eq(t, "NO_VAL", plainNumber(&nv), Number{})
	eq(t, "INFINITE", plainNumber(&inf), Unlimited())
	eq(t, "7", plainNumber(&v), Val(7))
}

func TestParseTRES(t *testing.T) {
	tr := ParseTRES("cpu=4,mem=4000M,node=1,billing=4,gres/gpu=2,gres/gpu:a100=2,fs/disk=1G,vmem=2048K,bad,=3,x=y")
	want := map[string]int64{"cpu": 4, "mem": 4000, "node": 1, "billing": 4, "gres/gpu": 2, "gres/gpu:a100": 2, "fs/disk": 1024, "vmem": 2}
	eq(t, "len", len(tr), len(want))
	for k, v := range want {
		eq(t, k, tr[k], v)
	}
	eq(t, "GPUs", tr.GPUs(), int64(2))
	eq(t, "mem 2G", ParseTRES("mem=2G")["mem"], int64(2048))
	eq(t, "mem 1.5T", ParseTRES("mem=1.5T")["mem"], int64(1572864))
	if ParseTRES("") != nil {
		t.Error("empty TRES is not nil")
	}
}

func TestGresCount(t *testing.T) {
	for s, want := range map[string]int64{
		"gpu:a100:2":               2,
		"gpu:a100:2(S:0-1)":        2,
		"gpu:a100:1(IDX:0)":        1,
		"gpu:a100:2(IDX:0-1)":      2,
		"gpu:a100:2(IDX:0,1)":      2,
		"gpu:0":                    0,
		"gpu:2,mps:100":            2,
		"gpu:a100:1,gpu:v100:3":    4,
		"gres/gpu:a100:2":          2,
		"gres:gpu:1":               1,
		"gpu":                      1,
		"gpu:a100":                 1,
		"mps:100":                  0,
		"":                         0,
		"gpu:tesla:4(IDX:0-3),nic": 4,
	} {
		eq(t, s, gresCount(s, "gpu"), want)
	}
}

func TestStates(t *testing.T) {
	eq(t, "list", stateFromList([]string{"MIXED", "PLANNED"}, nodeBaseStates).String(), "MIXED+PLANNED")
	eq(t, "flag first", stateFromList([]string{"DRAIN", "IDLE"}, nodeBaseStates).String(), "IDLE+DRAIN")
	eq(t, "v38 node", nodeStateV38("mixed", []string{"RESERVED"}).String(), "MIXED+RESERVED")
	eq(t, "v38 node plus", nodeStateV38("idle+drain", nil).String(), "IDLE+DRAIN")
	st := stateFromString("COMPLETING", jobBaseStates)
	eq(t, "flag-only base", st.Base, "")
	eq(t, "flag-only flag", st.Has("COMPLETING"), true)
	eq(t, "plain", stateFromString("RUNNING", jobBaseStates).String(), "RUNNING")
}

func TestExitFromWaitStatus(t *testing.T) {
	ok := exitFromWaitStatus(Val(0))
	eq(t, "0", ok.Status, "SUCCESS")
	fail := exitFromWaitStatus(Val(256))
	eq(t, "256 status", fail.Status, "ERROR")
	eq(t, "256 rc", fail.ReturnCode, Val(1))
	sig := exitFromWaitStatus(Val(15))
	eq(t, "15 status", sig.Status, "SIGNALED")
	eq(t, "15 signal", sig.SignalName, "TERM")
	eq(t, "15 rc", sig.ReturnCode, Number{})
	core := exitFromWaitStatus(Val(0x80 | 11))
	eq(t, "core", core.Status, "CORE_DUMPED")
	eq(t, "unset", exitFromWaitStatus(Number{}).Status, "")
}

func TestSanitizeNonFinite(t *testing.T) {
	in := `{"a":Infinity,"b":-Infinity,"c":NaN,"d":"Infinity NaN \"x\""}`
	want := `{"a":1.7976931348623157e308,"b":-1.7976931348623157e308,"c":null,"d":"Infinity NaN \"x\""}`
	eq(t, "sanitized", string(sanitizeNonFinite([]byte(in))), want)
	if err := decodeJSON([]byte(`{"a":Infinity}`), &struct{ A float64 }{}); err != nil {
		t.Errorf("Infinity not accepted: %v", err)
	}
	eq(t, "infinite float", toFloat(1.7976931348623157e308).Infinite, true)
}
