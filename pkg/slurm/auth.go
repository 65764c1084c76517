package slurm

import (
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// authenticator yields the token for a Slurm user. With a static token only the
// configured user can be served; with an HS256 key any user can be minted
// ("for user X", used by operator actions).
type authenticator struct {
	staticToken string
	key         []byte
	lifespan    time.Duration
	now         func() time.Time

	mu    sync.Mutex
	cache map[string]mintedToken // per user
}

type mintedToken struct {
	token   string
	expires time.Time
}

func newAuthenticator(cfg Config) *authenticator {
	return &authenticator{
		staticToken: cfg.Token,
		key:         append([]byte(nil), cfg.JWTKey...),
		lifespan:    cfg.JWTLifespan,
		now:         time.Now,
		cache:       map[string]mintedToken{},
	}
}

// canMint tells whether tokens for arbitrary users can be produced.
func (a *authenticator) canMint() bool { return len(a.key) > 0 }

// token returns a token valid for user for at least a third of the lifespan:
// tokens are renewed once two thirds of their life has passed, so a request
// never leaves with a token about to expire.
func (a *authenticator) token(user string) (string, error) {
	if !a.canMint() {
		return a.staticToken, nil
	}
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.cache[user]; ok && now.Before(t.expires.Add(-a.lifespan/3)) {
		return t.token, nil
	}
	exp := now.Add(a.lifespan)
	// Claims as Slurm's auth/jwt reads them: "sun" (Slurm user name), "exp", "iat".
	claims := jwt.MapClaims{
		"sun": user,
		"iat": now.Unix(),
		"exp": exp.Unix(),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(a.key)
	if err != nil {
		// jwt errors never include the key; still keep the message generic.
		return "", &Error{Kind: InvalidInput, Err: errJWTSign}
	}
	a.cache[user] = mintedToken{token: signed, expires: exp}
	return signed, nil
}

// forget drops a cached token (after a 401/511, so the next call mints anew).
func (a *authenticator) forget(user string) {
	a.mu.Lock()
	delete(a.cache, user)
	a.mu.Unlock()
}

type constError string

func (e constError) Error() string { return string(e) }

const errJWTSign = constError("cannot sign JWT with the configured key")
