package deploy

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// App pages a dashboard may link to (src/pages of the app: /a/hpc-slurm-app/<page>[/<id>]).
var appPages = map[string]bool{"overview": true, "jobs": true, "partitions": true, "nodes": true, "alerts": true}

const appPathPrefix = "/a/hpc-slurm-app/"

var (
	uidPattern      = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)
	dsVariableRef   = regexp.MustCompile(`^\$\{?([a-zA-Z_][a-zA-Z0-9_]*)\}?$`)
	exprVariableRef = regexp.MustCompile(`\$\{?([a-zA-Z_][a-zA-Z0-9_]*)`)
	// Variables Grafana itself provides to Prometheus queries.
	grafanaBuiltinVars = map[string]bool{
		"__rate_interval": true, "__interval": true, "__interval_ms": true, "__range": true, "__range_s": true,
		"__range_ms": true, "__from": true, "__to": true, "__dashboard": true,
	}
)

func loadDashboards(t *testing.T) []Dashboard {
	t.Helper()
	ds, err := LoadDashboards(RepoRoot())
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) == 0 {
		t.Fatal("no dashboards/*.json found")
	}
	return ds
}

func TestDashboardsHaveUniqueStableUIDsAndTitles(t *testing.T) {
	uids := map[string]string{}
	titles := map[string]string{}
	for _, d := range loadDashboards(t) {
		uid := d.UID()
		if !uidPattern.MatchString(uid) {
			t.Errorf("%s: uid %q must be 1–40 characters of letters, digits, '-' or '_'", d.File, uid)
		}
		if other, dup := uids[uid]; dup {
			t.Errorf("%s: uid %q already used by %s", d.File, uid, other)
		}
		uids[uid] = d.File
		if d.Title() == "" {
			t.Errorf("%s: no title", d.File)
		}
		if other, dup := titles[d.Title()]; dup {
			t.Errorf("%s: title %q already used by %s", d.File, d.Title(), other)
		}
		titles[d.Title()] = d.File
		if _, has := d.Raw["id"]; has && d.Raw["id"] != nil {
			t.Errorf("%s: has a numeric id; bundled dashboards must be identified by uid only", d.File)
		}
		if !hasTag(d, "hpc-slurm") {
			t.Errorf("%s: missing tag hpc-slurm (the dashboards' cross-link dropdown lists that tag)", d.File)
		}
	}
}

func hasTag(d Dashboard, tag string) bool {
	tags, _ := d.Raw["tags"].([]any)
	for _, x := range tags {
		if x == tag {
			return true
		}
	}
	return false
}

// Every query must pick its data source through a data source variable, so that the same
// dashboard works with any Prometheus and any Slurm cluster the operator chooses.
func TestDashboardsReferenceDataSourcesOnlyThroughVariables(t *testing.T) {
	for _, d := range loadDashboards(t) {
		dsVars := map[string]string{} // variable name -> plugin type
		for _, v := range d.Variables() {
			if v["type"] == "datasource" {
				name, _ := v["name"].(string)
				plugin, _ := v["query"].(string)
				dsVars[name] = plugin
			}
		}
		check := func(where string, ref any) {
			typ, uid, ok := DatasourceRef(ref)
			if !ok {
				t.Errorf("%s: %s has no datasource {type, uid} object", d.File, where)
				return
			}
			if typ == "grafana" || typ == "__expr__" || typ == "datasource" {
				return // built-in: annotations, expressions, mixed/dashboard
			}
			m := dsVariableRef.FindStringSubmatch(uid)
			if m == nil {
				t.Errorf("%s: %s uses data source uid %q directly; use a data source variable", d.File, where, uid)
				return
			}
			plugin, ok := dsVars[m[1]]
			if !ok {
				t.Errorf("%s: %s refers to $%s, which is not a data source variable", d.File, where, m[1])
				return
			}
			if plugin != typ {
				t.Errorf("%s: %s has type %q but $%s selects %q data sources", d.File, where, typ, m[1], plugin)
			}
		}
		for _, v := range d.Variables() {
			if v["type"] == "query" {
				check(fmt.Sprintf("variable $%v", v["name"]), v["datasource"])
			}
		}
		for _, p := range d.Panels() {
			if p["type"] == "row" || p["type"] == "text" {
				continue
			}
			where := fmt.Sprintf("panel %q", p["title"])
			check(where, p["datasource"])
			if len(Targets(p)) == 0 {
				t.Errorf("%s: %s has no queries", d.File, where)
			}
			for _, q := range Targets(p) {
				if ref, has := q["datasource"]; has {
					check(fmt.Sprintf("%s query %v", where, q["refId"]), ref)
				}
			}
		}
	}
}

