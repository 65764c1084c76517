package plugin

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// Auth modes of the data source settings (DESIGN.md §5).
const (
	AuthModeToken  = "token"  // a static token minted for slurmUser
	AuthModeJWTKey = "jwtKey" // an HS256 key from which the backend mints short-lived tokens
)

// APIVersionAuto lets the client discover the highest API version the server offers.
const APIVersionAuto = "auto"

// supportedAPIVersions are the slurmrestd API versions a user may pin.
var supportedAPIVersions = []string{
	"v0.0.38", "v0.0.39", "v0.0.40", "v0.0.41", "v0.0.42", "v0.0.43", "v0.0.44", "v0.0.45",
}

// Defaults and limits of the settings contract.
const (
	defaultJWTLifespan     = 900 * time.Second
	maxJWTLifespan         = 900 * time.Second
	minJWTLifespan         = 30 * time.Second
	defaultRefreshInterval = 30 * time.Second
	minRefreshInterval     = 10 * time.Second
	defaultStaleLimit      = 600 * time.Second
	defaultTimeout         = 10 * time.Second
	maxTimeout             = 120 * time.Second
	maxMaxRows             = query.MaxRowsCeiling
)

// Settings is the validated configuration of one data source instance.
// Secret fields never appear in String, errors or logs.
type Settings struct {
	URL             string
	APIVersion      string // "auto" or a pinned version such as "v0.0.38"
	AuthMode        string // AuthModeToken or AuthModeJWTKey
	SlurmUser       string
	JWTLifespan     time.Duration
	RefreshInterval time.Duration
	StaleLimit      time.Duration
	Timeout         time.Duration
	TLSSkipVerify   bool
	TLSWithCACert   bool
	MaxRows         int // row ceiling of every table query (jsonData.maxRows)
	Actions         ActionSettings

	Token  string // secret: secureJsonData.token
	JWTKey []byte // secret: the HS256 key's bytes (secureJsonData.jwtKey, decoded when "base64:…")
	// JWTKeyText is secret too: secureJsonData.jwtKey as configured, so that
	// its base64 form is scrubbed from messages like the key itself.
	JWTKeyText string
	CACertPEM  []byte // secureJsonData.tlsCACert
}

// String describes the settings without any secret, so that a stray %v in a
// log line cannot leak one.
func (s Settings) String() string {
	return fmt.Sprintf("url=%s apiVersion=%s authMode=%s slurmUser=%s refresh=%s staleLimit=%s timeout=%s",
		s.URL, s.APIVersion, s.AuthMode, s.SlurmUser, s.RefreshInterval, s.StaleLimit, s.Timeout)
}

// jsonSettings mirrors jsonData. Numbers are accepted as JSON numbers or as
// numeric strings because form inputs in the config editor may store either.
type jsonSettings struct {
	APIVersion             string
	AuthMode               string
	SlurmUser              string
	JWTLifespanSeconds     flexInt
	RefreshIntervalSeconds flexInt
	StaleLimitSeconds      flexInt
	TimeoutSeconds         flexInt
	MaxRows                flexInt
	TLSSkipVerify          flexBool
	TLSWithCACert          flexBool
	Actions                jsonActionSettings
}

// flexInt is an optional integer read from a JSON number or a numeric string.
type flexInt struct {
	set   bool
	value int64
	raw   string
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	text := strings.TrimSpace(string(b))
	if text == "null" || text == `""` {
		return nil
	}
	f.raw = text
	if unquoted, err := strconv.Unquote(text); err == nil {
		text = strings.TrimSpace(unquoted)
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not a whole number", f.raw)
	}
	f.set, f.value = true, v
	return nil
}

// flexBool is a boolean read from a JSON boolean or the strings "true"/"false".
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	text := strings.TrimSpace(string(b))
	switch text {
	case "null", `""`:
		return nil
	case "true", `"true"`:
		*f = true
	case "false", `"false"`:
		*f = false
	default:
		return fmt.Errorf("%s is not true or false", text)
	}
	return nil
}

