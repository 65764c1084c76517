package slurm

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testKey = "k3y-FOR-TESTS-0123456789abcdef-SECRET"

// tokenRecorder answers the ping fixture and records the auth headers.
type tokenRecorder struct {
	mu     sync.Mutex
	users  []string
	tokens []string
}

func newTokenServer(t *testing.T, rec *tokenRecorder, status int) string {
	body := pingBody(t)
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.users = append(rec.users, r.Header.Get("X-SLURM-USER-NAME"))
		rec.tokens = append(rec.tokens, r.Header.Get("X-SLURM-USER-TOKEN"))
		rec.mu.Unlock()
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	return srv.URL
}

func parseClaims(t *testing.T, tok string) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(tk *jwt.Token) (any, error) {
		if tk.Method != jwt.SigningMethodHS256 {
			t.Errorf("signing method %v", tk.Method.Alg())
		}
		return []byte(testKey), nil
	}, jwt.WithValidMethods([]string{"HS256"}))
	if err != nil {
		t.Fatalf("token does not verify with the key: %v", err)
	}
	return claims
}

func TestMintedTokenClaims(t *testing.T) {
	rec := &tokenRecorder{}
	url := newTokenServer(t, rec, http.StatusOK)
	c := faultClient(t, url, func(c *Config) { c.Token = ""; c.JWTKey = []byte(testKey); c.JWTLifespan = 600 * time.Second })
	issued := time.Now().Truncate(time.Second) // the client's clock, fixed (the parser checks exp against now)
	c.auth.now = func() time.Time { return issued }
	must(c.Ping(ctx))(t)
	claims := parseClaims(t, rec.tokens[0])
	eq(t, "sun", claims["sun"], any("grafana"))
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if iat == nil || exp == nil {
		t.Fatalf("claims %v lack iat/exp", claims)
	}
	eq(t, "lifespan", exp.Sub(iat.Time), 600*time.Second)
	eq(t, "iat", iat.Time.Equal(issued), true)
	eq(t, "user header", rec.users[0], "grafana")
}

func TestDefaultLifespanIsAtMost900s(t *testing.T) {
	a := newAuthenticator(mustNormalize(t, Config{URL: "http://x", User: "u", JWTKey: []byte(testKey)}))
	tok, err := a.token("u")
	if err != nil {
		t.Fatal(err)
	}
	claims := parseClaims(t, tok)
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if exp.Sub(iat.Time) > 900*time.Second {
		t.Errorf("lifespan %v > 900 s", exp.Sub(iat.Time))
	}
	_, err = New(Config{URL: "http://x", User: "u", JWTKey: []byte(testKey), JWTLifespan: time.Hour})
	wantKind(t, err, InvalidInput, 0)
}

func mustNormalize(t *testing.T, c Config) Config {
	t.Helper()
	n, _, err := c.normalize()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	a := newAuthenticator(mustNormalize(t, Config{URL: "http://x", User: "u", JWTKey: []byte(testKey), JWTLifespan: 300 * time.Second}))
	now := time.Unix(1_800_000_000, 0)
	a.now = func() time.Time { return now }
	first, _ := a.token("u")
	now = now.Add(150 * time.Second) // half the life: reused
	second, _ := a.token("u")
	eq(t, "reused at half life", second, first)
	now = now.Add(51 * time.Second) // past two thirds: renewed, old one still valid for 99 s
	third, _ := a.token("u")
	if third == first {
		t.Fatal("token not renewed after two thirds of its life")
	}
	exp, _ := parseClaimsAt(t, third, now).GetExpirationTime()
	eq(t, "new expiry", exp.Time, now.Add(300*time.Second))
	// After a 401 the token is forgotten and minted anew.
	a.forget("u")
	now = now.Add(time.Second)
	fourth, _ := a.token("u")
	if fourth == third {
		t.Error("forget did not drop the token")
	}
}

func parseClaimsAt(t *testing.T, tok string, at time.Time) jwt.MapClaims {
	t.Helper()
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return []byte(testKey), nil },
		jwt.WithTimeFunc(func() time.Time { return at }))
	if err != nil {
		t.Fatal(err)
	}
	return claims
}

