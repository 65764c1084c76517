package query

import (
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestSharesFilterAccountsAndTheirUsers(t *testing.T) {
	shares := []slurm.Share{
		{Name: "physics", Parent: "root"},
		{Name: "alice", Parent: "physics", User: true, FairshareFactor: slurm.Float{Value: 0.5, Set: true}},
		{Name: "carol", Parent: "chemistry", User: true},
	}
	q, _ := ParseShares([]byte(`{"accounts":"physics"}`), testRequest)
	f := q.Frame(shares)
	if f.Rows() != 2 || f.Fields[0].At(1) != "alice" {
		t.Fatalf("physics rows %d", f.Rows())
	}
	fs, _ := f.FieldByName("fairshare")
	if v, ok := fs.ConcreteAt(1); !ok || v != 0.5 {
		t.Errorf("alice fairshare %v", v)
	}
	if _, ok := fs.ConcreteAt(0); ok {
		t.Errorf("an unset fairshare must be null")
	}
}

// Shares are not in the snapshot: they are read on demand, and only API
// versions with the fair-share tree can answer.
func TestSharesNeedTheFairShareTree(t *testing.T) {
	frames := answer(t, TypeShares, `{"accounts":"physics"}`, testRequest, Needs{Shares: true},
		Data{Shares: []slurm.Share{{Name: "physics", Parent: "root"}, {Name: "chemistry", Parent: "root"}}})
	if frames[0].Rows() != 1 {
		t.Errorf("physics: %d rows", frames[0].Rows())
	}
	if typ, _ := Lookup(TypeShares); typ.Feature != slurm.FeatureShares {
		t.Errorf("feature %q", typ.Feature)
	}
}
