package plugin

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// slurmBinaryKey is what `dd if=/dev/random of=jwt_hs256.key bs=32 count=1`
// makes: 32 bytes, not text (0xff, NUL, a lone continuation byte).
var slurmBinaryKey = []byte{0xff, 0x00, 0x80, 0x7f, 0x01, 0xfe, 0x2c, 0x3a, 0x0a, 0x22, 0x9c, 0xc3, 0x28, 0xa0, 0xa1, 0xe2,
	0x82, 0x28, 0xf0, 0x90, 0x28, 0xbc, 0x00, 0x00, 0x5c, 0x6e, 0xde, 0xad, 0xbe, 0xef, 0x13, 0x37}

func jwtKeySettings(t *testing.T, key string) (Settings, error) {
	t.Helper()
	return ParseSettings(instanceSettings(t, "http://127.0.0.1:6820",
		map[string]any{"slurmUser": "grafana", "authMode": "jwtKey"}, map[string]string{"jwtKey": key}))
}

func TestJWTKeyTextOrBase64(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString(slurmBinaryKey)
	wrapped := b64[:20] + "\n" + b64[20:] + "\n" // base64 without -w0 wraps its output
	for _, tc := range []struct {
		name, value string
		want        []byte
	}{
		{"text key, as before", "0123456789abcdef0123456789abcdef", []byte("0123456789abcdef0123456789abcdef")},
		{"Slurm's binary key file, base64", "base64:" + b64, slurmBinaryKey},
		{"wrapped base64", "base64:" + wrapped, slurmBinaryKey},
		{"base64 without padding", "base64:" + strings.TrimRight(base64.StdEncoding.EncodeToString(slurmBinaryKey[:31]), "="), slurmBinaryKey[:31]},
		// The rule has one reading: a text key beginning with "base64:" is
		// entered in base64 form.
		{"text key that begins with base64:", "base64:" + base64.StdEncoding.EncodeToString([]byte("base64:0123456789abcdef")), []byte("base64:0123456789abcdef")},
	} {
		s, err := jwtKeySettings(t, tc.value)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !bytes.Equal(s.JWTKey, tc.want) {
			t.Errorf("%s: key %x, want %x", tc.name, s.JWTKey, tc.want)
		}
		if strings.Contains(s.String(), tc.value) {
			t.Errorf("%s: the key is in the settings' description", tc.name)
		}
	}
}

func TestJWTKeyRefusedWithAClearMessage(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        []string
	}{
		{"binary bytes as text", string(slurmBinaryKey), []string{"not text (not valid UTF-8)", "base64:", "base64 -w0 /etc/slurm/jwt_hs256.key"}},
		{"not base64", "base64:this is *not* base64 at all!", []string{"is not base64", "base64 -w0"}},
		{"short text", "abc123", []string{"is 6 bytes long", "at least 16", "32 random bytes"}},
		{"short binary", "base64:" + base64.StdEncoding.EncodeToString(slurmBinaryKey[:8]), []string{"is 8 bytes long", "at least 16"}},
		{"empty after the prefix", "base64:", []string{"is 0 bytes long"}},
	} {
		_, err := jwtKeySettings(t, tc.value)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
		if secret := strings.TrimPrefix(tc.value, "base64:"); len(secret) > 3 && strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the key is in the message %q", tc.name, err)
		}
	}
}

// Grafana turns an instance that cannot be built into a health error with
// its message: a bad key is a clear health answer, not an empty one.
func TestHealthOfABadJWTKeyNamesTheKey(t *testing.T) {
	_, err := newDatasource(instanceSettings(t, "http://127.0.0.1:6820",
		map[string]any{"slurmUser": "grafana", "authMode": "jwtKey"}, map[string]string{"jwtKey": string(slurmBinaryKey)}), nil, nil)
	if err == nil || !strings.Contains(err.Error(), "secureJsonData.jwtKey is not text") {
		t.Fatalf("got %v", err)
	}
}

// A binary key entered as base64 signs tokens the server verifies with the
// key file's bytes, as slurmctld does; the same key as text does not.
func TestHealthWithSlurmsBinaryKeyInBase64(t *testing.T) {
	srv := clustertest.Start(t, "26.05.3", "v0.0.45")
	srv.SetJWTKey(slurmBinaryKey)
	key := "base64:" + base64.StdEncoding.EncodeToString(slurmBinaryKey)
	f := newFixtureFrom(t, srv, "v0.0.45", map[string]any{"authMode": "jwtKey"}, map[string]string{"jwtKey": key})
	res, _, _ := f.health(t)
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health with the base64 key: %s %q", res.Status, res.Message)
	}
	if strings.Contains(res.Message, key[len("base64:"):]) {
		t.Error("the key is in the message")
	}

	other := append([]byte(nil), slurmBinaryKey...)
	other[0] ^= 1
	srv.SetJWTKey(other)
	res, _, _ = f.health(t)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "JWT key does not match") {
		t.Errorf("health with a key the server does not hold: %s %q", res.Status, res.Message)
	}
}
