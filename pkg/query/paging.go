package query

import (
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// DefaultMaxRows is the data source's row ceiling when jsonData.maxRows is
// unset. With the widest table (~30 columns) this stays well under the
// 8 MiB response budget (DESIGN.md §8).
const DefaultMaxRows = 10000

// Page is the server-side paging of a table: at most Limit rows starting at
// Offset. The frame's meta.custom.total says how many rows matched, so a
// client can ask for the next page.
type Page struct {
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// check validates the page against the data source's maximum and fills the
// default limit.
func (p *Page) check(maxRows int) error {
	limit, err := CheckLimit(p.Limit, maxRows)
	if err != nil {
		return err
	}
	p.Limit = limit
	if p.Offset < 0 {
		return invalid("offset", "is %d: it must be 0 or more", p.Offset)
	}
	return nil
}

// CheckLimit validates a row limit against the data source's maximum (0:
// DefaultMaxRows); 0 means the default, min(DefaultLimit, max).
func CheckLimit(limit, maxRows int) (int, error) {
	if maxRows <= 0 {
		maxRows = DefaultMaxRows
	}
	switch {
	case limit == 0:
		return min(DefaultLimit, maxRows), nil
	case limit < 0 || limit > maxRows:
		return 0, invalid("limit", "is %d: it must be between 1 and %d (the data source's maxRows)", limit, maxRows)
	}
	return limit, nil
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
