package query

import (
	"net/url"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// appPath is where Grafana serves the app's pages (src/constants.ts PLUGIN_BASE_URL).
const appPath = "/a/hpc-slurm-app/"

// App page paths the tables link to, so a click on a job id or node name
// opens the app's detail page. Grafana URI-encodes the value (an array
// record's id "1033_[3-6]" included). These are the only links on those
// cells: Grafana 12.4 adds a panel's own links to the data source's, and a
// cell with two links opens a menu instead of the page, so the app's pages
// and dashboards add none of their own.
const (
	jobLinkURL  = appPath + "jobs/${__value.raw}"
	nodeLinkURL = appPath + "nodes/${__value.raw}"
)

// withConfig sets a field's display name and unit (Grafana unit ids: "s",
// "decmbytes", "percentunit", "none" ...). An empty unit leaves it unset.
// The field's name stays what pages, dashboards and alert rules read; the
// display name is what a person reads in a table, in Explore and on a page.
func withConfig(f *data.Field, display, unit string) *data.Field {
	cfg := &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
	if f.Config != nil {
		cfg.Links = f.Config.Links
		cfg.Custom = f.Config.Custom
	}
	f.Config = cfg
	return f
}

// hiddenInTables hides a column that repeats another one in a form for
// programs (state_base and state_flags beside state, the array ids beside the
// job id, a time limit's text beside its minutes): tables, Explore included,
// leave it out unless a panel shows it again. Panels and rules still read it.
func hiddenInTables(f *data.Field) *data.Field {
	if f.Config == nil {
		f.Config = &data.FieldConfig{}
	}
	if f.Config.Custom == nil {
		f.Config.Custom = map[string]any{}
	}
	// Grafana's table (TableNG) hides a field whose custom.hideFrom.viz is true.
	f.Config.Custom["hideFrom"] = map[string]any{"viz": true, "legend": false, "tooltip": false}
	return f
}

// appLinks builds the links of job and node cells to the app's pages on the
// cluster of the data source that answers (var-cluster=<uid>, the value of
// the app's cluster picker), so that every panel, page and Explore opens the
// same page. The only place such a link is built.
type appLinks struct {
	cluster string // the data source's uid; "" (tests): no cluster chosen
}

// job makes a field a link to the job's page.
func (l appLinks) job(f *data.Field) *data.Field {
	return withLink(f, "Open job", l.url(jobLinkURL))
}

// node makes a field a link to the node's page.
func (l appLinks) node(f *data.Field) *data.Field {
	return withLink(f, "Open node", l.url(nodeLinkURL))
}

func (l appLinks) url(page string) string {
	if l.cluster == "" {
		return page
	}
	return page + "?var-cluster=" + url.QueryEscape(l.cluster)
}

func withLink(f *data.Field, title, url string) *data.Field {
	if f.Config == nil {
		f.Config = &data.FieldConfig{}
	}
	f.Config.Links = append(f.Config.Links, data.DataLink{Title: title, URL: url})
	return f
}
