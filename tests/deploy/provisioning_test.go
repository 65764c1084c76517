package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// provisioningFile is the union of Grafana's provisioning file kinds; each file must hold at
// least one of them.
type provisioningFile struct {
	APIVersion    int                `yaml:"apiVersion"`
	Datasources   []provDatasource   `yaml:"datasources"`
	Apps          []provApp          `yaml:"apps"`
	Providers     []provProvider     `yaml:"providers"`
	ContactPoints []provContactPoint `yaml:"contactPoints"`
	Policies      []provPolicy       `yaml:"policies"`
	Groups        []provRuleGroup    `yaml:"groups"`
}

type provDatasource struct {
	OrgID          int               `yaml:"orgId"`
	Access         string            `yaml:"access"`
	IsDefault      bool              `yaml:"isDefault"`
	Editable       bool              `yaml:"editable"`
	Version        int               `yaml:"version"`
	Name           string            `yaml:"name"`
	UID            string            `yaml:"uid"`
	Type           string            `yaml:"type"`
	URL            string            `yaml:"url"`
	JSONData       map[string]any    `yaml:"jsonData"`
	SecureJSONData map[string]string `yaml:"secureJsonData"`
}

type provApp struct {
	OrgID    int    `yaml:"org_id"`
	Type     string `yaml:"type"`
	Disabled bool   `yaml:"disabled"`
	JSONData struct {
		SlurmDatasourceUids       []string `yaml:"slurmDatasourceUids"`
		PrometheusDatasourceUID   string   `yaml:"prometheusDatasourceUid"`
		AlertmanagerDatasourceUID string   `yaml:"alertmanagerDatasourceUid"`
		NodeMapping               struct {
			Mode  string `yaml:"mode"`
			Label string `yaml:"label"`
			Regex string `yaml:"regex"`
		} `yaml:"nodeMapping"`
	} `yaml:"jsonData"`
}

type provProvider struct {
	OrgID                 int    `yaml:"orgId"`
	DisableDeletion       bool   `yaml:"disableDeletion"`
	AllowUIUpdates        bool   `yaml:"allowUiUpdates"`
	UpdateIntervalSeconds int    `yaml:"updateIntervalSeconds"`
	Name                  string `yaml:"name"`
	Folder                string `yaml:"folder"`
	FolderUID             string `yaml:"folderUid"`
	Type                  string `yaml:"type"`
	Options               struct {
		Path                      string `yaml:"path"`
		FoldersFromFilesStructure bool   `yaml:"foldersFromFilesStructure"`
	} `yaml:"options"`
}

type provContactPoint struct {
	OrgID     int    `yaml:"orgId"`
	Name      string `yaml:"name"`
	Receivers []struct {
		DisableResolveMessage bool           `yaml:"disableResolveMessage"`
		UID                   string         `yaml:"uid"`
		Type                  string         `yaml:"type"`
		Settings              map[string]any `yaml:"settings"`
	} `yaml:"receivers"`
}

type provPolicy struct {
	OrgID          int          `yaml:"orgId"`
	GroupBy        []string     `yaml:"group_by"`
	GroupWait      string       `yaml:"group_wait"`
	GroupInterval  string       `yaml:"group_interval"`
	RepeatInterval string       `yaml:"repeat_interval"`
	ObjectMatchers [][]string   `yaml:"object_matchers"`
	Continue       bool         `yaml:"continue"`
	Receiver       string       `yaml:"receiver"`
	Routes         []provPolicy `yaml:"routes"`
}

type provRuleGroup struct {
	OrgID    int        `yaml:"orgId"`
	Name     string     `yaml:"name"`
	Folder   string     `yaml:"folder"`
	Interval string     `yaml:"interval"`
	Rules    []provRule `yaml:"rules"`
}

