package plugin

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// unsignedJWT builds a token shaped like `scontrol token` output.
func unsignedJWT(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc(payload) + ".c2lnbmF0dXJl"
}

func TestTokenWarnings(t *testing.T) {
	now := time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC)
	base := Settings{AuthMode: AuthModeToken, SlurmUser: "grafana", RefreshInterval: 30 * time.Second}
	cases := []struct {
		name   string
		claims map[string]any
		user   string
		want   string // "" means no warning
	}{
		{"far expiry", map[string]any{"exp": now.Add(24 * time.Hour).Unix(), "sun": "grafana"}, "grafana", ""},
		{"expires within two intervals", map[string]any{"exp": now.Add(50 * time.Second).Unix(), "sun": "grafana"}, "grafana", "expires at 2026-11-29T03:00:50Z (in 50s"},
		{"expired", map[string]any{"exp": now.Add(-time.Minute).Unix()}, "grafana", "expired at"},
		{"root token", map[string]any{"exp": now.Add(24 * time.Hour).Unix(), "sun": "root"}, "grafana", `Slurm user "root"`},
		{"slurm user", nil, "slurm", `Slurm user "slurm"`},
	}
	for _, c := range cases {
		s := base
		s.SlurmUser = c.user
		s.Token = "not-a-jwt"
		if c.claims != nil {
			s.Token = unsignedJWT(t, c.claims)
		}
		got := strings.Join(tokenWarnings(s, now), "; ")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: warnings %q, want %q", c.name, got, c.want)
		}
		if strings.Contains(got, s.Token) {
			t.Errorf("%s: the token is in the warning", c.name)
		}
	}
}

func TestHealthWarnsWhenActingAsRoot(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", map[string]any{"slurmUser": "root"}, nil)
	res, details, _ := f.health(t)
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, `Warning: the data source acts as Slurm user "root"`) {
		t.Errorf("%s %q", res.Status, res.Message)
	}
	if len(details.Warnings) != 1 {
		t.Errorf("details %s", res.JSONDetails)
	}
}
