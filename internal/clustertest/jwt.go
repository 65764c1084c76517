package clustertest

import (
	"net/http"

	"github.com/golang-jwt/jwt/v5"
)

// SetJWTKey makes the server accept, besides Token, the tokens a client
// mints with key (HS256, "sun" = the X-SLURM-USER-NAME user, not expired),
// exactly as slurmctld verifies them with the key file's bytes.
func (s *Server) SetJWTKey(key []byte) {
	k := append([]byte(nil), key...)
	s.jwtKey.Store(&k)
}

// tokenAccepted tells whether r carries Token or a JWT signed with the key.
func (s *Server) tokenAccepted(r *http.Request) bool {
	tok := r.Header.Get("X-SLURM-USER-TOKEN")
	if tok == Token {
		return true
	}
	k := s.jwtKey.Load()
	if k == nil {
		return false
	}
	key := *k
	claims := jwt.MapClaims{}
	parsed, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithExpirationRequired())
	return err == nil && parsed.Valid && claims["sun"] == r.Header.Get("X-SLURM-USER-NAME")
}
