package plugin

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

const settingsSecret = "s3cr3t-token-value-never-shown"

func instanceSettings(t *testing.T, url string, jsonData map[string]any, secure map[string]string) backend.DataSourceInstanceSettings {
	t.Helper()
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatal(err)
	}
	return backend.DataSourceInstanceSettings{UID: "ds-uid", URL: url, JSONData: raw, DecryptedSecureJSONData: secure}
}

func TestParseSettingsAppliesTheContractDefaults(t *testing.T) {
	s, err := ParseSettings(instanceSettings(t, "http://127.0.0.1:6820",
		map[string]any{"slurmUser": "grafana"}, map[string]string{"token": settingsSecret}))
	if err != nil {
		t.Fatal(err)
	}
	want := Settings{
		URL: "http://127.0.0.1:6820", APIVersion: "auto", AuthMode: "token", SlurmUser: "grafana",
		JWTLifespan: 900 * time.Second, RefreshInterval: 30 * time.Second, StaleLimit: 600 * time.Second,
		Timeout: 10 * time.Second, Token: settingsSecret,
	}
	if s.String() != want.String() || s.Token != want.Token || s.JWTLifespan != want.JWTLifespan {
		t.Errorf("got %s (lifespan %s), want %s", s, s.JWTLifespan, want)
	}
	if strings.Contains(s.String(), settingsSecret) {
		t.Error("Settings.String shows the token")
	}
}

