package slurm

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/bytedance/sonic"
	"github.com/bytedance/sonic/decoder"
)

// jsonAPI decodes slurmrestd bodies. sonic is several times faster than
// encoding/json on large job lists (bench/README.md); on platforms where its
// JIT is unavailable it falls back to encoding/json with identical results.
// CopyString: the model must not keep the (possibly 100 MB) body alive through
// substrings of it.
//
// CaseSensitive: slurmrestd's keys are exact (where the case differs between
// versions, as "Slurm"/"slurm" in meta, both are declared), and matching
// unknown keys case-insensitively cost 5 % of the decode time.
var jsonAPI = sonic.Config{CopyString: true, CaseSensitive: true}.Froze()

// decodeJSON decodes data into v; failures are Malformed with a short reason.
func decodeJSON(data []byte, v any) error {
	if len(data) == 0 {
		return errors.New("empty body")
	}
	// sonic's Unmarshal([]byte) first copies the whole body into a string
	// (30 % of the time on a 1 GB jobs answer). The body is not modified
	// while decoding, and CopyString makes every decoded string its own
	// copy, so a zero-copy view is safe and nothing keeps the body alive.
	err := jsonAPI.UnmarshalFromString(unsafe.String(unsafe.SliceData(data), len(data)), v)
	if err != nil && hasNonFinite(data) {
		// Slurm 23.11 writes bare Infinity (shares fairshare level), which
		// is not JSON; rewrite such tokens and try once more.
		err = jsonAPI.Unmarshal(sanitizeNonFinite(data), v)
	}
	if err != nil {
		return fmt.Errorf("invalid JSON (%d bytes): %w", len(data), shortJSONError(err))
	}
	return nil
}

// shortJSONError keeps the first line of a decoder error (sonic quotes a
// window of the input) and at most 200 bytes.
func shortJSONError(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i > 0 {
		msg = msg[:i]
	}
	if len(msg) > 200 {
		msg = msg[:200] + "…"
	}
	return errors.New(msg)
}

// decodeOne decodes the first JSON value of data into v and returns the
// index after it; data may continue with more values. Strings are copied
// (data may be a view of a reused buffer).
func decodeOne(data string, v any) (int, error) {
	return decodeOneWith(data, v, decoder.OptionCopyString|decoder.OptionCaseSensitive)
}

// decodeOneLenient is decodeOne skipping the members v does not declare by
// bracket and quote instead of validating them token by token. The
// parallel decode's workers use it on the jobs past an answer's first
// 4 MiB: validating bytes the plugin never reads was a quarter of a
// 100k-job refresh. What v declares is parsed as strictly as ever.
func decodeOneLenient(data string, v any) (int, error) {
	return decodeOneWith(data, v, decoder.OptionCopyString|decoder.OptionCaseSensitive|decoder.OptionNoValidateJSON)
}

func decodeOneWith(data string, v any, opts decoder.Options) (int, error) {
	dec := decoder.NewDecoder(data)
	dec.SetOptions(opts)
	if err := dec.Decode(v); err != nil {
		return 0, err
	}
	return dec.Pos(), nil
}

// rawMessage is an entry of errors[] / warnings[] (same keys in every version).
type rawMessage struct {
	Description string `json:"description"`
	ErrorNumber int    `json:"error_number"`
	Error       string `json:"error"`
	Source      string `json:"source"`
}

// envelope is embedded in every raw answer.
type envelope struct {
	Errors   []rawMessage `json:"errors"`
	Warnings []rawMessage `json:"warnings"`
}

func (e *envelope) messages() (errs, warns []Message) {
	conv := func(in []rawMessage) []Message {
		if len(in) == 0 {
			return nil
		}
		out := make([]Message, len(in))
		for i, m := range in {
			out[i] = Message{Number: m.ErrorNumber, Error: m.Error, Description: m.Description, Source: m.Source}
		}
		return out
	}
	return conv(e.Errors), conv(e.Warnings)
}

func decodeEnvelope(data []byte) (*envelope, error) {
	var env envelope
	if err := decodeJSON(data, &env); err != nil {
		return nil, err
	}
	return &env, nil
}

// num is slurmrestd's {"set","infinite","number"} integer wrapper.
type num struct {
	Set      bool  `json:"set"`
	Infinite bool  `json:"infinite"`
	Number   int64 `json:"number"`
}

func (n num) model() Number {
	if n.Infinite {
		return Number{Set: true, Infinite: true}
	}
	if !n.Set {
		return Number{}
	}
	return Number{Value: n.Number, Set: true}
}

func (n num) time() time.Time {
	if !n.Set || n.Infinite || n.Number <= 0 {
		return time.Time{}
	}
	return time.Unix(n.Number, 0).UTC()
}

// numF is the float variant.
type numF struct {
	Set      bool    `json:"set"`
	Infinite bool    `json:"infinite"`
	Number   float64 `json:"number"`
}

func (n numF) model() Float {
	if n.Infinite {
		return Float{Set: true, Infinite: true}
	}
	if !n.Set {
		return Float{}
	}
	return Float{Value: n.Number, Set: true}
}

// Slurm's sentinels for plain integers (slurm.h).
const (
	noVal      = 0xfffffffe // NO_VAL
	infinite   = 0xffffffff // INFINITE
	noVal16    = 0xfffe
	infinite16 = 0xffff
	// NO_VAL64 and INFINITE64 (0xfffffffffffffffe, 0xffffffffffffffff) as the
	// signed 64-bit integers the plain numbers decode into.
	noVal64    = -2
	infinite64 = -1
)

// plainNumber converts a plain integer of the older versions (v0.0.38):
// null/NO_VAL → unset, INFINITE or -1 → unlimited.
func plainNumber(p *int64) Number {
	if p == nil {
		return Number{}
	}
	switch v := *p; {
	case v == infinite64 || v == infinite:
		return Number{Set: true, Infinite: true}
	case v == noVal || v == noVal64:
		return Number{}
	default:
		return Number{Value: v, Set: true}
	}
}

func unixTime(v int64) time.Time {
	if v <= 0 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

func hasNonFinite(data []byte) bool {
	return bytes.Contains(data, []byte("Infinity")) || bytes.Contains(data, []byte("NaN"))
}

// sanitizeNonFinite replaces the bare tokens Infinity, -Infinity and NaN
// outside strings by ±MaxFloat64 and null. Float decoders read ≥ 1.8e19 as
// "infinite" (see toFloat).
func sanitizeNonFinite(data []byte) []byte {
	out := make([]byte, 0, len(data)+64)
	inString := false
	for i := 0; i < len(data); i++ {
		ch := data[i]
		if inString {
			out = append(out, ch)
			if ch == '\\' && i+1 < len(data) {
				i++
				out = append(out, data[i])
			} else if ch == '"' {
				inString = false
			}
			continue
		}
		switch {
		case ch == '"':
			inString = true
			out = append(out, ch)
		case bytes.HasPrefix(data[i:], []byte("Infinity")):
			out = append(out, "1.7976931348623157e308"...)
			i += len("Infinity") - 1
		case bytes.HasPrefix(data[i:], []byte("NaN")):
			out = append(out, "null"...)
			i += len("NaN") - 1
		default:
			out = append(out, ch)
		}
	}
	return out
}
