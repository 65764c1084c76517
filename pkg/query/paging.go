package query

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The paging contract of every table query type (jobs, nodes, job_history,
// the pending table; README.md "Paging"):
//
//   - limit absent or 0: the data source's maxRows — a client sends no limit
//     of its own and gets every row up to the data source's bound;
//   - limit 1…maxRows: at most that many rows; anything else is a 400 naming
//     maxRows;
//   - offset ≥ 0: rows to skip; meta.custom.total says how many matched, so a
//     client can ask for the next page.
//
// maxRows is jsonData.maxRows (DefaultMaxRows when unset), itself at most
// MaxRowsCeiling. It is checked once, when the query is parsed: the frame
// builders trust the page.
const (
	// DefaultMaxRows is the data source's row bound when jsonData.maxRows is
	// unset: a node map gets every node of a 10 000-node cluster.
	DefaultMaxRows = 10000
	// MaxRowsCeiling bounds jsonData.maxRows. Every response stays under the
	// 8 MiB budget (DESIGN.md §8): a jobs row with long names is ~280 bytes
	// in Arrow, so 25000 rows stay under 8 MiB (size_test.go measures it);
	// more rows are paged with offset.
	MaxRowsCeiling = 25000
)

// Page is the server-side paging of a table: at most Limit rows starting at
// Offset.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// check applies the paging contract: it fills the default limit and refuses
// a limit or offset out of bounds. maxRows ≤ 0 means DefaultMaxRows.
func (p *Page) check(maxRows int) error {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	maxRows = min(maxRows, MaxRowsCeiling)
	switch {
	case p.Limit == 0:
		p.Limit = maxRows
	case p.Limit < 0 || p.Limit > maxRows:
		return invalid("limit", "is %d: it must be between 1 and %d (the data source's maxRows); leave it out for %d", p.Limit, maxRows, maxRows)
	}
	if p.Offset < 0 {
		return invalid("offset", "is %d: it must be 0 or more", p.Offset)
	}
	return nil
}

// pageOf cuts one page out of the selected rows.
func pageOf[T any](rows []T, p Page) []T {
	if p.Offset >= len(rows) {
		return nil
	}
	rows = rows[p.Offset:]
	if len(rows) > p.Limit {
		rows = rows[:p.Limit]
	}
	return rows
}

// setTotal records the matched total and the page in the frame's meta, and
// tells the reader when rows are beyond this page.
func setTotal(frame *data.Frame, total int, p Page, shown int) {
	SetCustom(frame, map[string]any{"total": total, "offset": p.Offset, "limit": p.Limit})
	if p.Offset+shown < total {
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityInfo,
			Text: fmt.Sprintf("Showing rows %d–%d of %d: page with offset, or narrow the filters.", p.Offset+1, p.Offset+shown, total)})
	}
}

// SetCustom merges values into the frame's meta.custom map, so the query
// type's figures and the snapshot's freshness sit side by side.
func SetCustom(frame *data.Frame, values map[string]any) {
	if frame.Meta == nil {
		frame.Meta = &data.FrameMeta{}
	}
	custom, _ := frame.Meta.Custom.(map[string]any)
	if custom == nil {
		custom = map[string]any{}
	}
	for k, v := range values {
		custom[k] = v
	}
	frame.Meta.Custom = custom
}
