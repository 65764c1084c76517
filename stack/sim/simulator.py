#!/usr/bin/env python3
"""Simulated exporters for the local stack and the Docker demo (stack/README.md, "Simulated exporters").

All six Slurm nodes of the stack run on one host without GPUs, BMCs or Kubernetes, so the exporters
the dashboards and the app's pages read have nothing real to report. This process serves what they
would report, tied to what Slurm really does (read from slurmrestd every --refresh seconds), each
series labelled simulated="true":

  /dcgm?target=NODE          dcgm-exporter of NODE (its GPUs, hpc_job = the job holding each)
  /ipmi?target=NODE          the IPMI exporter for NODE's BMC (multi-target, like the real one)
  /cgroup?target=NODE        a per-job cgroup exporter on NODE (jobid label, running jobs only)
  /hwmon?target=NODE         node_exporter's hwmon CPU temperatures of NODE (the host has no sensors)
  /kube-state-metrics        kube-state-metrics of a Kubernetes converged with the Slurm nodes
  /metrics                   the simulator's own state (last refresh from slurmrestd)
  /healthz                   200 while serving

Prometheus scrapes each path once per node with `instance` set to the node name (prometheus/*.yml).
Standard library only. Started by stack/up (stopped by stack/down) and by docker-compose.yaml.
"""
import argparse
import http.server
import os
import pwd
import signal
import sys
import threading
import time
import urllib.parse

import kubernetes
import series
from slurm_state import Cluster, SlurmReader


class State:
    """The last cluster read from Slurm, swapped whole under a lock."""

    def __init__(self, clock=time.time):
        self.clock = clock
        self.started = clock()
        self.lock = threading.Lock()
        self.cluster = Cluster()
        self.refreshed_at = 0.0
        self.last_error = ""

    def set(self, cluster):
        with self.lock:
            self.cluster, self.refreshed_at, self.last_error = cluster, self.clock(), ""

    def failed(self, err):
        with self.lock:
            self.last_error = str(err)

    def snapshot(self):
        with self.lock:
            return self.cluster, self.refreshed_at, self.last_error


def render(state, path, query):
    """(status, body) for a request path and its query parameters."""
    cluster, refreshed_at, last_error = state.snapshot()
    now = state.clock()
    per_node = {"/dcgm": series.dcgm, "/ipmi": series.ipmi, "/cgroup": series.cgroup, "/hwmon": series.hwmon}
    if path in per_node:
        target = (query.get("target") or [""])[0]
        if not target:
            return 400, f"{path} needs ?target=NODE (one of {', '.join(sorted(cluster.nodes)) or 'no node yet'})\n"
        out = per_node[path](cluster, target, now)
        if out is None:
            return 404, f"no Slurm node named {target!r} (known: {', '.join(sorted(cluster.nodes)) or 'none yet'})\n"
        return 200, out.text()
    if path == "/kube-state-metrics":
        return 200, kubernetes.kube_state_metrics(cluster, now, state.started).text()
    if path == "/metrics":
        out = series.Exposition()
        out.add("hpc_simulator_slurm_refresh_timestamp_seconds", {}, refreshed_at,
                help_text="When the simulator last read the cluster from slurmrestd")
        out.add("hpc_simulator_slurm_refresh_failing", {}, 1 if last_error else 0,
                help_text="1 while reading slurmrestd fails (the last good cluster is served)")
        out.add("hpc_simulator_slurm_nodes", {}, len(cluster.nodes), help_text="Slurm nodes known")
        out.add("hpc_simulator_slurm_running_jobs", {}, len(cluster.jobs), help_text="Running Slurm jobs known")
        return 200, out.text()
    if path == "/healthz":
        return 200, f"ok: {len(cluster.nodes)} nodes, {len(cluster.jobs)} running jobs{'; ' + last_error if last_error else ''}\n"
    return 404, "paths: /dcgm, /ipmi, /cgroup, /hwmon (?target=NODE), /kube-state-metrics, /metrics, /healthz\n"


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            url = urllib.parse.urlsplit(self.path)
            status, body = render(state, url.path, urllib.parse.parse_qs(url.query))
            raw = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, fmt, *args):  # scrapes every 15 s would flood the log
            if not str(args[1] if len(args) > 1 else "").startswith("2"):
                sys.stderr.write("simulator: %s\n" % (fmt % args))

    return Handler


def refresh_forever(state, reader, interval, stop):
    while not stop.is_set():
        try:
            state.set(reader.read())
        except Exception as err:  # noqa: BLE001 (any failure: keep serving the last good cluster)
            state.failed(err)
            print(f"simulator: reading slurmrestd failed: {err}", file=sys.stderr, flush=True)
        stop.wait(interval)


def drop_privileges(user):
    """Become `user` (after reading the key, which only root may read on the stack)."""
    pw = pwd.getpwnam(user)
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", default="127.0.0.1:9109", help="address:port to serve on")
    ap.add_argument("--slurmrestd", default="http://127.0.0.1:6820", help="slurmrestd base URL")
    ap.add_argument("--jwt-key-file", required=True, help="the HS256 key slurmctld verifies tokens with")
    ap.add_argument("--slurm-user", default="grafana", help="Slurm user the tokens name (must see every job)")
    ap.add_argument("--refresh", type=float, default=15, help="seconds between reads of slurmrestd")
    ap.add_argument("--run-as", default="", help="user to switch to once the key is read (when started as root)")
    args = ap.parse_args(argv)

    with open(args.jwt_key_file, "rb") as f:
        key = f.read().strip()
    host, _, port = args.listen.rpartition(":")
    server = http.server.ThreadingHTTPServer((host, int(port)), None)
    if args.run_as and os.getuid() == 0:
        drop_privileges(args.run_as)
    state = State()
    server.RequestHandlerClass = make_handler(state)
    stop = threading.Event()
    worker = threading.Thread(target=refresh_forever,
                              args=(state, SlurmReader(args.slurmrestd, key, args.slurm_user), args.refresh, stop),
                              daemon=True)
    worker.start()

    def shutdown(*_):
        stop.set()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    print(f"simulator: serving on {args.listen}, reading {args.slurmrestd} every {args.refresh:g}s", flush=True)
    server.serve_forever()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
