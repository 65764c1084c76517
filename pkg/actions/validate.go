package actions

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Limits of what a request may ask.
const (
	MaxReasonChars = 256      // a drain reason, as sinfo -R shows it
	MaxBodyBytes   = 16 << 10 // a request body
	DefaultMaxHost = 128      // default bound of a node list's expansion and of a bulk request's targets
	MaxMaxHost     = 4096     // the highest bound a data source may configure
	maxJobIDChars  = 24       // 4294967295_4294967295
	maxNodeExpr    = 4096     // characters of a node list before it is even expanded
)

// FieldError is a request field that is not acceptable: answered 400
// naming the field, before anything reaches Slurm.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// CheckJobID accepts a job id ("123"), an array task ("123_4") and a whole
// array (its job id "123"): digits, at most one "_" followed by digits.
func CheckJobID(field, id string) *FieldError {
	if id == "" {
		return fieldErr(field, "a job id is required")
	}
	if len(id) > maxJobIDChars {
		return fieldErr(field, "%q is not a job id: too long", clip(id))
	}
	us := -1
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= '0' && c <= '9':
		case c == '_' && us < 0 && i > 0 && i < len(id)-1:
			us = i
		default:
			return fieldErr(field, "%q is not a job id: want digits, or an array task as 123_4", clip(id))
		}
	}
	if id[0] == '0' {
		return fieldErr(field, "%q is not a job id: job ids do not start with 0", clip(id))
	}
	return nil
}

// CheckJobIDs validates a bulk request's job ids: at least one, at most max,
// no duplicates.
func CheckJobIDs(field string, ids []string, max int) *FieldError {
	if len(ids) == 0 {
		return fieldErr(field, "at least one job id is required")
	}
	if len(ids) > max {
		return fieldErr(field, "%d jobs: at most %d per request (the data source's maximum)", len(ids), max)
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		if err := CheckJobID(fmt.Sprintf("%s[%d]", field, i), id); err != nil {
			return err
		}
		if seen[id] {
			return fieldErr(fmt.Sprintf("%s[%d]", field, i), "job %s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// ExpandNodes expands a node name or a Slurm hostlist ("node[01-04],gpu1")
// into at most max node names, each in Slurm's node name syntax.
func ExpandNodes(field, expr string, max int) ([]string, *FieldError) {
	if expr == "" {
		return nil, fieldErr(field, "a node name or hostlist is required")
	}
	if len(expr) > maxNodeExpr {
		return nil, fieldErr(field, "the node list is %d characters long: at most %d", len(expr), maxNodeExpr)
	}
	for _, r := range expr {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '[' || r == ']' || r == ',') {
			return nil, fieldErr(field, "%q is not a node name or hostlist: only letters, digits, '-', '_', '.' and the hostlist's [ ] , are allowed", clip(expr))
		}
	}
	if strings.Contains(expr, ",,") || strings.HasPrefix(expr, ",") || strings.HasSuffix(expr, ",") {
		return nil, fieldErr(field, "%q has an empty entry between commas", clip(expr))
	}
	names, err := slurm.ExpandHostlistMax(expr, max)
	if errors.Is(err, slurm.ErrHostlistTooLong) {
		return nil, fieldErr(field, "%q names more than %d nodes (the data source's maximum hostlist expansion)", clip(expr), max)
	}
	if err != nil {
		return nil, fieldErr(field, "%q is not a Slurm hostlist: %v", clip(expr), errors.Unwrap(err))
	}
	if len(names) == 0 {
		return nil, fieldErr(field, "the node list names no node")
	}
	seen := make(map[string]bool, len(names))
	out := names[:0]
	for _, n := range names {
		if n == "" || n[0] == '-' || n[0] == '.' {
			return nil, fieldErr(field, "%q is not a node name", clip(n))
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// CheckReason validates an action's reason: required for a drain (Slurm
// refuses a drain without one), at most 256 characters, no control
// characters (it lands in slurmctld's state, sinfo -R and the audit log).
func CheckReason(field, reason string, required bool) *FieldError {
	if !utf8.ValidString(reason) {
		return fieldErr(field, "the reason is not valid UTF-8 text")
	}
	if required && strings.TrimSpace(reason) == "" {
		return fieldErr(field, "a reason is required (Slurm shows it in sinfo -R and on the node page)")
	}
	if n := utf8.RuneCountInString(reason); n > MaxReasonChars {
		return fieldErr(field, "the reason is %d characters long: at most %d", n, MaxReasonChars)
	}
	for _, r := range reason {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return fieldErr(field, "the reason contains a control or formatting character (U+%04X): use plain text on one line", r)
		}
	}
	return nil
}

// clip bounds an echoed input to 64 bytes of printable text.
func clip(s string) string {
	out := make([]rune, 0, 64)
	for i, r := range s {
		if i >= 64 {
			out = append(out, '…')
			break
		}
		if !unicode.IsPrint(r) {
			r = '?'
		}
		out = append(out, r)
	}
	return string(out)
}
