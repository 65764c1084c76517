package query

import "github.com/grafana/grafana-plugin-sdk-go/data"

// App page paths the tables link to, so a click on a job id or node name
// opens the app's detail page (issue 4 item 2).
const (
	jobLinkURL  = "/a/hpc-slurm-app/jobs/${__value.raw}"
	nodeLinkURL = "/a/hpc-slurm-app/nodes/${__value.raw}"
)

// withConfig sets a field's display name and unit (Grafana unit ids: "s",
// "decmbytes", "percentunit", "none" ...). An empty unit leaves it unset.
func withConfig(f *data.Field, display, unit string) *data.Field {
	cfg := &data.FieldConfig{DisplayNameFromDS: display, Unit: unit}
	if f.Config != nil {
		cfg.Links = f.Config.Links
	}
	f.Config = cfg
	return f
}

// jobLink makes a field a link to the job's page.
func jobLink(f *data.Field) *data.Field {
	return withLink(f, "Job details", jobLinkURL)
}

// nodeLink makes a field a link to the node's page.
func nodeLink(f *data.Field) *data.Field {
	return withLink(f, "Node details", nodeLinkURL)
}

func withLink(f *data.Field, title, url string) *data.Field {
	if f.Config == nil {
		f.Config = &data.FieldConfig{}
	}
	f.Config.Links = append(f.Config.Links, data.DataLink{Title: title, URL: url})
	return f
}
