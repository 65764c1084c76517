package plugin

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// jwtKeyBase64Prefix marks a JWT key entered base64-encoded. Slurm's own key
// is 32 random bytes (dd if=/dev/random of=jwt_hs256.key bs=32 count=1), and
// Grafana's secure settings hold text only, so such a key is entered as
// "base64:" followed by `base64 -w0 jwt_hs256.key`.
//
// The rule has no ambiguity: a value starting with "base64:" is always
// decoded; any other value is the key's bytes as text (as before). A text
// key that itself starts with "base64:" is entered in its base64 form.
const jwtKeyBase64Prefix = "base64:"

// minJWTKeyBytes is the shortest HS256 key accepted (the slurm client's own
// floor); Slurm's documented key is 32 bytes.
const minJWTKeyBytes = 16

// parseJWTKey turns secureJsonData.jwtKey into the key's bytes. Its errors
// never quote the value.
func parseJWTKey(raw string) ([]byte, error) {
	var key []byte
	if rest, ok := strings.CutPrefix(raw, jwtKeyBase64Prefix); ok {
		// Wrapped output of base64 (without -w0) is fine: whitespace is dropped.
		compact := strings.Join(strings.Fields(rest), "")
		var err error
		if key, err = base64.StdEncoding.DecodeString(compact); err != nil {
			if key, err = base64.RawStdEncoding.DecodeString(compact); err != nil {
				return nil, fmt.Errorf("secureJsonData.jwtKey starts with %q but the rest is not base64: enter %q followed by the output of `base64 -w0 /etc/slurm/jwt_hs256.key`",
					jwtKeyBase64Prefix, jwtKeyBase64Prefix)
			}
		}
	} else {
		if !utf8.ValidString(raw) {
			return nil, fmt.Errorf("secureJsonData.jwtKey is not text (not valid UTF-8): enter a binary key file as %q followed by the output of `base64 -w0 /etc/slurm/jwt_hs256.key`",
				jwtKeyBase64Prefix)
		}
		key = []byte(raw)
	}
	if len(key) < minJWTKeyBytes {
		return nil, fmt.Errorf("secureJsonData.jwtKey is %d bytes long: an HS256 key needs at least %d (Slurm's jwt_hs256.key is 32 random bytes; enter it as %q followed by `base64 -w0 /etc/slurm/jwt_hs256.key`)",
			len(key), minJWTKeyBytes, jwtKeyBase64Prefix)
	}
	return key, nil
}
