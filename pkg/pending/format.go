package pending

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

func minutes(m int64) time.Duration { return time.Duration(m) * time.Minute }

// duration writes minutes as Slurm's users read them: "45m", "12h", "1d 4h 30m".
func duration(m int64) string {
	if m <= 0 {
		return "0m"
	}
	d, h, mm := m/1440, (m%1440)/60, m%60
	var parts []string
	if d > 0 {
		parts = append(parts, strconv.FormatInt(d, 10)+"d")
	}
	if h > 0 {
		parts = append(parts, strconv.FormatInt(h, 10)+"h")
	}
	if mm > 0 {
		parts = append(parts, strconv.FormatInt(mm, 10)+"m")
	}
	return strings.Join(parts, " ")
}

// stamp is a time as the summaries write it (UTC: the backend does not know
// the viewer's zone; the pages format the typed times themselves).
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// memory writes MB as MB below 10 GB and GB above.
func memory(mb int64) string {
	if mb >= 10*1024 {
		return strconv.FormatFloat(float64(mb)/1024, 'f', 1, 64) + " GB"
	}
	return strconv.FormatInt(mb, 10) + " MB"
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}

func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// tresUnit names what a TRES key counts.
func tresUnit(key string) string {
	switch {
	case key == "cpu":
		return "CPUs"
	case key == "mem":
		return "MB"
	case key == "node":
		return "nodes"
	case key == "gres/gpu" || strings.HasPrefix(key, "gres/gpu:"):
		return "GPUs"
	case key == "billing":
		return "billing units"
	case key == "energy":
		return "joules"
	case strings.HasPrefix(key, "license/"):
		return key[len("license/"):] + " licenses"
	case strings.HasPrefix(key, "bb/"):
		return "MB of burst buffer"
	}
	return key
}

// tresAmount writes a TRES amount with its unit ("4 CPUs", "2000 MB").
func tresAmount(key string, v int64) string {
	if key == "mem" {
		return memory(v)
	}
	return strconv.FormatInt(v, 10) + " " + tresUnit(key)
}
