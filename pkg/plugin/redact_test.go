package plugin

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/prometheus/common/expfmt"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// leaks names every secret found in out: the given values, their base64
// forms, and any JWT.
func leaks(out string, secrets ...string) []string {
	var found []string
	for _, s := range secrets {
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))} {
			if len(s) >= 4 && strings.Contains(out, form) {
				found = append(found, form[:6]+"…")
			}
		}
	}
	if m := jwtPattern.FindString(out); m != "" {
		found = append(found, "a JWT "+m[:12]+"…")
	}
	return found
}

// everything the data source sends out while the upstream echoes every
// request header (the token included) in its error text: a health result,
// a query answer, the resource answers, the metrics and the log.
func (f *fixture) everythingSentOut(t *testing.T) string {
	t.Helper()
	var out strings.Builder
	res, _, _ := f.health(t)
	out.WriteString(res.Message + string(res.JSONDetails))
	for _, q := range []string{"jobs", "nodes", "shares"} {
		r := f.query(t, q, nil)
		if r.Error != nil {
			out.WriteString(r.Error.Error())
		}
		for _, fr := range r.Frames {
			if fr.Meta != nil {
				for _, n := range fr.Meta.Notices {
					out.WriteString(n.Text)
				}
			}
		}
	}
	for _, p := range []string{"snapshot/status", "variables/partitions"} {
		out.Write(f.resource(t, http.MethodGet, p).Body)
	}
	mfs, err := f.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var metrics bytes.Buffer
	for _, mf := range mfs {
		_, _ = expfmt.MetricFamilyToText(&metrics, mf)
	}
	out.WriteString(metrics.String())
	out.WriteString(f.logs.text())
	return out.String()
}

func TestNoSecretLeavesTheBackendWhenTheUpstreamEchoesHeaders(t *testing.T) {
	const textKey = "echoed-jwt-key-text-0123456789abcdef"
	binaryKey := []byte{0x9f, 0x00, 0x13, 0xfe, 0x42, 0x77, 0x01, 0x80, 0x33, 0xc1, 0x5a, 0x0b, 0xee, 0x10, 0x29, 0x64}
	cases := []struct {
		name    string
		json    map[string]any
		secure  map[string]string
		secrets []string
	}{
		{"static token", nil, map[string]string{"token": clustertest.Token}, []string{clustertest.Token}},
		{"text JWT key", map[string]any{"authMode": "jwtKey"}, map[string]string{"jwtKey": textKey}, []string{textKey}},
		{"binary JWT key entered as base64", map[string]any{"authMode": "jwtKey"},
			map[string]string{"jwtKey": "base64:" + base64.StdEncoding.EncodeToString(binaryKey)}, []string{string(binaryKey)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, "25.05.8", "v0.0.41", c.json, c.secure)
			f.srv.SetFault(clustertest.EchoHeaders)
			out := f.everythingSentOut(t)
			// The echo reached the answers (so the test can fail) and was cut.
			if !strings.Contains(out, "X-SLURM-USER-TOKEN: "+redacted) {
				t.Fatalf("the echoed token header is not in what was sent out (redacted): %.600s", out)
			}
			secrets := append(append([]string{}, c.secrets...), f.srv.TokensSeen()...)
			for _, v := range c.secure {
				secrets = append(secrets, v)
			}
			if found := leaks(out, secrets...); len(found) > 0 {
				t.Errorf("secrets left the backend: %v", found)
			}
		})
	}
}

// With good data first, the stale notice and the poller's log line carry the
// echo too; both are redacted.
func TestStaleNoticesAndLogsOfAnEchoingUpstreamCarryNoToken(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	singleFrame(t, f.query(t, "jobs", nil))
	f.srv.SetFault(clustertest.EchoHeaders)
	f.advance(t, 30*time.Second)
	frame := singleFrame(t, f.query(t, "jobs", nil))
	if len(frame.Meta.Notices) != 1 || !strings.Contains(frame.Meta.Notices[0].Text, "X-SLURM-USER-TOKEN: "+redacted) {
		t.Fatalf("notices %+v", frame.Meta.Notices)
	}
	if !strings.Contains(f.logs.text(), "serving the last good data as stale") {
		t.Fatalf("the poller's warning is not in the log: %s", f.logs.text())
	}
	if found := leaks(frame.Meta.Notices[0].Text+f.logs.text(), clustertest.Token); len(found) > 0 {
		t.Errorf("secrets in the notice or the log: %v", found)
	}
}

func TestRedactorCoversEncodingsAndMintedTokens(t *testing.T) {
	r := newRedactor(Settings{Token: "tok<&>en-value"}, map[string]string{"tlsClientKey": "-----PRIVATE-----"})
	minted := "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJncmFmYW5hIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"
	r.client = func() []string { return []string{minted} }
	for _, in := range []string{
		"tok<&>en-value", `tok\u003c\u0026\u003een-value`, "tok%3C%26%3Een-value",
		base64.StdEncoding.EncodeToString([]byte("tok<&>en-value")), "-----PRIVATE-----", minted,
		// A JWT nobody told the redactor about.
		"eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJyb290In0.b3RoZXItc2lnbmF0dXJl",
	} {
		if got := r.String("upstream said: " + in + "."); got != "upstream said: "+redacted+"." {
			t.Errorf("%s → %s", in, got)
		}
	}
	if got := r.String("nothing secret here"); got != "nothing secret here" {
		t.Errorf("plain text changed: %s", got)
	}
	// A health result: message and details.
	res := &backend.CheckHealthResult{Message: "x " + minted, JSONDetails: []byte(`{"warnings":["tok<&>en-value"]}`)}
	r.health(res)
	if strings.Contains(res.Message+string(res.JSONDetails), "en-value") || strings.Contains(res.Message, minted) {
		t.Errorf("health result: %q %s", res.Message, res.JSONDetails)
	}
}
