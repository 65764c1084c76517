package slurm

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Config configures a Client. Token and JWTKey are secrets: they are never
// logged nor put into errors.
type Config struct {
	URL         string        // http://host:6820, https://..., or unix:///run/slurmrestd.sock
	APIVersion  string        // "" or "auto" → negotiate; else one of SupportedVersions
	User        string        // X-SLURM-USER-NAME
	Token       string        // static token (auth mode "token") — secret
	JWTKey      []byte        // HS256 key (auth mode "jwtKey") — secret; tokens are minted for User
	JWTLifespan time.Duration // lifespan of minted tokens; default and maximum 900 s
	Timeout     time.Duration // per request, default 10 s
	// TLSSkipVerify disables certificate verification (opt-in, for tests).
	TLSSkipVerify bool
	CACertPEM     string // extra CA certificates (PEM) trusted for https
	MaxConns      int    // concurrent connections to slurmrestd, default 2
	// MaxBodyBytes caps the streamed answers (jobs, slurmdb jobs; default
	// 2 GiB, twice a 100k-job v0.0.45 answer) and lowers, when smaller, the
	// fixed per-endpoint caps of the buffered ones (bodycaps.go). Beyond it an
	// answer fails with TooLarge.
	MaxBodyBytes int64
	MaxRetries   int // extra attempts for GETs on network errors/5xx/429; default 3, -1 disables
	// RetryInitial and RetryMax bound the exponential backoff (defaults 200 ms and 3 s).
	RetryInitial time.Duration
	RetryMax     time.Duration
	Logger       *slog.Logger // nil → discard
}

const (
	defaultTimeout      = 10 * time.Second
	defaultMaxConns     = 2
	defaultMaxBodyBytes = 2 << 30
	maxJWTLifespan      = 900 * time.Second
	defaultRetries      = 3
)

// configError names the bad field.
func configError(field, format string, args ...any) error {
	return &Error{Kind: InvalidInput, Err: fmt.Errorf("config %s: %s", field, fmt.Sprintf(format, args...))}
}

// normalize validates c and fills defaults. It returns a copy.
func (c Config) normalize() (Config, *url.URL, error) {
	if strings.TrimSpace(c.URL) == "" {
		return c, nil, configError("URL", "is empty; want http://host:port, https://host:port or unix:///path.sock")
	}
	u, err := url.Parse(c.URL)
	if err != nil {
		// url.Error quotes the URL; a URL could carry user:password, so do not echo it.
		return c, nil, configError("URL", "cannot be parsed")
	}
	if u.User != nil {
		return c, nil, configError("URL", "must not contain credentials; use Token or JWTKey")
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return c, nil, configError("URL", "has no host")
		}
	case "unix":
		if err := checkSocketURL(u); err != nil {
			return c, nil, err
		}
	default:
		return c, nil, configError("URL", "scheme %q is not supported; want http, https or unix", u.Scheme)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return c, nil, configError("URL", "must not have a query or fragment")
	}
	switch v := strings.TrimSpace(c.APIVersion); v {
	case "", "auto":
		c.APIVersion = ""
	default:
		if adapterFor(v) == nil {
			return c, nil, configError("APIVersion", "%q is not supported; supported: %s (or \"auto\")", v, strings.Join(SupportedVersions(), ", "))
		}
		c.APIVersion = v
	}
	if c.User == "" {
		return c, nil, configError("User", "is empty; slurmrestd needs X-SLURM-USER-NAME")
	}
	if !validUserName(c.User) {
		return c, nil, configError("User", "%q is not a valid Slurm user name", c.User)
	}
	if c.Token != "" && len(c.JWTKey) > 0 {
		return c, nil, configError("Token", "and JWTKey are both set; choose one auth mode")
	}
	if c.Token == "" && len(c.JWTKey) == 0 {
		return c, nil, configError("Token", "and JWTKey are both empty; one is needed")
	}
	if strings.ContainsAny(c.Token, "\r\n") {
		return c, nil, configError("Token", "contains a line break")
	}
	if len(c.JWTKey) > 0 && len(c.JWTKey) < 16 {
		return c, nil, configError("JWTKey", "is too short (%d bytes, want at least 16)", len(c.JWTKey))
	}
	switch {
	case c.JWTLifespan == 0:
		c.JWTLifespan = maxJWTLifespan
	case c.JWTLifespan < 30*time.Second || c.JWTLifespan > maxJWTLifespan:
		return c, nil, configError("JWTLifespan", "%s is outside [30s, 900s]", c.JWTLifespan)
	}
	switch {
	case c.Timeout == 0:
		c.Timeout = defaultTimeout
	case c.Timeout < 0:
		return c, nil, configError("Timeout", "is negative")
	}
	switch {
	case c.MaxConns == 0:
		c.MaxConns = defaultMaxConns
	case c.MaxConns < 0:
		return c, nil, configError("MaxConns", "is negative")
	}
	switch {
	case c.MaxBodyBytes == 0:
		c.MaxBodyBytes = defaultMaxBodyBytes
	case c.MaxBodyBytes < 0:
		return c, nil, configError("MaxBodyBytes", "is negative")
	}
	switch {
	case c.MaxRetries == 0:
		c.MaxRetries = defaultRetries
	case c.MaxRetries < 0:
		c.MaxRetries = 0
	}
	if c.RetryInitial <= 0 {
		c.RetryInitial = 200 * time.Millisecond
	}
	if c.RetryMax <= 0 {
		c.RetryMax = 3 * time.Second
	}
	if c.CACertPEM != "" {
		if u.Scheme != "https" {
			return c, nil, configError("CACertPEM", "is set but URL is not https")
		}
		if !x509.NewCertPool().AppendCertsFromPEM([]byte(c.CACertPEM)) {
			return c, nil, configError("CACertPEM", "holds no PEM certificate")
		}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, u, nil
}

