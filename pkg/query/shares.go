package query

import (
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeShares shows the fair-share tree.
const TypeShares = "shares"

func init() {
	register(Type{Name: TypeShares,
		Feature:  slurm.FeatureShares,
		Frame:    "table: name, type (account/user), parent, raw/normalised shares and usage, fairshare, level",
		Examples: []string{`{"accounts":["physics"],"users":["alice"]}`},
	}, ParseShares)
}

// Shares is the "shares" query: the fairshare tree like `sshare`, one row
// per account or user association.
type Shares struct {
	Users    StringList `json:"users"`
	Accounts StringList `json:"accounts"`
}

// ParseShares reads and validates a shares query.
func ParseShares(raw json.RawMessage, _ Request) (Shares, error) {
	var q Shares
	if err := decode(raw, &q); err != nil {
		return Shares{}, err
	}
	return q, nil
}

// Needs reads the fair-share tree (on demand, cached; not in the snapshot).
func (q Shares) Needs() Needs { return Needs{Shares: true} }

// Frames answers with the fair-share table.
func (q Shares) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Shares)) }

// match: a user row belongs to its parent account; an account row is
// selected by its own name. With only a users filter, account rows go.
func (q Shares) match(s *slurm.Share) bool {
	if s.User {
		return matchAny(q.Users, s.Name) && matchAny(q.Accounts, s.Parent)
	}
	return len(q.Users) == 0 && matchAny(q.Accounts, s.Name)
}

// Frame builds the fairshare table; unset figures are null.
func (q Shares) Frame(shares []slurm.Share) *data.Frame {
	var sel []*slurm.Share
	for i := range shares {
		if q.match(&shares[i]) {
			sel = append(sel, &shares[i])
		}
	}
	n := len(sel)
	name, kind, parent, account, user, partition := col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
	raw, usage := col[*int64](n), col[int64](n)
	norm, usageNorm, effUsage, factor, level := col[*float64](n), col[*float64](n), col[*float64](n), col[*float64](n), col[*float64](n)
	for i, s := range sel {
		name[i], parent[i], partition[i] = s.Name, s.Parent, s.Partition
		if s.User {
			kind[i], account[i], user[i] = "user", s.Parent, s.Name
		} else {
			kind[i], account[i] = "account", s.Name
		}
		raw[i], usage[i] = numberOrNil(s.SharesRaw), s.Usage
		norm[i], usageNorm[i], effUsage[i] = floatOrNil(s.SharesNorm), floatOrNil(s.UsageNorm), floatOrNil(s.EffectiveUsage)
		factor[i], level[i] = floatOrNil(s.FairshareFactor), floatOrNil(s.FairshareLevel)
	}
	return data.NewFrame("shares",
		withConfig(data.NewField("name", nil, name), "Name", ""),
		withConfig(data.NewField("type", nil, kind), "Type", ""),
		withConfig(data.NewField("account", nil, account), "Account", ""),
		withConfig(data.NewField("user", nil, user), "User", ""),
		withConfig(data.NewField("parent", nil, parent), "Parent", ""),
		withConfig(data.NewField("partition", nil, partition), "Partition", ""),
		withConfig(data.NewField("shares_raw", nil, raw), "Raw shares", "none"),
		withConfig(data.NewField("shares_norm", nil, norm), "Norm shares", "percentunit"),
		withConfig(data.NewField("usage_raw", nil, usage), "Raw usage", "none"),
		withConfig(data.NewField("usage_norm", nil, usageNorm), "Norm usage", "percentunit"),
		withConfig(data.NewField("effective_usage", nil, effUsage), "Effective usage", "percentunit"),
		withConfig(data.NewField("fairshare", nil, factor), "Fairshare", "none"),
		withConfig(data.NewField("level_fs", nil, level), "Level FS", "none"),
	)
}

func floatOrNil(f slurm.Float) *float64 {
	if v, ok := f.Get(); ok {
		return &v
	}
	return nil
}
