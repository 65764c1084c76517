package slurm

import (
	"strconv"
	"strings"
)

// ParseTRES parses a TRES string ("cpu=4,mem=4000M,node=1,gres/gpu=1").
// Sizes (mem, vmem, fs/*, bb/*) are converted to MB; unknown suffixes and
// unparsable entries are skipped (the rest of the string still counts).
func ParseTRES(s string) TRES {
	if s == "" {
		return nil
	}
	out := make(TRES, 6)
	for len(s) > 0 {
		var item string
		if i := strings.IndexByte(s, ','); i >= 0 {
			item, s = s[:i], s[i+1:]
		} else {
			item, s = s, ""
		}
		eq := strings.IndexByte(item, '=')
		if eq <= 0 {
			continue
		}
		key, val := item[:eq], item[eq+1:]
		if v, ok := parseSize(val, isSizeTRES(key)); ok {
			out[internTRESKey(key)] = v
		}
	}
	return out
}

func isSizeTRES(key string) bool {
	return key == "mem" || key == "vmem" || strings.HasPrefix(key, "fs/") || strings.HasPrefix(key, "bb/")
}

// common keys are shared strings so 100k jobs do not hold 100k copies of "cpu".
var tresKeys = map[string]string{}

func init() {
	for _, k := range []string{"cpu", "mem", "node", "billing", "gres/gpu", "energy", "vmem", "pages", "fs/disk", "license/matlab", "license/ansys"} {
		tresKeys[k] = k
	}
}

func internTRESKey(k string) string {
	if s, ok := tresKeys[k]; ok {
		return s
	}
	return k
}

// parseSize parses "4000M", "2G", "12"; when size is true the result is MB.
func parseSize(v string, size bool) (int64, bool) {
	if v == "" {
		return 0, false
	}
	mult := 1.0
	if size {
		switch v[len(v)-1] {
		case 'K', 'k':
			mult, v = 1.0/1024, v[:len(v)-1]
		case 'M', 'm':
			v = v[:len(v)-1]
		case 'G', 'g':
			mult, v = 1024, v[:len(v)-1]
		case 'T', 't':
			mult, v = 1024*1024, v[:len(v)-1]
		case 'P', 'p':
			mult, v = 1024*1024*1024, v[:len(v)-1]
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if mult == 1 {
			return n, true
		}
		return int64(float64(n) * mult), true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, false
	}
	return int64(f * mult), true
}

// GPUs returns the gres/gpu count of a TRES map.
func (t TRES) GPUs() int64 { return t["gres/gpu"] }

// gresCount sums the count of the GRES named name in a GRES string such as
// "gpu:a100:2(S:0-1)", "gpu:a100:1(IDX:0)", "gpu:2,mps:100" or the TRES-per
// form "gres/gpu:a100:2" / "gres:gpu:1". Parenthesised detail may contain
// commas ("(IDX:0,2)"), so splitting honours parentheses.
func gresCount(s, name string) int64 {
	var total int64
	depth, start := 0, 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			switch s[i] {
			case '(':
				depth++
				continue
			case ')':
				if depth > 0 {
					depth--
				}
				continue
			case ',':
				if depth > 0 {
					continue
				}
			default:
				continue
			}
		}
		total += gresItemCount(s[start:i], name)
		start = i + 1
	}
	return total
}

func gresItemCount(item, name string) int64 {
	if p := strings.IndexByte(item, '('); p >= 0 {
		item = item[:p]
	}
	item = strings.TrimPrefix(item, "gres/")
	item = strings.TrimPrefix(item, "gres:")
	parts := strings.Split(item, ":")
	if len(parts) == 0 || parts[0] != name {
		return 0
	}
	if len(parts) == 1 {
		return 1
	}
	last := parts[len(parts)-1]
	n, err := strconv.ParseInt(last, 10, 64)
	if err != nil {
		if len(parts) == 2 { // "gpu:a100": a type without count means 1
			return 1
		}
		return 0
	}
	return n
}