// checkSocketURL accepts unix:///abs/path.sock (and unix:/abs/path.sock)
// only. In unix://relative/sock the URL parser takes "relative" for a host
// and "/sock" for the path, so the client would dial /sock: a socket the
// operator never named. Such URLs are refused instead of guessed at.
func checkSocketURL(u *url.URL) error {
	const example = "e.g. unix:///run/slurmrestd/slurmrestd.socket"
	switch {
	case u.Opaque != "":
		return configError("URL", "unix socket path %q is relative; want an absolute path after unix://, %s", u.Opaque, example)
	case u.Host != "":
		return configError("URL", "unix socket URL has %q where the socket path should start (a relative path?); want unix:// followed by an absolute path, %s", u.Host, example)
	case u.Path == "":
		return configError("URL", "unix socket URL needs a path, %s", example)
	case !strings.HasPrefix(u.Path, "/"):
		return configError("URL", "unix socket path %q is relative; want an absolute path, %s", u.Path, example)
	}
	return nil
}

// validUserName accepts POSIX-ish login names (what Slurm can map to a uid).
func validUserName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case r >= '0' && r <= '9', r == '-', r == '.', r == '@':
			if i == 0 && r != '_' && !(r >= '0' && r <= '9') {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// String describes the configuration with secrets redacted, so that printing
// a Config (%v, %+v, %s) can never leak a token or key.
func (c Config) String() string {
	return fmt.Sprintf("slurm.Config{URL:%q APIVersion:%q User:%q Auth:%s Timeout:%s MaxConns:%d MaxBodyBytes:%d TLSSkipVerify:%t}",
		c.URL, c.APIVersion, c.User, c.authMode(), c.Timeout, c.MaxConns, c.MaxBodyBytes, c.TLSSkipVerify)
}

// GoString is String for %#v.
func (c Config) GoString() string { return c.String() }

// LogValue keeps secrets out of slog output.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", c.URL), slog.String("api_version", c.APIVersion), slog.String("user", c.User),
		slog.String("auth", c.authMode()), slog.Duration("timeout", c.Timeout))
}

func (c Config) authMode() string {
	switch {
	case len(c.JWTKey) > 0:
		return "jwtKey(redacted)"
	case c.Token != "":
		return "token(redacted)"
	}
	return "none"
}
