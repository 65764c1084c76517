// Package query turns data source queries into data frames: one file per
// query type, each with the same three parts — the typed model parsed and
// validated from the query JSON, the filter over the snapshot, and the frame.
package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// ErrInvalid marks errors caused by the query itself (a 400 for Grafana).
var ErrInvalid = errors.New("invalid query")

// Base is what every query carries.
type Base struct {
	RefID     string `json:"refId"`
	QueryType string `json:"queryType"`
}

// invalid builds an ErrInvalid error naming the field.
func invalid(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s %s", ErrInvalid, field, fmt.Sprintf(format, args...))
}

// decode reads the query JSON into model, naming the field on a type error.
func decode(raw json.RawMessage, model any) error {
	if len(raw) == 0 {
		return nil
	}
	if err := checkFields(raw, model); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, model); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return invalid(typeErr.Field, "must be a %s, not a JSON %s", typeErr.Type, typeErr.Value)
		}
		var synErr *json.SyntaxError
		if errors.As(err, &synErr) {
			return fmt.Errorf("%w: the query is not valid JSON (at byte %d)", ErrInvalid, synErr.Offset)
		}
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return nil
}

// StringList accepts a JSON string or an array of strings. Grafana template
// variables with multiple values interpolate to either form, and "All"
// (`$__all`, "*") or an empty value mean no filter.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = splitValues([]string{one})
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		// encoding/json adds the field name to this error for us.
		return &json.UnmarshalTypeError{Value: "value other than a string or list of strings", Type: typeOfStringList}
	}
	*l = splitValues(many)
	return nil
}

// typeOfStringList names the expected type in errors ("[]string").
var typeOfStringList = reflect.TypeOf([]string(nil))

// splitValues trims values, splits comma lists and "{a,b}" variable
// interpolations, and drops the "all" markers.
func splitValues(in []string) []string {
	var out []string
	for _, v := range in {
		v = strings.TrimSpace(v)
		v = strings.TrimSuffix(strings.TrimPrefix(v, "{"), "}")
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" || part == "*" || part == "$__all" || strings.EqualFold(part, "all") {
				continue
			}
			if !slices.Contains(out, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// matchAny reports whether value equals one of the wanted values (no filter: true).
func matchAny(wanted []string, value string) bool {
	return len(wanted) == 0 || slices.Contains(wanted, value)
}

// matchAnyFold is matchAny ignoring case (states are upper case in Slurm, users type them anyhow).
func matchAnyFold(wanted []string, value string) bool {
	if len(wanted) == 0 {
		return true
	}
	for _, w := range wanted {
		if strings.EqualFold(w, value) {
			return true
		}
	}
	return false
}

// stateMatches reports whether a state's base or any flag is one of wanted.
func stateMatches(wanted []string, s slurm.State) bool {
	if len(wanted) == 0 {
		return true
	}
	if matchAnyFold(wanted, s.Base) {
		return true
	}
	for _, f := range s.Flags {
		if matchAnyFold(wanted, f) {
			return true
		}
	}
	return false
}

// compileNamePattern compiles a user-supplied name regex, anchored, with a
// clear error. An empty pattern matches everything.
func compileNamePattern(field, pattern string) (*regexp.Regexp, error) {
	pattern = strings.TrimSpace(pattern)
	if pattern == "" || pattern == "*" || pattern == "$__all" {
		return nil, nil
	}
	if len(pattern) > 1024 {
		return nil, invalid(field, "is longer than 1024 characters")
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil {
		return nil, invalid(field, "is not a valid regular expression: %v", err)
	}
	return re, nil
}

// timeOrNil maps Slurm's "no time" (zero) to a null cell rather than 1970.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// numberOrNil maps unset and unlimited numbers to null, never to 0.
func numberOrNil(n slurm.Number) *int64 {
	if v, ok := n.Get(); ok {
		return &v
	}
	return nil
}

// numberText is "unlimited", "" (unset) or the value, for columns where the
// difference matters to a reader (time limits).
func numberText(n slurm.Number) string {
	switch {
	case n.IsUnlimited():
		return "unlimited"
	case n.IsUnset():
		return ""
	}
	return n.String()
}
