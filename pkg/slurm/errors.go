package slurm

import (
	"errors"
	"fmt"
	"strings"
)

// ErrorKind classifies a failure so callers can react (retry, show "token
// rejected", mark a snapshot stale) without parsing messages.
type ErrorKind int

// The kinds of failure the client reports. Their String form is stable and
// safe to show to users.
const (
	KindUnknown        ErrorKind = iota
	Unreachable                  // connection refused, DNS, socket missing, reset
	TLS                          // certificate or handshake failure
	Unauthenticated              // 401/511: token missing, rejected or expired
	Forbidden                    // 403
	NotFound                     // 404 (the job, node, ... does not exist)
	RateLimited                  // 429
	UnsupportedVersion           // the server serves no API version we support
	Malformed                    // body is not the JSON we expect (incl. truncated)
	TooLarge                     // body exceeds Config.MaxBodyBytes
	Refused                      // Slurm refused the action (also when HTTP said 200)
	Server                       // other 4xx/5xx answers
	Timeout                      // the request exceeded Config.Timeout
	InvalidInput                 // the caller passed an invalid argument
)

var kindNames = map[ErrorKind]string{
	KindUnknown:        "unknown",
	Unreachable:        "unreachable",
	TLS:                "tls",
	Unauthenticated:    "unauthenticated",
	Forbidden:          "forbidden",
	NotFound:           "not found",
	RateLimited:        "rate limited",
	UnsupportedVersion: "unsupported version",
	Malformed:          "malformed answer",
	TooLarge:           "answer too large",
	Refused:            "refused",
	Server:             "server error",
	Timeout:            "timeout",
	InvalidInput:       "invalid input",
}