func TestDashboardPanelIDsAreUnique(t *testing.T) {
	for _, d := range loadDashboards(t) {
		seen := map[int]string{}
		for _, p := range d.Panels() {
			idf, ok := p["id"].(float64)
			title, _ := p["title"].(string)
			if !ok || idf < 1 || idf != float64(int(idf)) {
				t.Errorf("%s: panel %q has no positive integer id", d.File, title)
				continue
			}
			id := int(idf)
			if other, dup := seen[id]; dup {
				t.Errorf("%s: panel id %d used by %q and %q", d.File, id, other, title)
			}
			seen[id] = title
			refs := map[string]bool{}
			for _, q := range Targets(p) {
				ref, _ := q["refId"].(string)
				if ref == "" || refs[ref] {
					t.Errorf("%s: panel %q has a query with a missing or repeated refId %q", d.File, title, ref)
				}
				refs[ref] = true
			}
		}
	}
}

func TestDashboardLinksToAppPagesAreWellFormed(t *testing.T) {
	for _, d := range loadDashboards(t) {
		appLinks := 0
		checkURL := func(where, raw string) {
			if !strings.Contains(raw, "/a/") {
				return
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Errorf("%s: %s: link %q does not parse: %v", d.File, where, raw, err)
				return
			}
			if !strings.HasPrefix(u.Path, appPathPrefix) {
				t.Errorf("%s: %s: link %q goes to an app other than hpc-slurm-app", d.File, where, raw)
				return
			}
			page := strings.SplitN(strings.TrimPrefix(u.Path, appPathPrefix), "/", 2)[0]
			if !appPages[page] {
				t.Errorf("%s: %s: link %q names page %q; the app has %v", d.File, where, raw, page, keys(appPages))
			}
			if u.Host != "" || strings.ContainsAny(raw, " \t") {
				t.Errorf("%s: %s: link %q must be a relative path without spaces", d.File, where, raw)
			}
			appLinks++
		}
		links, _ := d.Raw["links"].([]any)
		for _, l := range links {
			lm, _ := l.(map[string]any)
			if u, _ := lm["url"].(string); u != "" {
				checkURL(fmt.Sprintf("dashboard link %q", lm["title"]), u)
			}
		}
		for _, p := range d.Panels() {
			for _, l := range panelLinks(p) {
				lm, _ := l.(map[string]any)
				u, _ := lm["url"].(string)
				if u == "" {
					t.Errorf("%s: panel %q has a link without url", d.File, p["title"])
				}
				checkURL(fmt.Sprintf("panel %q link", p["title"]), u)
			}
		}
		if appLinks == 0 {
			t.Errorf("%s: no link to the app's pages (%s…)", d.File, appPathPrefix)
		}
	}
}

func TestDashboardSlurmQueriesFollowTheQueryModel(t *testing.T) {
	slurmQueries := 0
	for _, d := range loadDashboards(t) {
		for _, p := range d.Panels() {
			for _, q := range Targets(p) {
				typ, _, _ := DatasourceRef(q["datasource"])
				if typ != SlurmDatasourceType {
					continue
				}
				slurmQueries++
				for _, e := range ValidateSlurmQuery(q) {
					t.Errorf("%s: panel %q query %v: %s", d.File, p["title"], q["refId"], e)
				}
			}
		}
	}
	if slurmQueries == 0 {
		t.Error("no dashboard queries the Slurm data source; the overview must")
	}
}