func TestParseSettingsReadsEveryField(t *testing.T) {
	s, err := ParseSettings(instanceSettings(t, "unix:///run/slurmrestd/slurmrestd.socket", map[string]any{
		"apiVersion": "v0.0.40", "authMode": "jwtKey", "slurmUser": "svc_grafana",
		"jwtLifespanSeconds": "300", "refreshIntervalSeconds": 15, "staleLimitSeconds": 120,
		"timeoutSeconds": 5, "tlsSkipVerify": "true",
	}, map[string]string{"jwtKey": "0123456789abcdef0123456789abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	if s.APIVersion != "v0.0.40" || s.AuthMode != AuthModeJWTKey || s.SlurmUser != "svc_grafana" ||
		s.JWTLifespan != 300*time.Second || s.RefreshInterval != 15*time.Second || s.StaleLimit != 120*time.Second ||
		s.Timeout != 5*time.Second || !s.TLSSkipVerify || string(s.JWTKey) != "0123456789abcdef0123456789abcdef" {
		t.Errorf("got %+v", s)
	}
}

func TestParseSettingsNamesEveryBadField(t *testing.T) {
	cases := []struct {
		name     string
		url      string
		jsonData map[string]any
		secure   map[string]string
		want     []string
	}{
		{"no url", "", map[string]any{"slurmUser": "g"}, map[string]string{"token": settingsSecret}, []string{"url is required"}},
		{"ftp url", "ftp://host", map[string]any{"slurmUser": "g"}, map[string]string{"token": settingsSecret}, []string{"must start with http://, https:// or unix://"}},
		{"relative socket", "unix://relative.sock", map[string]any{"slurmUser": "g"}, map[string]string{"token": settingsSecret}, []string{"absolute socket path"}},
		{"relative socket with a slash", "unix://relative/sock", map[string]any{"slurmUser": "g"}, map[string]string{"token": settingsSecret}, []string{"absolute socket path", "relative path is not supported"}},
		{"opaque socket path", "unix:relative.sock", map[string]any{"slurmUser": "g"}, map[string]string{"token": settingsSecret}, []string{"absolute socket path"}},
		{"credentials in url", "http://u:" + settingsSecret + "@host:6820", map[string]any{"slurmUser": "g"}, map[string]string{"token": "t0ken"}, []string{"url must not contain credentials"}},
		{"unknown api version", "http://h:1", map[string]any{"slurmUser": "g", "apiVersion": "v0.0.36"}, map[string]string{"token": settingsSecret}, []string{`jsonData.apiVersion "v0.0.36" is not supported`, "v0.0.38"}},
		{"unknown auth mode", "http://h:1", map[string]any{"slurmUser": "g", "authMode": "basic"}, nil, []string{`jsonData.authMode "basic" is not supported`}},
		{"token missing", "http://h:1", map[string]any{"slurmUser": "g"}, nil, []string{"secureJsonData.token is required"}},
		{"key missing", "http://h:1", map[string]any{"slurmUser": "g", "authMode": "jwtKey"}, nil, []string{"secureJsonData.jwtKey is required"}},
		{"user missing", "http://h:1", map[string]any{}, map[string]string{"token": settingsSecret}, []string{"jsonData.slurmUser is required"}},
		{"lifespan too long", "http://h:1", map[string]any{"slurmUser": "g", "jwtLifespanSeconds": 3600}, map[string]string{"token": settingsSecret}, []string{"jsonData.jwtLifespanSeconds is 3600", "between 30 and 900"}},
		{"interval too short", "http://h:1", map[string]any{"slurmUser": "g", "refreshIntervalSeconds": 5}, map[string]string{"token": settingsSecret}, []string{"jsonData.refreshIntervalSeconds is 5", "between 10 and"}},
		{"stale limit below interval", "http://h:1", map[string]any{"slurmUser": "g", "refreshIntervalSeconds": 60, "staleLimitSeconds": 30}, map[string]string{"token": settingsSecret}, []string{"jsonData.staleLimitSeconds (30) must be at least jsonData.refreshIntervalSeconds (60)"}},
		{"timeout not a number", "http://h:1", map[string]any{"slurmUser": "g", "timeoutSeconds": "ten"}, map[string]string{"token": settingsSecret}, []string{"jsonData.timeoutSeconds", "not a whole number"}},
		{"bool not a bool", "http://h:1", map[string]any{"slurmUser": "g", "tlsSkipVerify": 3}, map[string]string{"token": settingsSecret}, []string{"jsonData.tlsSkipVerify", "not true or false"}},
		{"user not a string", "http://h:1", map[string]any{"slurmUser": 7}, map[string]string{"token": settingsSecret}, []string{"jsonData.slurmUser: must be a string"}},
		{"CA wanted but absent", "https://h:1", map[string]any{"slurmUser": "g", "tlsWithCACert": true}, map[string]string{"token": settingsSecret}, []string{"secureJsonData.tlsCACert is required"}},
		{"CA not PEM", "https://h:1", map[string]any{"slurmUser": "g", "tlsWithCACert": true}, map[string]string{"token": settingsSecret, "tlsCACert": "not a certificate"}, []string{"secureJsonData.tlsCACert holds no PEM certificate"}},
		{"several at once", "", map[string]any{"authMode": "token"}, nil, []string{"url is required", "secureJsonData.token is required", "jsonData.slurmUser is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseSettings(instanceSettings(t, c.url, c.jsonData, c.secure))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), settingsSecret) {
				t.Errorf("error shows a secret: %q", err)
			}
		})
	}
}

func TestParseSettingsRejectsJSONDataThatIsNotAnObject(t *testing.T) {
	_, err := ParseSettings(backend.DataSourceInstanceSettings{URL: "http://h:1", JSONData: []byte(`[1,2]`)})
	if err == nil || !strings.Contains(err.Error(), "jsonData is not a JSON object") {
		t.Errorf("got %v", err)
	}
}

func TestParseSettingsNeverEchoesAPasswordInTheURL(t *testing.T) {
	for _, raw := range []string{"http://u:" + settingsSecret + "@", "http://u:" + settingsSecret + "@host:6820", "http://u:" + settingsSecret + "@h%zz"} {
		_, err := ParseSettings(instanceSettings(t, raw, map[string]any{"slurmUser": "g"}, map[string]string{"token": "t0ken"}))
		if err == nil || strings.Contains(err.Error(), settingsSecret) {
			t.Errorf("url %q: error %v", raw, err)
		}
	}
}
