package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// GrafanaVersion is the Grafana release the load generator presents itself
// as (user agent, GF_VERSION), the oldest the app supports.
const GrafanaVersion = "12.4.0"

// maxMessageBytes is what the load generator accepts in one gRPC answer,
// like Grafana's plugin client (gRPC's default of 4 MiB would refuse a page
// of 10 000 nodes).
const maxMessageBytes = 64 << 20

// Plugin is the built backend binary, started and spoken to the way Grafana
// does it: hashicorp/go-plugin's handshake (protocol version 2, the SDK's
// magic cookie), gRPC only, and the SDK's own plugin definitions for the
// client side of the data, diagnostics and resource services.
type Plugin struct {
	client *goplugin.Client
	data   grpcplugin.DataClient
	diag   grpcplugin.DiagnosticsClient
	pid    int
}

// StartPlugin launches binary. Its log (hclog JSON lines on stderr, as
// Grafana reads them) goes to logTo. env is the environment Grafana would
// give it besides go-plugin's own variables.
func StartPlugin(binary string, env []string, logTo io.Writer) (*Plugin, error) {
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("the plugin binary %s is missing (build it with `go tool mage -v build:linux`): %w", binary, err)
	}
	cmd := exec.Command(binary) // #nosec G204 -- the binary the operator of the benchmark names
	cmd.Env = env
	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{
			grpcplugin.ProtocolVersion: {
				"data":        &grpcplugin.DataGRPCPlugin{},
				"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
				"resource":    &grpcplugin.ResourceGRPCPlugin{},
			},
		},
		Cmd:              cmd,
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		GRPCDialOptions: []grpc.DialOption{
			grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(maxMessageBytes)),
		},
		Logger: hclog.New(&hclog.LoggerOptions{Name: "plugin", Output: logTo, Level: hclog.Info, JSONFormat: true}),
	})
	rpc, err := client.Client()
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("starting the plugin: %w", err)
	}
	p := &Plugin{client: client}
	raw, err := rpc.Dispense("data")
	if err != nil {
		client.Kill()
		return nil, err
	}
	p.data = raw.(grpcplugin.DataClient)
	if raw, err = rpc.Dispense("diagnostics"); err != nil {
		client.Kill()
		return nil, err
	}
	p.diag = raw.(grpcplugin.DiagnosticsClient)
	if rc := client.ReattachConfig(); rc != nil && rc.Pid > 0 {
		p.pid = rc.Pid
	} else {
		client.Kill()
		return nil, errors.New("the plugin process id is unknown")
	}
	return p, nil
}

// Stop ends the plugin process the way Grafana does on shutdown.
func (p *Plugin) Stop() { p.client.Kill() }

// Pid is the plugin process's id.
func (p *Plugin) Pid() int { return p.pid }

// QueryData sends one request as Grafana does (the SDK's conversion of its
// request types to the protocol's).
func (p *Plugin) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*pluginv2.QueryDataResponse, error) {
	return p.data.QueryData(ctx, backend.ToProto().QueryDataRequest(req))
}

// CheckHealth asks the health check of the data source in pctx.
func (p *Plugin) CheckHealth(ctx context.Context, pctx backend.PluginContext) (*pluginv2.CheckHealthResponse, error) {
	return p.diag.CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: backend.ToProto().PluginContext(pctx)})
}

// Memory is the plugin process's resident memory, from /proc.
type Memory struct {
	RSS  int64 // VmRSS: now
	Peak int64 // VmHWM: the most since the process started
}

// Memory reads /proc/<pid>/status.
func (p *Plugin) Memory() (Memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.pid))
	if err != nil {
		return Memory{}, err
	}
	defer f.Close()
	var m Memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch k {
		case "VmRSS":
			m.RSS = kB(v)
		case "VmHWM":
			m.Peak = kB(v)
		}
	}
	return m, sc.Err()
}

// kB reads "  123456 kB" as bytes.
func kB(v string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
	return n << 10
}