type provRule struct {
	UID          string            `yaml:"uid"`
	Title        string            `yaml:"title"`
	Condition    string            `yaml:"condition"`
	Data         []provRuleQuery   `yaml:"data"`
	For          string            `yaml:"for"`
	NoDataState  string            `yaml:"noDataState"`
	ExecErrState string            `yaml:"execErrState"`
	Labels       map[string]string `yaml:"labels"`
	Annotations  map[string]string `yaml:"annotations"`
	IsPaused     bool              `yaml:"isPaused"`
}

type provRuleQuery struct {
	RefID             string         `yaml:"refId"`
	DatasourceUID     string         `yaml:"datasourceUid"`
	RelativeTimeRange map[string]int `yaml:"relativeTimeRange"`
	QueryType         string         `yaml:"queryType"`
	Model             map[string]any `yaml:"model"`
}

// Keys the data source's settings understand (the shared contract).
var slurmJSONDataKeys = map[string]bool{
	"apiVersion": true, "authMode": true, "slurmUser": true, "jwtLifespanSeconds": true,
	"refreshIntervalSeconds": true, "staleLimitSeconds": true, "timeoutSeconds": true,
	"tlsSkipVerify": true, "tlsWithCACert": true,
}
var slurmSecureKeys = map[string]bool{"token": true, "jwtKey": true, "tlsCACert": true}

var (
	envRef     = regexp.MustCompile(`\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)`)
	pureEnvRef = regexp.MustCompile(`^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|^\$__(env|file)\{[^}]+\}$`)
	ruleUID    = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)
)

type provisioning struct {
	files       map[string]provisioningFile
	datasources map[string]provDatasource // by uid
	folders     map[string]bool           // folder titles that providers create
	contacts    map[string]bool
}

func loadProvisioning(t *testing.T) provisioning {
	t.Helper()
	root := RepoRoot()
	p := provisioning{files: map[string]provisioningFile{}, datasources: map[string]provDatasource{},
		folders: map[string]bool{}, contacts: map[string]bool{}}
	err := filepath.WalkDir(filepath.Join(root, "provisioning"), func(file string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		relPath, _ := filepath.Rel(root, file)
		if ext := filepath.Ext(file); ext != ".yaml" && ext != ".yml" {
			return fmt.Errorf("%s: Grafana only reads .yaml/.yml provisioning files", relPath)
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var f provisioningFile
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("%s: %w", relPath, err)
		}
		if f.APIVersion != 1 {
			return fmt.Errorf("%s: apiVersion must be 1, got %d", relPath, f.APIVersion)
		}
		if len(f.Datasources)+len(f.Apps)+len(f.Providers)+len(f.ContactPoints)+len(f.Policies)+len(f.Groups) == 0 {
			return fmt.Errorf("%s: provisions nothing", relPath)
		}
		p.files[relPath] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for file, f := range p.files {
		for _, ds := range f.Datasources {
			if _, dup := p.datasources[ds.UID]; dup {
				t.Errorf("%s: data source uid %q provisioned twice", file, ds.UID)
			}
			p.datasources[ds.UID] = ds
		}
		for _, pr := range f.Providers {
			p.folders[pr.Folder] = true
		}
		for _, cp := range f.ContactPoints {
			p.contacts[cp.Name] = true
		}
	}
	return p
}

// provisioningEnvVars lists the environment variables that provisioning/ files interpolate.
// Only the parts Grafana interpolates count: an alert rule's query models are stored as written
// (Grafana 12.4), and its annotations hold templates, not environment references.
func provisioningEnvVars(root string) ([]string, error) {
	seen := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(root, "provisioning"), func(file string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var node yaml.Node
		if err := yaml.Unmarshal(b, &node); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		walkScalars(&node, "", func(key, value string) {
			if key == "annotations" || key == "model" {
				return
			}
			for _, part := range strings.Split(value, "$$") {
				for _, m := range envRef.FindAllStringSubmatch(part, -1) {
					seen[strings.Trim(m[1], "{}")] = true
				}
			}
		})
		return nil
	})
	var out []string
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out, err
}

// walkScalars calls fn for each scalar value with the nearest enclosing mapping key above it
// that is "annotations" or "model" (or "" otherwise), so callers can skip fields Grafana does not
// interpolate.
func walkScalars(n *yaml.Node, under string, fn func(under, value string)) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walkScalars(c, under, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			next := under
			if k := n.Content[i].Value; k == "annotations" || k == "model" {
				next = k
			}
			walkScalars(n.Content[i+1], next, fn)
		}
	case yaml.ScalarNode:
		fn(under, n.Value)
	}
}