func (k ErrorKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Message is one entry of slurmrestd's errors[] or warnings[] arrays.
type Message struct {
	Number      int    // error_number (0 for warnings)
	Error       string // short text for error_number, e.g. "Invalid job id specified"
	Description string // detail, e.g. "Unable to find JobId=999999"
	Source      string // Slurm function that reported it
}

func (m Message) String() string {
	var parts []string
	if m.Number != 0 {
		parts = append(parts, fmt.Sprintf("%d", m.Number))
	}
	if m.Error != "" {
		parts = append(parts, m.Error)
	}
	if m.Description != "" && m.Description != m.Error {
		parts = append(parts, m.Description)
	}
	return strings.Join(parts, ": ")
}

// Error is every failure returned by Client methods. Use errors.As to get it,
// or errors.Is(err, slurm.NotFound) style checks via Is on the Kind.
//
// Its message never contains a token, key or other secret: only the method,
// the endpoint path (which carries no credentials), the HTTP status and the
// texts Slurm itself returned.
type Error struct {
	Kind        ErrorKind
	HTTPStatus  int       // 0 when no HTTP answer was received
	Endpoint    string    // e.g. "GET /slurm/v0.0.40/jobs"
	SlurmErrors []Message // errors[] of the body, when there was one
	Warnings    []Message // warnings[] of the body
	Err         error     // underlying cause (network, decode), may be nil
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("slurm: ")
	b.WriteString(e.Kind.String())
	if e.Endpoint != "" {
		b.WriteString(" (")
		b.WriteString(e.Endpoint)
		if e.HTTPStatus != 0 {
			fmt.Fprintf(&b, " → HTTP %d", e.HTTPStatus)
		}
		b.WriteString(")")
	}
	for i, m := range e.SlurmErrors {
		if i == 3 {
			fmt.Fprintf(&b, "; … %d more", len(e.SlurmErrors)-3)
			break
		}
		b.WriteString("; slurm error ")
		b.WriteString(m.String())
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, slurm.ErrNotFound) and friends match on the kind.
func (e *Error) Is(target error) bool {
	var k kindError
	if errors.As(target, &k) {
		return e.Kind == ErrorKind(k)
	}
	return false
}

// kindError is a sentinel per kind, so errors.Is works without errors.As.
type kindError ErrorKind

func (k kindError) Error() string { return "slurm: " + ErrorKind(k).String() }

// Sentinels for errors.Is.
var (
	ErrUnreachable        error = kindError(Unreachable)
	ErrTLS                error = kindError(TLS)
	ErrUnauthenticated    error = kindError(Unauthenticated)
	ErrForbidden          error = kindError(Forbidden)
	ErrNotFound           error = kindError(NotFound)
	ErrRateLimited        error = kindError(RateLimited)
	ErrUnsupportedVersion error = kindError(UnsupportedVersion)
	ErrMalformed          error = kindError(Malformed)
	ErrTooLarge           error = kindError(TooLarge)
	ErrRefused            error = kindError(Refused)
	ErrServer             error = kindError(Server)
	ErrTimeout            error = kindError(Timeout)
	ErrInvalidInput       error = kindError(InvalidInput)
)

// KindOf returns the kind of err when it is (or wraps) an *Error, else KindUnknown.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// Slurm error numbers (slurm_errno.h) by what they tell the caller. The same
// error comes with HTTP 422 on one release and 500 on another (query
// parse errors: query-strings.md), or even with HTTP 200 (v0.0.38 "nothing
// found"), so the number decides the kind, not the status. Earlier groups win
// when an answer carries errors of several.
var slurmErrorKinds = []struct {
	kind  ErrorKind
	codes map[int]bool
}{
	{Unauthenticated, map[int]bool{
		1007: true, // SLURM_PROTOCOL_AUTHENTICATION_ERROR (some versions send it with HTTP 500)
	}},
	{NotFound, notFoundCodes},
	{Refused, map[int]bool{
		2002: true, // ESLURM_ACCESS_DENIED "Access/permission denied"
		2010: true, // ESLURM_USER_ID_MISSING "Invalid user id"
		2021: true, // ESLURM_ALREADY_DONE "Job/step already completing or completed"
	}},
	{InvalidInput, unknownUserCodes},
	{InvalidInput, map[int]bool{
		9000: true, // ESLURM_REST_INVALID_QUERY "Query empty or not RFC7320 compliant"
		9001: true, // ESLURM_REST_FAIL_PARSING
		9202: true, // ESLURM_DATA_CONV_FAILED, e.g. update_time as Unix seconds on v0.0.40/41
		9206: true, // ESLURM_DATA_FLAGS_INVALID_TYPE
		9207: true, // ESLURM_DATA_FLAGS_INVALID "Unknown flag", e.g. state=FAILED%2CTIMEOUT on v0.0.40+
		9208: true, // ESLURM_DATA_EXPECTED_LIST
		9209: true, // ESLURM_DATA_EXPECTED_DICT, e.g. a repeated update_time on v0.0.40
	}},
}

// unknownUserCodes say that a users filter names a user Slurm cannot
// resolve: a value the caller chose, unlike the parse errors above, which
// refuse how the client wrote the query.
var unknownUserCodes = map[int]bool{
	2166: true, // "Unable to resolve user" (v0.0.40+)
	9004: true, // "Missing UNIX user in the system" (v0.0.39)
}

// RefusedFilter names the AccountingFilter field whose value slurmrestd
// refused — "users" for a user it does not know — or "" when the failure is
// not about a value of the caller's.
func (e *Error) RefusedFilter() string {
	if e.Kind == InvalidInput && hasSlurmError(e.SlurmErrors, unknownUserCodes) {
		return "users"
	}
	return ""
}

// notFoundCodes mean "no such job/node/partition", or nothing matched.
var notFoundCodes = map[int]bool{
	2017: true, // ESLURM_INVALID_JOB_ID (22.05 sends it with HTTP 500)
	2008: true, // ESLURM_INVALID_NODE_NAME
	2000: true, // ESLURM_INVALID_PARTITION_NAME
	9003: true, // "Nothing found with query" (slurmdb v0.0.38)
}

// nothingFoundCodes: v0.0.38's slurmdb says an empty result with an error.
var nothingFoundCodes = map[int]bool{9003: true}

// kindOfAnswer types an answer that carries errors, or a non-2xx status:
// by Slurm's error numbers first; then 400 (slurmrestd could not parse the
// request: "Unable to parse query.") is InvalidInput, 422 Refused, the rest
// Server.
func kindOfAnswer(status int, errs []Message) ErrorKind {
	for _, g := range slurmErrorKinds {
		if hasSlurmError(errs, g.codes) {
			return g.kind
		}
	}
	switch status {
	case 400:
		return InvalidInput
	case 422:
		return Refused
	}
	return Server
}

// errorWithSlurmErrors is the error of an answer whose errors[] is not
// empty, whatever its HTTP status: its rows, if any, are never used (25.05+
// answer a bad filter with HTTP 500, the error and the unfiltered list).
func errorWithSlurmErrors(r request, status int, errs, warns []Message) *Error {
	return &Error{Kind: kindOfAnswer(status, errs), HTTPStatus: status, Endpoint: r.endpoint(), SlurmErrors: errs, Warnings: warns}
}
