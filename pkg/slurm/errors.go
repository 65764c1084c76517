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
