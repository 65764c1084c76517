package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// prometheus is a real Prometheus server started on a loopback port over an imported TSDB.
type prometheus struct {
	cmd     *exec.Cmd
	baseURL string
	logPath string
	done    chan error
}

// freeLoopbackPort asks the kernel for an unused port on 127.0.0.1 (never 9090, the stack's).
func freeLoopbackPort() (int, error) {
	for i := 0; i < 5; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if port != 9090 {
			return port, nil
		}
	}
	return 0, errors.New("no free loopback port")
}

func startPrometheus(binary, dataDir, workDir string, port int) (*prometheus, error) {
	cfg := filepath.Join(workDir, "prometheus.yml")
	// No scrape jobs: the server must only hold the imported series.
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 1h\nscrape_configs: []\n"), 0o644); err != nil {
		return nil, err
	}
	logPath := filepath.Join(workDir, "prometheus.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(binary,
		"--config.file="+cfg,
		"--storage.tsdb.path="+dataDir,
		"--storage.tsdb.retention.time=30d",
		"--web.listen-address="+addr,
		"--query.lookback-delta=5m",
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	stopWithParent(cmd)
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	p := &prometheus{cmd: cmd, baseURL: "http://" + addr, logPath: logPath, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait(); _ = logFile.Close() }()

	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-p.done:
			return nil, fmt.Errorf("prometheus exited during start-up (%v); log: %s", err, logPath)
		default:
		}
		resp, err := http.Get(p.baseURL + "/-/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.stop()
	return nil, fmt.Errorf("prometheus on %s not ready after 60s; log: %s", addr, logPath)
}

// stop sends SIGTERM to our own child and waits for it (SIGKILL after 15 s).
func (p *prometheus) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

type apiResponse struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
}

func (p *prometheus) get(ctx context.Context, path string, params url.Values) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.baseURL+path+"?"+params.Encode(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r apiResponse
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, fmt.Errorf("HTTP %d, undecodable answer: %w", resp.StatusCode, err)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("%s: %s", r.ErrorType, r.Error)
	}
	return r.Data, nil
}

// instantQuery evaluates expr at t and returns how many series (or 1 for a scalar) it yields.
func (p *prometheus) instantQuery(ctx context.Context, expr string, t time.Time) (int, error) {
	data, err := p.get(ctx, "/api/v1/query", url.Values{"query": {expr}, "time": {strconv.FormatInt(t.Unix(), 10)}})
	if err != nil {
		return 0, err
	}
	var d struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return 0, err
	}
	if d.ResultType == "scalar" || d.ResultType == "string" {
		return 1, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(d.Result, &list); err != nil {
		return 0, err
	}
	return len(list), nil
}

// labelValues answers a label_values(selector, label) variable query over [start, end].
func (p *prometheus) labelValues(ctx context.Context, selector, label string, start, end time.Time) ([]string, error) {
	params := url.Values{"start": {strconv.FormatInt(start.Unix(), 10)}, "end": {strconv.FormatInt(end.Unix(), 10)}}
	if selector != "" {
		params.Set("match[]", selector)
	}
	data, err := p.get(ctx, "/api/v1/label/"+url.PathEscape(label)+"/values", params)
	if err != nil {
		return nil, err
	}
	var values []string
	err = json.Unmarshal(data, &values)
	return values, err
}