func TestProvisionedDatasourcesFollowTheContract(t *testing.T) {
	p := loadProvisioning(t)
	want := map[string]string{"slurm": SlurmDatasourceType, "prometheus": "prometheus", "alertmanager": "alertmanager"}
	for uid, typ := range want {
		ds, ok := p.datasources[uid]
		if !ok {
			t.Errorf("no data source with uid %q", uid)
			continue
		}
		if ds.Type != typ {
			t.Errorf("data source %q has type %q, want %q", uid, ds.Type, typ)
		}
		if ds.URL == "" {
			t.Errorf("data source %q has no url", uid)
		}
	}
	for uid, ds := range p.datasources {
		for k, v := range ds.SecureJSONData {
			if !pureEnvRef.MatchString(strings.TrimSpace(v)) {
				t.Errorf("data source %q: secureJsonData.%s is written in clear; read it from the environment or a file", uid, k)
			}
		}
		if ds.Type != SlurmDatasourceType {
			continue
		}
		for k := range ds.JSONData {
			if !slurmJSONDataKeys[k] {
				t.Errorf("data source %q: jsonData.%s is not a setting of %s", uid, k, SlurmDatasourceType)
			}
		}
		for k := range ds.SecureJSONData {
			if !slurmSecureKeys[k] {
				t.Errorf("data source %q: secureJsonData.%s is not a secret of %s", uid, k, SlurmDatasourceType)
			}
		}
		switch mode := ds.JSONData["authMode"]; mode {
		case "token", "jwtKey":
			if ds.SecureJSONData[mode.(string)] == "" {
				t.Errorf("data source %q: authMode %s without secureJsonData.%s", uid, mode, mode)
			}
		default:
			t.Errorf("data source %q: authMode %v is not token or jwtKey", uid, mode)
		}
		if u, _ := ds.JSONData["slurmUser"].(string); u == "" {
			t.Errorf("data source %q: jsonData.slurmUser is empty", uid)
		}
	}
	if am := p.datasources["alertmanager"]; am.JSONData["implementation"] != "prometheus" {
		t.Errorf("alertmanager data source: jsonData.implementation = %v, want prometheus", am.JSONData["implementation"])
	}
	if ref, ok := p.datasources["prometheus"].JSONData["alertmanagerUid"].(string); ok {
		if _, exists := p.datasources[ref]; !exists {
			t.Errorf("prometheus data source: alertmanagerUid %q is not provisioned", ref)
		}
	}
}

func TestProvisionedAppNamesProvisionedDatasources(t *testing.T) {
	p := loadProvisioning(t)
	found := false
	for file, f := range p.files {
		for _, app := range f.Apps {
			if app.Type != "hpc-slurm-app" {
				t.Errorf("%s: app %q is not this project's app", file, app.Type)
				continue
			}
			found = true
			if app.Disabled {
				t.Errorf("%s: hpc-slurm-app is provisioned disabled", file)
			}
			j := app.JSONData
			if len(j.SlurmDatasourceUids) == 0 {
				t.Errorf("%s: slurmDatasourceUids is empty", file)
			}
			expectType := func(field, uid, typ string) {
				ds, ok := p.datasources[uid]
				if !ok {
					t.Errorf("%s: %s %q is not a provisioned data source", file, field, uid)
				} else if ds.Type != typ {
					t.Errorf("%s: %s %q is a %s data source, want %s", file, field, uid, ds.Type, typ)
				}
			}
			for _, uid := range j.SlurmDatasourceUids {
				expectType("slurmDatasourceUids", uid, SlurmDatasourceType)
			}
			expectType("prometheusDatasourceUid", j.PrometheusDatasourceUID, "prometheus")
			expectType("alertmanagerDatasourceUid", j.AlertmanagerDatasourceUID, "alertmanager")
			switch j.NodeMapping.Mode {
			case "uname":
			case "label":
				if j.NodeMapping.Label == "" {
					t.Errorf("%s: nodeMapping mode label without a label", file)
				}
			case "regex":
				if _, err := regexp.Compile(j.NodeMapping.Regex); err != nil || j.NodeMapping.Regex == "" {
					t.Errorf("%s: nodeMapping regex %q does not compile: %v", file, j.NodeMapping.Regex, err)
				}
			default:
				t.Errorf("%s: nodeMapping.mode %q is not uname, label or regex", file, j.NodeMapping.Mode)
			}
		}
	}
	if !found {
		t.Error("hpc-slurm-app is not provisioned")
	}
}