// Every $variable in a PromQL expression must be a dashboard variable or a Grafana built-in,
// or the query would reach Prometheus with a literal "$name" in it.
func TestDashboardPromQLUsesOnlyDefinedVariables(t *testing.T) {
	for _, d := range loadDashboards(t) {
		defined := map[string]bool{}
		for _, v := range d.Variables() {
			name, _ := v["name"].(string)
			defined[name] = true
		}
		for _, q := range DashboardPromQueries(d) {
			if strings.TrimSpace(q.Expr) == "" {
				t.Errorf("%s: %s: empty expression", d.File, q.Where)
			}
			for _, m := range exprVariableRef.FindAllStringSubmatch(q.Expr, -1) {
				if !defined[m[1]] && !grafanaBuiltinVars[m[1]] {
					t.Errorf("%s: %s uses $%s, which the dashboard does not define", d.File, q.Where, m[1])
				}
			}
		}
	}
}

// The app's plugin.json bundles dashboards by path; each such include must exist in dashboards/.
func TestPluginJSONIncludesExistingDashboards(t *testing.T) {
	root := RepoRoot()
	b, err := os.ReadFile(filepath.Join(root, "src", "plugin.json"))
	if os.IsNotExist(err) {
		t.Log("src/plugin.json not present yet: nothing to cross-check")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	var plugin struct {
		Includes []struct {
			Type string `json:"type"`
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"includes"`
	}
	if err := json.Unmarshal(b, &plugin); err != nil {
		t.Fatalf("src/plugin.json: %v", err)
	}
	for _, inc := range plugin.Includes {
		if inc.Type != "dashboard" {
			continue
		}
		if !strings.HasPrefix(inc.Path, "dashboards/") {
			t.Errorf("src/plugin.json: dashboard %q has path %q; bundled dashboards live in dashboards/", inc.Name, inc.Path)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, inc.Path)); err != nil {
			t.Errorf("src/plugin.json: dashboard %q: %s does not exist", inc.Name, inc.Path)
		}
	}
}

// panelLinks returns a panel's links: panel links, and data links of its field config and overrides.
func panelLinks(p map[string]any) []any {
	links, _ := p["links"].([]any)
	fc, _ := p["fieldConfig"].(map[string]any)
	defaults, _ := fc["defaults"].(map[string]any)
	if dl, ok := defaults["links"].([]any); ok {
		links = append(links, dl...)
	}
	overrides, _ := fc["overrides"].([]any)
	for _, o := range overrides {
		om, _ := o.(map[string]any)
		props, _ := om["properties"].([]any)
		for _, pr := range props {
			prm, _ := pr.(map[string]any)
			if prm["id"] == "links" {
				if ol, ok := prm["value"].([]any); ok {
					links = append(links, ol...)
				}
			}
		}
	}
	return links
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// Core panel types of Grafana 12 that the bundled dashboards may use (no external panel plugins).
var corePanelTypes = map[string]bool{
	"row": true, "text": true, "stat": true, "timeseries": true, "table": true, "bargauge": true,
	"gauge": true, "piechart": true, "state-timeline": true, "status-history": true, "barchart": true,
	"heatmap": true, "histogram": true, "logs": true, "nodeGraph": true, "alertlist": true, "dashlist": true,
}

// Panels must use core panel types and sit inside the 24-column grid without overlapping, or
// Grafana silently moves them around.
func TestDashboardPanelsUseCoreTypesAndDoNotOverlap(t *testing.T) {
	type rect struct {
		title      string
		x, y, w, h int
	}
	for _, d := range loadDashboards(t) {
		var placed []rect
		top, _ := d.Raw["panels"].([]any)
		for _, p := range top {
			pm, _ := p.(map[string]any)
			title, _ := pm["title"].(string)
			typ, _ := pm["type"].(string)
			if !corePanelTypes[typ] {
				t.Errorf("%s: panel %q has type %q, not a core Grafana panel", d.File, title, typ)
			}
			gp, _ := pm["gridPos"].(map[string]any)
			num := func(k string) int { f, _ := gp[k].(float64); return int(f) }
			r := rect{title, num("x"), num("y"), num("w"), num("h")}
			if r.w <= 0 || r.h <= 0 || r.x < 0 || r.y < 0 || r.x+r.w > 24 {
				t.Errorf("%s: panel %q has gridPos %+v outside the 24-column grid", d.File, title, gp)
				continue
			}
			for _, o := range placed {
				if r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h {
					t.Errorf("%s: panels %q and %q overlap", d.File, o.title, title)
				}
			}
			placed = append(placed, r)
		}
	}
}