// ParseSettings reads and validates the instance settings. Every error names
// the offending field; none contains a secret value.
func ParseSettings(ds backend.DataSourceInstanceSettings) (Settings, error) {
	var js jsonSettings
	if len(ds.JSONData) > 0 {
		if err := decodeJSONData(ds.JSONData, &js); err != nil {
			return Settings{}, err
		}
	}
	s := Settings{
		URL:           strings.TrimSpace(ds.URL),
		APIVersion:    strings.TrimSpace(js.APIVersion),
		AuthMode:      strings.TrimSpace(js.AuthMode),
		SlurmUser:     strings.TrimSpace(js.SlurmUser),
		TLSSkipVerify: bool(js.TLSSkipVerify),
		TLSWithCACert: bool(js.TLSWithCACert),
		Token:         strings.TrimSpace(ds.DecryptedSecureJSONData["token"]),
		JWTKeyText:    ds.DecryptedSecureJSONData["jwtKey"],
		CACertPEM:     []byte(ds.DecryptedSecureJSONData["tlsCACert"]),
	}

	var errs []error
	if err := validateURL(s.URL); err != nil {
		errs = append(errs, err)
	}

	switch {
	case s.APIVersion == "":
		s.APIVersion = APIVersionAuto
	case s.APIVersion == APIVersionAuto || slices.Contains(supportedAPIVersions, s.APIVersion):
	default:
		errs = append(errs, fmt.Errorf("jsonData.apiVersion %q is not supported: use %q or one of %s",
			s.APIVersion, APIVersionAuto, strings.Join(supportedAPIVersions, ", ")))
	}

	if s.AuthMode == "" {
		s.AuthMode = AuthModeToken
	}
	switch s.AuthMode {
	case AuthModeToken:
		if s.Token == "" {
			errs = append(errs, errors.New("secureJsonData.token is required when jsonData.authMode is \"token\""))
		}
	case AuthModeJWTKey:
		if s.JWTKeyText == "" {
			errs = append(errs, errors.New("secureJsonData.jwtKey is required when jsonData.authMode is \"jwtKey\""))
		} else if key, err := parseJWTKey(s.JWTKeyText); err != nil {
			errs = append(errs, err)
		} else {
			s.JWTKey = key
		}
	default:
		errs = append(errs, fmt.Errorf("jsonData.authMode %q is not supported: use %q or %q", s.AuthMode, AuthModeToken, AuthModeJWTKey))
	}
	if s.SlurmUser == "" {
		errs = append(errs, errors.New("jsonData.slurmUser is required: the Slurm user slurmrestd acts as (sent as X-SLURM-USER-NAME; with authMode \"jwtKey\" tokens are minted for it)"))
	} else if strings.ContainsAny(s.SlurmUser, " \t\r\n:") {
		errs = append(errs, fmt.Errorf("jsonData.slurmUser %q is not a valid user name", s.SlurmUser))
	}

	var err error
	if s.JWTLifespan, err = seconds("jsonData.jwtLifespanSeconds", js.JWTLifespanSeconds, defaultJWTLifespan, minJWTLifespan, maxJWTLifespan); err != nil {
		errs = append(errs, err)
	}
	if s.RefreshInterval, err = seconds("jsonData.refreshIntervalSeconds", js.RefreshIntervalSeconds, defaultRefreshInterval, minRefreshInterval, 24*time.Hour); err != nil {
		errs = append(errs, err)
	}
	if s.StaleLimit, err = seconds("jsonData.staleLimitSeconds", js.StaleLimitSeconds, defaultStaleLimit, time.Second, 7*24*time.Hour); err != nil {
		errs = append(errs, err)
	} else if s.RefreshInterval > 0 && s.StaleLimit < s.RefreshInterval {
		errs = append(errs, fmt.Errorf("jsonData.staleLimitSeconds (%d) must be at least jsonData.refreshIntervalSeconds (%d)",
			int(s.StaleLimit/time.Second), int(s.RefreshInterval/time.Second)))
	}
	if s.Timeout, err = seconds("jsonData.timeoutSeconds", js.TimeoutSeconds, defaultTimeout, time.Second, maxTimeout); err != nil {
		errs = append(errs, err)
	}
	// maxRows bounds every table (with server-side paging beyond it) so that no
	// answer exceeds the 8 MiB budget; 50000 rows of the widest table would.
	s.MaxRows = query.DefaultMaxRows
	if js.MaxRows.set {
		if js.MaxRows.value < 1 || js.MaxRows.value > maxMaxRows {
			errs = append(errs, fmt.Errorf("jsonData.maxRows (%d) must be between 1 and %d", js.MaxRows.value, maxMaxRows))
		} else {
			s.MaxRows = int(js.MaxRows.value)
		}
	}

	var actionErrs []error
	s.Actions, actionErrs = parseActionSettings(js.Actions, s.AuthMode, s.SlurmUser)
	errs = append(errs, actionErrs...)

	if s.TLSWithCACert {
		if len(s.CACertPEM) == 0 {
			errs = append(errs, errors.New("secureJsonData.tlsCACert is required when jsonData.tlsWithCACert is true"))
		} else if !x509.NewCertPool().AppendCertsFromPEM(s.CACertPEM) {
			errs = append(errs, errors.New("secureJsonData.tlsCACert holds no PEM certificate"))
		}
	} else {
		// A stored CA certificate is ignored unless the user enabled it.
		s.CACertPEM = nil
	}

	if len(errs) > 0 {
		return Settings{}, fmt.Errorf("invalid data source settings: %w", errors.Join(errs...))
	}
	return s, nil
}

