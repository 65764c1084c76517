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
	own         string // the configured user; tokens for anyone else are acting tokens
	now         func() time.Time

	mu    sync.Mutex
	cache map[string]mintedToken // per user
	// minted keeps the last tokens minted (any user), newest last, so that
	// a caller can scrub them from what an upstream echoes back after the
	// token was renewed.
	minted []string
}

// keepMinted is how many minted tokens Secrets reports: a token is renewed
// every 10 minutes per user, so this spans hours for a few users.
const keepMinted = 32

// actingLifespan bounds the tokens minted to act as another user (operator
// actions as the Grafana user's Slurm identity): such a token is what Slurm
// checks the action against, so it lives no longer than an action needs.
const actingLifespan = 5 * time.Minute

type mintedToken struct {
	token   string
	expires time.Time
}

func newAuthenticator(cfg Config) *authenticator {
	return &authenticator{
		staticToken: cfg.Token,
		key:         append([]byte(nil), cfg.JWTKey...),
		lifespan:    cfg.JWTLifespan,
		own:         cfg.User,
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
	lifespan := a.lifespan
	if user != a.own {
		if user == "root" {
			// A root token bypasses every check Slurm makes; only a data source
			// configured as root (its operator's choice) sends one.
			return "", &Error{Kind: InvalidInput, Err: errMintRoot}
		}
		lifespan = min(lifespan, actingLifespan)
	}
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	if t, ok := a.cache[user]; ok && now.Before(t.expires.Add(-lifespan/3)) {
		return t.token, nil
	}
	exp := now.Add(lifespan)
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
	if len(a.minted) == keepMinted {
		a.minted = append(a.minted[:0], a.minted[1:]...)
	}
	a.minted = append(a.minted, signed)
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

const (
	errJWTSign  = constError("cannot sign JWT with the configured key")
	errMintRoot = constError("no token is minted for root: it would bypass Slurm's own permission checks")
)

// secrets lists the static token, the key and the tokens minted lately.
func (a *authenticator) secrets() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.minted)+2)
	if a.staticToken != "" {
		out = append(out, a.staticToken)
	}
	if len(a.key) > 0 {
		out = append(out, string(a.key))
	}
	return append(out, a.minted...)
}

// Secrets returns every secret this client holds or sent: the static token,
// the JWT key's bytes and the tokens it minted lately. A caller scrubs them
// (and their encodings) from anything it passes on, whatever an upstream
// echoes. The client's own errors and logs never contain them.
func (c *Client) Secrets() []string { return c.auth.secrets() }