func TestActingForAnotherUser(t *testing.T) {
	rec := &tokenRecorder{}
	url := newTokenServer(t, rec, http.StatusOK)
	c := faultClient(t, url, func(c *Config) { c.Token = ""; c.JWTKey = []byte(testKey) })
	if err := c.CancelJob(ctx, "5015", "alice"); err != nil {
		t.Fatal(err)
	}
	eq(t, "user header", rec.users[0], "alice")
	eq(t, "sun", parseClaims(t, rec.tokens[0])["sun"], any("alice"))

	// A static token belongs to its user: acting for someone else is refused locally.
	rec2 := &tokenRecorder{}
	url2 := newTokenServer(t, rec2, http.StatusOK)
	s := faultClient(t, url2, nil)
	err := s.CancelJob(ctx, "5015", "alice")
	wantKind(t, err, InvalidInput, 0)
	eq(t, "no request sent", len(rec2.users), 0)
	err = s.CancelJob(ctx, "5015", "alice; rm -rf")
	wantKind(t, err, InvalidInput, 0)
}

// Every log line at debug level and every error string is scanned for the
// secrets in every encoding a careless message might use.
func TestSecretsNeverLeak(t *testing.T) {
	const static = "STATIC-token-VALUE-1234567890"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var errs []string
	var minted []string

	statuses := []int{http.StatusUnauthorized, http.StatusNetworkAuthenticationRequired, http.StatusServiceUnavailable, http.StatusOK}
	for _, mode := range []string{"token", "jwt"} {
		for _, st := range statuses {
			rec := &tokenRecorder{}
			url := newTokenServer(t, rec, st)
			c := faultClient(t, url, func(c *Config) {
				c.Logger = logger
				c.MaxRetries = 1
				if mode == "jwt" {
					c.Token = ""
					c.JWTKey = []byte(testKey)
				} else {
					c.Token = static
				}
			})
			if _, err := c.Ping(ctx); err != nil {
				errs = append(errs, err.Error())
			}
			if _, err := c.Jobs(ctx, time.Now()); err != nil {
				errs = append(errs, err.Error())
			}
			if err := c.CancelJob(ctx, "1", ""); err != nil {
				errs = append(errs, err.Error())
			}
			minted = append(minted, rec.tokens...)
		}
	}
	// Transport failures and config errors too.
	c := faultClient(t, "http://127.0.0.1:1", func(c *Config) { c.Logger = logger; c.Token = static; c.MaxRetries = 1 })
	if _, err := c.Nodes(ctx); err != nil {
		errs = append(errs, err.Error())
	}
	for _, bad := range []Config{
		{URL: "http://user:" + static + "@host", User: "u", Token: static},
		{URL: "ftp://host", User: "u", Token: static},
		{URL: "http://host", User: "u", Token: static, JWTKey: []byte(testKey)},
		{URL: "http://host", User: "u", Token: static + "\n"},
		{URL: "http://host", User: "u", JWTKey: []byte("short")},
	} {
		if _, err := New(bad); err != nil {
			errs = append(errs, err.Error())
		} else {
			t.Errorf("config %+v accepted", bad.URL)
		}
	}
	if len(errs) < 10 || logs.Len() == 0 {
		t.Fatalf("scan saw too little: %d errors, %d log bytes", len(errs), logs.Len())
	}
	secrets := []string{static, testKey, hex.EncodeToString([]byte(testKey)), base64.StdEncoding.EncodeToString([]byte(testKey)),
		base64.RawURLEncoding.EncodeToString([]byte(testKey))}
	for _, tok := range minted {
		if tok != static && tok != "" {
			secrets = append(secrets, tok, tok[strings.LastIndexByte(tok, '.')+1:]) // whole JWT and its signature
		}
	}
	haystack := logs.String() + "\n" + strings.Join(errs, "\n")
	for _, s := range secrets {
		if strings.Contains(haystack, s) {
			t.Errorf("secret %q… leaked into logs or errors", s[:6])
		}
	}
}

