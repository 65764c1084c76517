package deploy

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The compose file, decoded with the fields these checks need.
type composeFile struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string            `yaml:"image"`
	Build       *composeBuild     `yaml:"build"`
	Environment map[string]string `yaml:"environment"`
	Volumes     []string          `yaml:"volumes"`
	DependsOn   map[string]any    `yaml:"-"` // filled by UnmarshalYAML
	Ports       []string          `yaml:"ports"`
}

type composeBuild struct {
	Context    string `yaml:"context"`
	Dockerfile string `yaml:"dockerfile"`
}

// UnmarshalYAML accepts depends_on both as a list and as a map (both are valid compose).
func (s *composeService) UnmarshalYAML(unmarshal func(any) error) error {
	type plain composeService
	var raw struct {
		plain     `yaml:",inline"`
		DependsOn any `yaml:"depends_on"`
	}
	if err := unmarshal(&raw); err != nil {
		return err
	}
	*s = composeService(raw.plain)
	s.DependsOn = map[string]any{}
	switch d := raw.DependsOn.(type) {
	case []any:
		for _, x := range d {
			s.DependsOn[fmt.Sprint(x)] = nil
		}
	case map[string]any:
		s.DependsOn = d
	}
	return nil
}

const composePath = "docker-compose.yaml"

// Our two plugin ids: exactly these may load unsigned.
var unsignedPluginIDs = []string{"hpc-slurm-app", "hpc-slurm-datasource"}

// An exact release tag (v1.2.3, 12.4.10, 1.26.8-bookworm, 12.12-slim) or a digest; never latest/major-only.
var pinnedImage = regexp.MustCompile(`^[a-z0-9./_-]+(:v?\d+\.\d+(\.\d+)?([-.][a-z0-9.]+)*)?(@sha256:[a-f0-9]{64})?$`)

func loadCompose(t *testing.T) composeFile {
	t.Helper()
	var c composeFile
	readYAML(t, composePath, &c)
	if len(c.Services) == 0 {
		t.Fatalf("%s: no services", composePath)
	}
	return c
}

func checkPinned(image string) error {
	if !pinnedImage.MatchString(image) || !(strings.Contains(image, ":") || strings.Contains(image, "@sha256:")) {
		return fmt.Errorf("image %q is not pinned to an exact version tag or digest", image)
	}
	return nil
}

func TestComposeImagesArePinned(t *testing.T) {
	for name, s := range loadCompose(t).Services {
		if s.Build != nil {
			continue // built locally: its Dockerfile's FROM lines are checked below
		}
		if s.Image == "" {
			t.Errorf("service %s: neither image nor build", name)
			continue
		}
		if err := checkPinned(s.Image); err != nil {
			t.Errorf("service %s: %v", name, err)
		}
	}
}

func TestComposeBindMountsAndVolumesExist(t *testing.T) {
	root := RepoRoot()
	c := loadCompose(t)
	for name, s := range c.Services {
		for _, v := range s.Volumes {
			parts := strings.Split(v, ":")
			if len(parts) < 2 {
				t.Errorf("service %s: volume %q has no target", name, v)
				continue
			}
			src := parts[0]
			switch {
			case strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../"):
				p := filepath.Join(root, filepath.FromSlash(src))
				if !strings.HasPrefix(p, root+string(filepath.Separator)) {
					t.Errorf("service %s: bind mount %q leaves the repository", name, src)
				} else if _, err := os.Stat(p); err != nil {
					t.Errorf("service %s: bind mount source %q does not exist in the repository", name, src)
				}
			case strings.HasPrefix(src, "/"):
				t.Errorf("service %s: bind mount of host path %q makes the demo depend on the host", name, src)
			default:
				if _, declared := c.Volumes[src]; !declared {
					t.Errorf("service %s: named volume %q is not declared under volumes:", name, src)
				}
			}
		}
		for dep := range s.DependsOn {
			if _, ok := c.Services[dep]; !ok {
				t.Errorf("service %s depends on unknown service %q", name, dep)
			}
		}
	}
}

