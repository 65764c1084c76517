package slurm

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bytedance/sonic"
)

// jsonAPI decodes slurmrestd bodies. sonic is several times faster than
// encoding/json on large job lists (bench/README.md); on platforms where its
// JIT is unavailable it falls back to encoding/json with identical results.
// CopyString: the model must not keep the (possibly 100 MB) body alive through
// substrings of it.
var jsonAPI = sonic.Config{CopyString: true}.Froze()

// decodeJSON decodes data into v; failures are Malformed with a short reason.
func decodeJSON(data []byte, v any) error {
	if len(data) == 0 {
		return errors.New("empty body")
	}
	if err := jsonAPI.Unmarshal(data, v); err != nil {
		msg := err.Error()
		// sonic quotes a window of the input; keep errors short.
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		return fmt.Errorf("invalid JSON (%d bytes): %s", len(data), msg)
	}
	return nil
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
	noVal64    = uint64(0xfffffffffffffffe)
	infinite64 = uint64(0xffffffffffffffff)
)

// plainNumber converts a plain integer of the older versions (v0.0.38):
// null/NO_VAL → unset, INFINITE or -1 → unlimited.
func plainNumber(p *int64) Number {
	if p == nil {
		return Number{}
	}
	switch v := *p; {
	case v == -1 || v == infinite || uint64(v) == infinite64:
		return Number{Set: true, Infinite: true}
	case v == noVal || uint64(v) == noVal64:
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