// decodeJSONData decodes jsonData field by field so that an error names the
// field it is about.
func decodeJSONData(raw json.RawMessage, js *jsonSettings) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("invalid data source settings: jsonData is not a JSON object: %w", err)
	}
	targets := map[string]any{
		"apiVersion":             &js.APIVersion,
		"authMode":               &js.AuthMode,
		"slurmUser":              &js.SlurmUser,
		"jwtLifespanSeconds":     &js.JWTLifespanSeconds,
		"refreshIntervalSeconds": &js.RefreshIntervalSeconds,
		"staleLimitSeconds":      &js.StaleLimitSeconds,
		"timeoutSeconds":         &js.TimeoutSeconds,
		"maxRows":                &js.MaxRows,
		"tlsSkipVerify":          &js.TLSSkipVerify,
		"tlsWithCACert":          &js.TLSWithCACert,
	}
	for name, target := range js.Actions.targets() {
		targets[name] = target
	}
	var errs []error
	for name, target := range targets {
		value, ok := fields[name]
		if !ok || string(value) == "null" {
			continue
		}
		if err := json.Unmarshal(value, target); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				err = fmt.Errorf("must be a %s, not a JSON %s", typeErr.Type, typeErr.Value)
			}
			errs = append(errs, fmt.Errorf("jsonData.%s: %w", name, err))
		}
	}
	if len(errs) > 0 {
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return fmt.Errorf("invalid data source settings: %w", errors.Join(errs...))
	}
	return nil
}

func validateURL(raw string) error {
	if raw == "" {
		return errors.New("url is required: the slurmrestd base URL, e.g. http://127.0.0.1:6820 or unix:///run/slurmrestd/slurmrestd.socket")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// The parse error quotes the URL, which might carry a password.
		return errors.New("url is not a valid URL")
	}
	if u.User != nil {
		return errors.New("url must not contain credentials: put the token or JWT key in the secure settings")
	}
	switch u.Scheme {
	case "http", "https":
		if u.Host == "" {
			return fmt.Errorf("url %q has no host", raw)
		}
	case "unix":
		// unix://relative/sock parses as host "relative" and path "/sock":
		// refuse it rather than dial a socket the operator did not name.
		if u.Opaque != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
			return fmt.Errorf("url %q must be unix:// followed by an absolute socket path, e.g. unix:///run/slurmrestd/slurmrestd.socket (a relative path is not supported)", raw)
		}
	default:
		return fmt.Errorf("url %q must start with http://, https:// or unix://", raw)
	}
	return nil
}

func seconds(field string, v flexInt, def, lowest, highest time.Duration) (time.Duration, error) {
	if !v.set {
		return def, nil
	}
	d := time.Duration(v.value) * time.Second
	if v.value < 0 || d < lowest || d > highest {
		return 0, fmt.Errorf("%s is %d: it must be between %d and %d seconds", field, v.value, int64(lowest/time.Second), int64(highest/time.Second))
	}
	return d, nil
}