func TestComposeBuildsHaveTheirDockerfileAndSources(t *testing.T) {
	root := RepoRoot()
	builds := 0
	for name, s := range loadCompose(t).Services {
		if s.Build == nil {
			continue
		}
		builds++
		ctx := filepath.Join(root, filepath.FromSlash(s.Build.Context))
		if st, err := os.Stat(ctx); err != nil || !st.IsDir() {
			t.Errorf("service %s: build context %q is not a directory of the repository", name, s.Build.Context)
			continue
		}
		df := s.Build.Dockerfile
		if df == "" {
			df = "Dockerfile"
		}
		dfPath := filepath.Join(ctx, filepath.FromSlash(df))
		if r, err := filepath.Rel(ctx, dfPath); err != nil || strings.HasPrefix(r, "..") {
			t.Errorf("service %s: Dockerfile %q lies outside its build context", name, df)
			continue
		}
		ignore, err := loadDockerignore(dfPath, ctx)
		if err != nil {
			t.Errorf("service %s: %v", name, err)
			continue
		}
		instrs, err := parseDockerfile(dfPath)
		if err != nil {
			t.Errorf("service %s: %v", name, err)
			continue
		}
		stages := map[string]bool{}
		for _, in := range instrs {
			where := fmt.Sprintf("service %s: %s:%d", name, s.Build.Dockerfile, in.line)
			switch in.cmd {
			case "FROM":
				image := in.args[0]
				if len(in.args) == 3 && strings.EqualFold(in.args[1], "AS") {
					stages[in.args[2]] = true
				}
				if !stages[image] {
					if err := checkPinned(image); err != nil {
						t.Errorf("%s: %v", where, err)
					}
				}
			case "COPY", "ADD":
				from := in.flags["from"]
				if from != "" {
					if !stages[from] {
						if err := checkPinned(from); err != nil {
							t.Errorf("%s: COPY --from: %v", where, err)
						}
					}
					continue
				}
				for _, src := range in.args[:len(in.args)-1] {
					p := filepath.Join(ctx, filepath.FromSlash(src))
					if _, err := os.Stat(p); err != nil {
						t.Errorf("%s: %s source %q does not exist in the build context", where, in.cmd, src)
						continue
					}
					if src != "." && ignore.excluded(path.Clean(src)) {
						t.Errorf("%s: %s source %q is excluded by the .dockerignore", where, in.cmd, src)
					}
				}
			}
		}
	}
	if builds == 0 {
		t.Error("no service is built from this repository")
	}
}

func TestComposeGrafanaLoadsExactlyOurUnsignedPlugins(t *testing.T) {
	c := loadCompose(t)
	g, ok := c.Services["grafana"]
	if !ok {
		t.Fatal("no grafana service")
	}
	raw, ok := g.Environment["GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS"]
	if !ok {
		t.Fatal("grafana: GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS is not set")
	}
	var got []string
	for _, id := range strings.Split(raw, ",") {
		got = append(got, strings.TrimSpace(id))
	}
	sort.Strings(got)
	if strings.Join(got, ",") != strings.Join(unsignedPluginIDs, ",") {
		t.Errorf("grafana may load unsigned %v; want exactly %v", got, unsignedPluginIDs)
	}
	mounts := map[string]string{}
	for _, v := range g.Volumes {
		parts := strings.Split(v, ":")
		mounts[parts[1]] = parts[0]
	}
	if mounts["/etc/grafana/provisioning"] != "./provisioning" {
		t.Errorf("grafana must mount ./provisioning at /etc/grafana/provisioning, mounts: %v", mounts)
	}
}