// The dashboards provider must read the dashboards/ directory the Grafana service mounts: its
// path comes from the environment, which the demo's Grafana entry point defaults.
func TestDashboardProviderReadsTheMountedDashboards(t *testing.T) {
	p := loadProvisioning(t)
	g := loadCompose(t).Services["grafana"]
	mounts := map[string]string{}
	for _, v := range g.Volumes {
		parts := strings.Split(v, ":")
		mounts[parts[1]] = parts[0]
	}
	env := map[string]string{}
	for k, v := range g.Environment {
		env[k] = v
	}
	for k, v := range grafanaEntrypointEnv(t, g.Environment) {
		env[k] = v
	}
	n := 0
	for file, f := range p.files {
		for _, pr := range f.Providers {
			n++
			if !pureEnvRef.MatchString(pr.Options.Path) {
				t.Errorf("%s: provider %q reads %q; take the path from the environment like the other provisioning values", file, pr.Name, pr.Options.Path)
			}
			path := os.Expand(pr.Options.Path, func(k string) string { return env[k] })
			src, ok := mounts[path]
			if !ok {
				t.Errorf("%s: provider %q reads %q (%s in the demo), which the grafana service does not mount", file, pr.Name, pr.Options.Path, path)
				continue
			}
			if src != "./dashboards" {
				t.Errorf("%s: provider %q reads %s, mounted from %s instead of ./dashboards", file, pr.Name, path, src)
			}
		}
	}
	if n == 0 {
		t.Error("no dashboards provider")
	}
}

