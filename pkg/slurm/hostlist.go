package slurm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// No maintained Go hostlist library exists; this is a small expander for
// Slurm's compressed host lists, fuzz-tested (FuzzExpandHostlist). The model
// keeps lists compressed; expand only when a caller needs node names.

// MaxHostlistExpansion bounds ExpandHostlist's output so a hostile or broken
// list ("n[0-999999999]") cannot exhaust memory.
const MaxHostlistExpansion = 1 << 20

// ExpandHostlist expands "node[01-03,07],gpu[1-2]-ib" into its host names, in
// order. Ranges keep the zero padding of their lower bound. Several bracket
// groups in one name multiply ("r[1-2]n[1-2]" → r1n1 r1n2 r2n1 r2n2).
func ExpandHostlist(list string) ([]string, error) {
	return ExpandHostlistMax(list, MaxHostlistExpansion)
}

// ExpandHostlistMax is ExpandHostlist with a smaller bound: a list that would
// expand to more than max names fails (errors.Is ErrHostlistTooLong) without
// producing them, so a hostile "n[0-99999999]" costs nothing.
func ExpandHostlistMax(list string, max int) ([]string, error) {
	max = min(max, MaxHostlistExpansion)
	var out []string
	for _, item := range splitTopLevel(list) {
		if item == "" {
			continue
		}
		names, err := expandItem(item, max-len(out))
		if errors.Is(err, errTooManyNames) {
			return nil, fmt.Errorf("hostlist %q expands to more than %d names: %w", truncate(list, 80), max, ErrHostlistTooLong)
		}
		if err != nil {
			return nil, fmt.Errorf("hostlist %q: %w", truncate(list, 80), err)
		}
		out = append(out, names...)
	}
	return out, nil
}

// ErrHostlistTooLong: the list names more hosts than the bound allows.
var ErrHostlistTooLong = errors.New("too many names")

var errTooManyNames = errors.New("too many names")

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// splitTopLevel splits on commas outside brackets.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[':
			depth++
		case ']':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	return append(out, strings.TrimSpace(s[start:]))
}

func expandItem(item string, budget int) ([]string, error) {
	open := strings.IndexByte(item, '[')
	if open < 0 {
		if strings.IndexByte(item, ']') >= 0 {
			return nil, fmt.Errorf("unbalanced ']' in %q", item)
		}
		if budget < 1 {
			return nil, errTooManyNames
		}
		return []string{item}, nil
	}
	closeIdx := strings.IndexByte(item[open:], ']')
	if closeIdx < 0 {
		return nil, fmt.Errorf("unclosed '[' in %q", item)
	}
	closeIdx += open
	prefix, body, rest := item[:open], item[open+1:closeIdx], item[closeIdx+1:]
	if strings.IndexByte(prefix, ']') >= 0 {
		return nil, fmt.Errorf("unbalanced ']' in %q", item)
	}
	if strings.IndexByte(body, '[') >= 0 {
		return nil, fmt.Errorf("nested '[' in %q", item)
	}
	values, err := expandRanges(body, budget)
	if err != nil {
		return nil, err
	}
	tails := []string{""}
	if rest != "" {
		per := budget / len(values)
		if per < 1 {
			return nil, errTooManyNames
		}
		if tails, err = expandItem(rest, per); err != nil {
			return nil, err
		}
	}
	if len(values)*len(tails) > budget {
		return nil, errTooManyNames
	}
	out := make([]string, 0, len(values)*len(tails))
	for _, v := range values {
		for _, tail := range tails {
			out = append(out, prefix+v+tail)
		}
	}
	return out, nil
}

// expandRanges expands "01-03,07" into ["01","02","03","07"].
func expandRanges(body string, budget int) ([]string, error) {
	if body == "" {
		return nil, fmt.Errorf("empty brackets")
	}
	var out []string
	for _, part := range strings.Split(body, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isDigits(lo) || (isRange && !isDigits(hi)) {
			return nil, fmt.Errorf("range %q: want N or N-M with digits", part)
		}
		if len(lo) > 18 || len(hi) > 18 {
			return nil, fmt.Errorf("range %q: number too long", part)
		}
		a, _ := strconv.ParseInt(lo, 10, 64)
		b := a
		if isRange {
			b, _ = strconv.ParseInt(hi, 10, 64)
		}
		if b < a {
			return nil, fmt.Errorf("range %q goes backwards", part)
		}
		if b-a+1 > int64(budget-len(out)) {
			return nil, errTooManyNames
		}
		width := len(lo)
		for n := a; n <= b; n++ {
			s := strconv.FormatInt(n, 10)
			if len(s) < width {
				s = strings.Repeat("0", width-len(s)) + s
			}
			out = append(out, s)
		}
	}
	return out, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
