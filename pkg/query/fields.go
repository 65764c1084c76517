package query

import (
	"net/url"
	"strings"

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

// jobLink makes a field a link to the job's page.
func jobLink(f *data.Field) *data.Field {
	return withLink(f, "Open job", jobLinkURL)
}

// nodeLink makes a field a link to the node's page.
func nodeLink(f *data.Field) *data.Field {
	return withLink(f, "Open node", nodeLinkURL)
}

func withLink(f *data.Field, title, url string) *data.Field {
	if f.Config == nil {
		f.Config = &data.FieldConfig{}
	}
	f.Config.Links = append(f.Config.Links, data.DataLink{Title: title, URL: url})
	return f
}

// LinkToCluster points every app page link of the frames at the cluster of
// the data source that answered (var-cluster=<uid>, the app's cluster picker
// value), so a job of a second cluster opens on that cluster's page. Links
// that already choose a cluster are left alone.
func LinkToCluster(frames data.Frames, datasourceUID string) {
	if datasourceUID == "" {
		return
	}
	param := "var-cluster=" + url.QueryEscape(datasourceUID)
	for _, frame := range frames {
		if frame == nil {
			continue
		}
		for _, f := range frame.Fields {
			if f.Config == nil {
				continue
			}
			for i, l := range f.Config.Links {
				if !strings.HasPrefix(l.URL, appPath) || strings.Contains(l.URL, "var-cluster=") {
					continue
				}
				sep := "?"
				if strings.Contains(l.URL, "?") {
					sep = "&"
				}
				f.Config.Links[i].URL = l.URL + sep + param
			}
		}
	}
}