// Every ${VAR} that provisioning/ reads must be set for Grafana, or Grafana provisions empty URLs.
func TestComposeGrafanaSetsEveryVariableProvisioningReads(t *testing.T) {
	g := loadCompose(t).Services["grafana"]
	root := RepoRoot()
	startScript, err := os.ReadFile(filepath.Join(root, "docker", "grafana", "start.sh"))
	if err != nil {
		t.Fatal(err)
	}
	vars, err := provisioningEnvVars(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(vars) == 0 {
		t.Fatal("provisioning reads no environment variables; the URLs were expected to come from the environment")
	}
	for _, v := range vars {
		if _, ok := g.Environment[v]; ok {
			continue
		}
		if strings.Contains(string(startScript), "export "+v) {
			continue // set by the Grafana entry point (the JWT key read from the shared volume)
		}
		t.Errorf("provisioning reads $%s but the grafana service does not set it", v)
	}
	// Service URLs must name a compose service.
	c := loadCompose(t)
	urlHost := regexp.MustCompile(`^https?://([^:/]+)`)
	for k, v := range g.Environment {
		if m := urlHost.FindStringSubmatch(v); m != nil && strings.HasPrefix(k, "HPC_") {
			if _, ok := c.Services[m[1]]; !ok {
				t.Errorf("grafana %s=%s: host %q is not a compose service", k, v, m[1])
			}
		}
	}
}

// The demo's Prometheus must find the rule files where its config says they are.
func TestComposePrometheusConfigAndRulesAreMountedTogether(t *testing.T) {
	c := loadCompose(t)
	p, ok := c.Services["prometheus"]
	if !ok {
		t.Fatal("no prometheus service")
	}
	mounts := map[string]string{} // container path -> repo path
	for _, v := range p.Volumes {
		parts := strings.Split(v, ":")
		if strings.HasPrefix(parts[0], "./") {
			mounts[parts[1]] = parts[0]
		}
	}
	const cfgTarget = "/etc/prometheus/prometheus.yml"
	cfgSrc, ok := mounts[cfgTarget]
	if !ok {
		t.Fatalf("prometheus: nothing mounted at %s", cfgTarget)
	}
	var cfg struct {
		RuleFiles     []string       `yaml:"rule_files"`
		ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
		Alerting      struct {
			Alertmanagers []struct {
				StaticConfigs []struct {
					Targets []string `yaml:"targets"`
				} `yaml:"static_configs"`
			} `yaml:"alertmanagers"`
		} `yaml:"alerting"`
	}
	readYAML(t, cfgSrc, &cfg)
	if len(cfg.RuleFiles) == 0 {
		t.Errorf("%s loads no rule files", cfgSrc)
	}
	for _, rf := range cfg.RuleFiles {
		inContainer := path.Join(path.Dir(cfgTarget), rf)
		dir := path.Dir(inContainer)
		src, ok := mounts[dir]
		if !ok {
			t.Errorf("%s: rule_files %q resolves to %s, where nothing is mounted", cfgSrc, rf, dir)
			continue
		}
		matches, _ := filepath.Glob(filepath.Join(RepoRoot(), filepath.FromSlash(src), path.Base(inContainer)))
		if len(matches) == 0 {
			t.Errorf("%s: rule_files %q matches no file in %s", cfgSrc, rf, src)
		}
	}
	for _, sc := range cfg.ScrapeConfigs {
		for _, address := range sc.addresses() {
			host := strings.Split(address, ":")[0]
			if _, ok := c.Services[host]; !ok && host != "localhost" {
				t.Errorf("%s: job %s scrapes %q, which is not a compose service", cfgSrc, sc.JobName, address)
			}
		}
	}
	for _, am := range cfg.Alerting.Alertmanagers {
		for _, sc := range am.StaticConfigs {
			for _, target := range sc.Targets {
				host := strings.Split(target, ":")[0]
				if _, ok := c.Services[host]; !ok {
					t.Errorf("%s: alertmanager target %q is not a compose service", cfgSrc, target)
				}
			}
		}
	}
}

type dockerInstr struct {
	line  int
	cmd   string
	flags map[string]string
	args  []string
}

// parseDockerfile reads instructions (joining continuation lines) with their --flags split off.
func parseDockerfile(file string) ([]dockerInstr, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("Dockerfile: %w", err)
	}
	defer f.Close()
	var out []dockerInstr
	sc := bufio.NewScanner(f)
	n, start := 0, 0
	var buf strings.Builder
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if buf.Len() == 0 && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if buf.Len() == 0 {
			start = n
		}
		if strings.HasSuffix(line, "\\") {
			buf.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		buf.WriteString(line)
		fields := strings.Fields(buf.String())
		buf.Reset()
		in := dockerInstr{line: start, cmd: strings.ToUpper(fields[0]), flags: map[string]string{}}
		for _, a := range fields[1:] {
			if strings.HasPrefix(a, "--") && len(in.args) == 0 {
				kv := strings.SplitN(strings.TrimPrefix(a, "--"), "=", 2)
				if len(kv) == 2 {
					in.flags[kv[0]] = kv[1]
				}
				continue
			}
			in.args = append(in.args, a)
		}
		if len(in.args) == 0 {
			return nil, fmt.Errorf("%s:%d: %s without arguments", file, start, in.cmd)
		}
		out = append(out, in)
	}
	return out, sc.Err()
}

type dockerignore struct{ patterns []string }

// loadDockerignore reads <Dockerfile>.dockerignore (BuildKit's per-Dockerfile file) or the
// context's .dockerignore.
func loadDockerignore(dockerfile, ctx string) (dockerignore, error) {
	for _, p := range []string{dockerfile + ".dockerignore", filepath.Join(ctx, ".dockerignore")} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return dockerignore{}, err
		}
		var d dockerignore
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l != "" && !strings.HasPrefix(l, "#") {
				d.patterns = append(d.patterns, l)
			}
		}
		return d, nil
	}
	return dockerignore{}, nil
}

// excluded applies the patterns in order (the last match wins, "!" re-includes); a pattern also
// matches everything below a directory it matches.
func (d dockerignore) excluded(p string) bool {
	out := false
	for _, pat := range d.patterns {
		neg := strings.HasPrefix(pat, "!")
		pat = strings.TrimSuffix(strings.TrimPrefix(pat, "!"), "/")
		if ignoreMatch(pat, p) {
			out = !neg
		}
	}
	return out
}

func ignoreMatch(pat, p string) bool {
	for q := p; q != "." && q != "/" && q != ""; q = path.Dir(q) {
		if ok, _ := path.Match(pat, q); ok {
			return true
		}
		if strings.HasPrefix(pat, "**/") {
			if ok, _ := path.Match(strings.TrimPrefix(pat, "**/"), path.Base(q)); ok {
				return true
			}
		}
	}
	return false
}