// grafanaEntrypointEnv runs the demo Grafana's entry point (docker/grafana/start.sh) with the
// compose environment and a stand-in for the image's run script, and returns the HPC_* variables
// the entry point hands to Grafana.
func grafanaEntrypointEnv(t *testing.T, compose map[string]string) map[string]string {
	t.Helper()
	dir := t.TempDir()
	run := filepath.Join(dir, "run.sh")
	if err := os.WriteFile(run, []byte("#!/bin/sh\nenv\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "jwt_hs256.key")
	if err := os.WriteFile(key, []byte(fakeKey), 0o444); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", filepath.Join(RepoRoot(), "docker", "grafana", "start.sh"))
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HPC_GRAFANA_RUN=" + run}
	for k, v := range compose {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, "HPC_SLURM_JWT_KEY_FILE="+key)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("docker/grafana/start.sh: %v\n%s", err, out)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && strings.HasPrefix(k, "HPC_") {
			env[k] = v
		}
	}
	return env
}

// Rules and dashboards must land in one folder, on a fresh database and after restarts. Grafana
// 12.4 provisions alert rules before dashboards; a rule group names its folder by title (a path
// split on '/'), and the rule provisioner finds the folder by that title or creates it with a
// random uid. A dashboards provider finds its folder by folderUid when one is set (creating it with
// that uid when missing: a second folder of the same title on a fresh database), else by title.
// So the provider must name the rules' folder by title and set no folderUid.
func TestRulesAndDashboardsShareOneFolder(t *testing.T) {
	p := loadProvisioning(t)
	providerFolders := map[string]bool{}
	for file, f := range p.files {
		for _, pr := range f.Providers {
			if pr.FolderUID != "" {
				t.Errorf("%s: provider %q sets folderUid %q: Grafana looks the folder up by that uid and, on a fresh database, "+
					"creates a second %q folder beside the one the alert rules were provisioned into", file, pr.Name, pr.FolderUID, pr.Folder)
			}
			if pr.Folder == "" || strings.Contains(pr.Folder, "/") {
				t.Errorf("%s: provider %q folder %q must be a plain title (rule groups read '/' as nesting)", file, pr.Name, pr.Folder)
			}
			providerFolders[pr.Folder] = true
		}
	}
	ruleFolders := map[string]bool{}
	for file, f := range p.files {
		for _, g := range f.Groups {
			ruleFolders[g.Folder] = true
			if !providerFolders[g.Folder] {
				t.Errorf("%s: rule group %q is in folder %q, which is not the dashboards' folder", file, g.Name, g.Folder)
			}
		}
	}
	if len(ruleFolders) != 1 || len(providerFolders) != 1 {
		t.Errorf("rules use folders %v and dashboards %v; the HPC console keeps both in one", ruleFolders, providerFolders)
	}
}

func TestProvisionedNotificationPoliciesRouteToContactPoints(t *testing.T) {
	p := loadProvisioning(t)
	if len(p.contacts) == 0 {
		t.Fatal("no contact point provisioned")
	}
	var walk func(file string, pol provPolicy)
	walk = func(file string, pol provPolicy) {
		if pol.Receiver != "" && !p.contacts[pol.Receiver] {
			t.Errorf("%s: policy routes to %q, which is not a provisioned contact point", file, pol.Receiver)
		}
		for _, r := range pol.Routes {
			walk(file, r)
		}
	}
	policies := 0
	for file, f := range p.files {
		for _, cp := range f.ContactPoints {
			for _, r := range cp.Receivers {
				if r.UID == "" || r.Type == "" {
					t.Errorf("%s: contact point %q has a receiver without uid or type", file, cp.Name)
				}
				if r.Type == "prometheus-alertmanager" && r.Settings["url"] == nil {
					t.Errorf("%s: contact point %q: Alertmanager receiver without url", file, cp.Name)
				}
			}
		}
		for _, pol := range f.Policies {
			policies++
			if pol.Receiver == "" {
				t.Errorf("%s: the root policy needs a receiver", file)
			}
			walk(file, pol)
		}
	}
	if policies == 0 {
		t.Error("no notification policy provisioned")
	}
}

func TestProvisionedAlertRulesAreWellFormed(t *testing.T) {
	p := loadProvisioning(t)
	dashboards := map[string]map[int]bool{} // uid -> panel ids
	for _, d := range loadDashboards(t) {
		ids := map[int]bool{}
		for _, pn := range d.Panels() {
			if id, ok := pn["id"].(float64); ok {
				ids[int(id)] = true
			}
		}
		dashboards[d.UID()] = ids
	}
	uids := map[string]string{}
	rules := 0
	for file, f := range p.files {
		for _, g := range f.Groups {
			if !p.folders[g.Folder] {
				t.Errorf("%s: group %q is in folder %q, which no dashboards provider creates", file, g.Name, g.Folder)
			}
			if d, err := time.ParseDuration(g.Interval); err != nil || d < 10*time.Second || d%(10*time.Second) != 0 {
				t.Errorf("%s: group %q interval %q must be a multiple of 10s", file, g.Name, g.Interval)
			}
			for _, r := range g.Rules {
				rules++
				for _, e := range checkRule(r, p, dashboards) {
					t.Errorf("%s: rule %q: %s", file, r.UID, e)
				}
				if other, dup := uids[r.UID]; dup {
					t.Errorf("%s: rule uid %q already used in %s", file, r.UID, other)
				}
				uids[r.UID] = file
			}
		}
	}
	if rules == 0 {
		t.Error("no alert rules provisioned")
	}
}
