package plugin

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// defaultSlurmUser is the SlurmUser of a stock slurm.conf; slurmrestd's
// v0.0.38 answers do not tell us the configured one.
const defaultSlurmUser = "slurm"

// tokenClaims are the claims of a Slurm JWT (`scontrol token`): exp and the
// Slurm user name ("sun").
type tokenClaims struct {
	Exp *float64 `json:"exp"`
	Sun string   `json:"sun"`
}

// readTokenClaims decodes a JWT's payload without verifying it: the token
// is our own configuration, and we only read when it runs out and whose it
// is. ok is false when the token is not a JWT.
func readTokenClaims(token string) (tokenClaims, bool) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return tokenClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return tokenClaims{}, false
	}
	var c tokenClaims
	if json.Unmarshal(raw, &c) != nil {
		return tokenClaims{}, false
	}
	return c, true
}

// tokenWarnings are what a passing health check should still say: a static
// token about to expire (within two refresh intervals, so the next refreshes
// will fail), and a data source acting as root or the SlurmUser, which can
// see and do everything (a dedicated unprivileged user is recommended).
// The warnings name users and times, never the token.
func tokenWarnings(s Settings, now time.Time) []string {
	var warnings []string
	users := []string{s.SlurmUser}
	if s.AuthMode == AuthModeToken {
		if c, ok := readTokenClaims(s.Token); ok {
			if c.Exp != nil {
				exp := time.Unix(int64(*c.Exp), 0)
				left := exp.Sub(now)
				switch {
				case left <= 0:
					warnings = append(warnings, fmt.Sprintf("the token expired at %s", exp.UTC().Format(time.RFC3339)))
				case left <= 2*s.RefreshInterval:
					warnings = append(warnings, fmt.Sprintf("the token expires at %s (in %s, within two refresh intervals): renew it (scontrol token lifespan=…) or use the JWT key mode",
						exp.UTC().Format(time.RFC3339), left.Round(time.Second)))
				}
			}
			if c.Sun != "" && c.Sun != s.SlurmUser {
				users = append(users, c.Sun)
			}
		}
	}
	for _, u := range users {
		if u == "root" || u == defaultSlurmUser {
			warnings = append(warnings, fmt.Sprintf("the data source acts as Slurm user %q, who may see and change every job and node: use a dedicated unprivileged user", u))
			break
		}
	}
	return warnings
}