func TestConfigErrorsNameTheField(t *testing.T) {
	for field, cfg := range map[string]Config{
		"URL":          {User: "u", Token: "t"},
		"User":         {URL: "http://h", Token: "t"},
		"Token":        {URL: "http://h", User: "u"},
		"JWTLifespan":  {URL: "http://h", User: "u", JWTKey: []byte(testKey), JWTLifespan: time.Second},
		"Timeout":      {URL: "http://h", User: "u", Token: "t", Timeout: -1},
		"MaxConns":     {URL: "http://h", User: "u", Token: "t", MaxConns: -1},
		"MaxBodyBytes": {URL: "http://h", User: "u", Token: "t", MaxBodyBytes: -1},
		"CACertPEM":    {URL: "https://h", User: "u", Token: "t", CACertPEM: "not pem"},
		"APIVersion":   {URL: "http://h", User: "u", Token: "t", APIVersion: "v9"},
	} {
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: error %v does not name the field", field, err)
		}
		if KindOf(err) != InvalidInput {
			t.Errorf("%s: kind %v", field, KindOf(err))
		}
	}
	for _, ok := range []string{"unix:///run/slurmrestd.sock", "unix:/run/slurmrestd.sock"} {
		if _, err := New(Config{URL: ok, User: "grafana", Token: "t"}); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}

// unix://relative/sock parses as host "relative", path "/sock": it must be
// refused, not dialled as /sock.
func TestConfigRefusesUnixURLsWithoutAnAbsoluteSocketPath(t *testing.T) {
	for url, want := range map[string]string{
		"unix://relative/sock": `"relative" where the socket path should start`,
		"unix://relative.sock": `"relative.sock" where the socket path should start`,
		"unix:relative.sock":   `"relative.sock" is relative`,
		"unix://":              "needs a path",
	} {
		_, err := New(Config{URL: url, User: "grafana", Token: "t"})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "unix:///") {
			t.Errorf("%s: got %v, want an error containing %q and an example", url, err, want)
		}
		if KindOf(err) != InvalidInput {
			t.Errorf("%s: kind %v", url, KindOf(err))
		}
	}
}

func TestConfigPrintsWithoutSecrets(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, cfg := range []Config{
		{URL: "http://h", User: "u", Token: "tok-PRINT-SECRET"},
		{URL: "http://h", User: "u", JWTKey: []byte("key-PRINT-SECRET-0123456789")},
	} {
		logger.Info("config", "cfg", cfg)
		out := fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg) + logs.String()
		if strings.Contains(out, "PRINT-SECRET") {
			t.Errorf("secret printed: %s", out)
		}
		if !strings.Contains(out, "redacted") {
			t.Errorf("auth mode not shown: %s", out)
		}
	}
}

// A token to act as another user lives at most 5 minutes whatever the
// configured lifespan; none is minted for root unless root is the
// configured user.
func TestActingTokensAreShortAndNeverRoot(t *testing.T) {
	a := newAuthenticator(mustNormalize(t, Config{URL: "http://x", User: "grafana", JWTKey: []byte(testKey), JWTLifespan: 900 * time.Second}))
	own, err := a.token("grafana")
	if err != nil {
		t.Fatal(err)
	}
	acting, err := a.token("alice")
	if err != nil {
		t.Fatal(err)
	}
	life := func(tok string) time.Duration {
		c := parseClaims(t, tok)
		iat, _ := c.GetIssuedAt()
		exp, _ := c.GetExpirationTime()
		return exp.Sub(iat.Time)
	}
	eq(t, "own lifespan", life(own), 900*time.Second)
	eq(t, "acting lifespan", life(acting), 5*time.Minute)
	_, err = a.token("root")
	wantKind(t, err, InvalidInput, 0)
	r := newAuthenticator(mustNormalize(t, Config{URL: "http://x", User: "root", JWTKey: []byte(testKey)}))
	if _, err := r.token("root"); err != nil {
		t.Errorf("a data source configured as root gets its own token: %v", err)
	}
}
