"""Tests of the simulated exporters: python3 -m unittest discover -s stack/sim (scripts/test-all.sh).

The cluster comes from real slurmrestd answers the project recorded on its seeded local stack
(pkg/slurm/testdata/22.05.8), so the parsing is checked against what slurmrestd really sends.
"""
import base64
import hashlib
import hmac
import json
import os
import re
import threading
import unittest
import urllib.error
import urllib.request

import kubernetes
import series
import simulator
from slurm_state import Cluster, expand_hostlist, gpu_count, gpu_indices, mint_token, parse_jobs, parse_nodes

RECORDED = os.path.join(os.path.dirname(__file__), "..", "..", "pkg", "slurm", "testdata", "22.05.8", "v0.0.38")
NOW = 1795920000.0  # a few minutes after the recorded jobs started
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\} (-?[0-9.e+]+)$')


def recorded_cluster():
    with open(os.path.join(RECORDED, "nodes.json")) as f:
        nodes = parse_nodes(json.load(f))
    with open(os.path.join(RECORDED, "jobs.json")) as f:
        jobs = parse_jobs(json.load(f))
    return Cluster(nodes=nodes, jobs=jobs)


def samples(text):
    """{(name, frozenset(labels)): value}; fails on any line that is not the text format."""
    out = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError(f"not a Prometheus sample line: {line!r}")
        labels = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2)))
        out[(m.group(1), frozenset(labels.items()))] = float(m.group(3))
    return out


def by_name(text, name):
    return [(dict(k[1]), v) for k, v in samples(text).items() if k[0] == name]


class SlurmStateTest(unittest.TestCase):
    def test_hostlists_and_gres(self):
        self.assertEqual(expand_hostlist("node[03-04]"), ["node03", "node04"])
        self.assertEqual(expand_hostlist("node[01,05-06],login1"), ["node01", "node05", "node06", "login1"])
        self.assertEqual(expand_hostlist("node05"), ["node05"])
        self.assertEqual(expand_hostlist(""), [])
        self.assertEqual(gpu_indices("gpu:a100:2(IDX:0-1)"), [0, 1])
        self.assertEqual(gpu_indices("gpu:a100:3(IDX:0,2-3)"), [0, 2, 3])
        self.assertEqual(gpu_indices("gpu:0"), [])
        self.assertEqual(gpu_count("gpu:a100:2"), (2, "a100"))
        self.assertEqual(gpu_count("gpu:4(S:0-1)"), (4, ""))
        self.assertEqual(gpu_count(""), (0, ""))

    def test_recorded_nodes_and_running_jobs(self):
        c = recorded_cluster()
        self.assertEqual(sorted(c.nodes), [f"node0{i}" for i in range(1, 7)])
        self.assertEqual((c.nodes["node05"].gpus, c.nodes["node05"].gpu_model, c.nodes["node01"].gpus), (2, "a100", 0))
        self.assertEqual(c.nodes["node02"].load, 1.0)
        jobs = {j.job_id: j for j in c.jobs}
        # Only RUNNING jobs, with their CPUs per node from job_resources and GPUs from gres_detail.
        self.assertEqual(sorted(jobs), [1005, 1006, 1007, 1008, 1011, 1012, 1018, 1019])
        self.assertEqual(jobs[1006].cpus, {"node03": 4, "node04": 4})
        self.assertEqual(jobs[1007].memory_mb, {"node01": 2048})
        self.assertEqual(jobs[1011].gpus, {"node05": [0]})
        self.assertEqual(jobs[1012].gpus, {"node06": [0, 1]})
        self.assertEqual(jobs[1018].gpus, {})
        self.assertIs(c.gpu_holder("node06", 1), jobs[1012])
        self.assertIsNone(c.gpu_holder("node05", 1))

    def test_token_is_a_jwt_slurm_accepts(self):
        key = b"0123456789abcdef" * 4
        token = mint_token(key, "grafana", 300, 1000)
        header, claims, signature = token.split(".")
        want = base64.urlsafe_b64encode(hmac.new(key, f"{header}.{claims}".encode(), hashlib.sha256).digest())
        self.assertEqual(signature.encode(), want.rstrip(b"="))
        body = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        self.assertEqual(body, {"sun": "grafana", "iat": 1000, "exp": 1300})


class SeriesTest(unittest.TestCase):
    def setUp(self):
        self.cluster = recorded_cluster()

    def test_every_series_is_marked_simulated(self):
        texts = [series.dcgm(self.cluster, "node05", NOW).text(), series.ipmi(self.cluster, "node01", NOW).text(),
                 series.cgroup(self.cluster, "node03", NOW).text(), series.hwmon(self.cluster, "node02", NOW).text(),
                 kubernetes.kube_state_metrics(self.cluster, NOW, NOW - 3600).text()]
        for text in texts:
            keys = samples(text)
            self.assertTrue(keys)
            for name, labels in keys:
                self.assertIn(("simulated", "true"), labels, name)

    def test_gpus_held_by_jobs_are_busy_and_labelled_with_the_job(self):
        util = {(l["Hostname"], l["gpu"]): (l.get("hpc_job"), v)
                for node in ("node05", "node06") for l, v in by_name(series.dcgm(self.cluster, node, NOW).text(), "DCGM_FI_DEV_GPU_UTIL")}
        self.assertEqual(sorted(util), [("node05", "0"), ("node05", "1"), ("node06", "0"), ("node06", "1")])
        self.assertEqual(util[("node05", "1")], (None, 0))
        for gpu, job in ((("node05", "0"), "1011"), (("node06", "0"), "1012"), (("node06", "1"), "1012")):
            self.assertEqual(util[gpu][0], job)
            self.assertGreaterEqual(util[gpu][1], 30)
        power = {l["gpu"]: v for l, v in by_name(series.dcgm(self.cluster, "node05", NOW).text(), "DCGM_FI_DEV_POWER_USAGE")}
        self.assertGreater(power["0"], power["1"] + 50)
        self.assertEqual(series.dcgm(self.cluster, "node01", NOW).text().strip(), "")  # no GPUs there
        self.assertIsNone(series.dcgm(self.cluster, "node99", NOW))

    def test_per_job_series_only_for_running_jobs_and_cpu_time_only_grows(self):
        text = series.cgroup(self.cluster, "node01", NOW).text()
        self.assertEqual(sorted({l["jobid"] for l, _ in by_name(text, "cgroup_cpus")}), ["1007", "1008"])
        self.assertEqual(series.cgroup(self.cluster, "node02", NOW).text().count("cgroup_cpus{"), 1)
        start = next(j for j in self.cluster.jobs if j.job_id == 1006).start_time
        previous = -1.0
        for t in range(start, start + 3600, 37):
            [(_, v)] = [x for x in by_name(series.cgroup(self.cluster, "node03", t).text(), "cgroup_cpu_total_seconds")]
            self.assertGreaterEqual(v, previous)
            previous = v
        # An hour of 4 CPUs at an efficiency between 30 % and 98 %.
        self.assertTrue(0.3 * 4 * 3600 * 0.9 < previous < 0.98 * 4 * 3600 * 1.1, previous)
        rss = by_name(text, "cgroup_memory_rss_bytes")[0][1]
        limit = by_name(text, "cgroup_memory_total_bytes")[0][1]
        self.assertLess(rss, limit)

    def test_bmc_follows_the_allocation(self):
        busy = {l["name"]: v for l, v in by_name(series.ipmi(self.cluster, "node02", NOW).text(), "ipmi_temperature_celsius")}
        self.cluster.nodes["node02"].alloc_cpus = 0
        idle = {l["name"]: v for l, v in by_name(series.ipmi(self.cluster, "node02", NOW).text(), "ipmi_temperature_celsius")}
        self.assertGreater(busy["CPU1 Temp"], idle["CPU1 Temp"] + 20)
        package = {l["chip"]: v for l, v in by_name(series.hwmon(self.cluster, "node02", NOW).text(), "node_hwmon_temp_celsius")
                   if l["sensor"] == "temp1"}
        self.assertEqual(package["platform_coretemp_0"], idle["CPU1 Temp"])  # the BMC and hwmon agree
        gpu_node = by_name(series.ipmi(self.cluster, "node06", NOW).text(), "ipmi_power_watts")[0][1]
        self.assertGreater(gpu_node, 500)  # two busy A100s
        fans = {l["name"]: v for l, v in by_name(series.ipmi(self.cluster, "node04", NOW).text(), "ipmi_fan_speed_state")}
        self.assertEqual(fans, {"FAN1": 0, "FAN2": 1, "FAN3": 0, "FAN4": 0})

    def test_kubernetes_follows_slurm(self):
        text = kubernetes.kube_state_metrics(self.cluster, NOW, NOW - 3 * 1200 - 5)
        phases = {(l["pod"], l["phase"]): v for l, v in by_name(text.text(), "kube_pod_status_phase")}
        # No node has two free GPUs (train_big holds node06's, train_small one of node05's).
        self.assertEqual(phases[("inference-0", "Pending")], 1)
        self.cluster.jobs = [j for j in self.cluster.jobs if j.job_id != 1012]
        text = kubernetes.kube_state_metrics(self.cluster, NOW, NOW - 3 * 1200 - 5).text()
        info = {l["pod"]: l["node"] for l, _ in by_name(text, "kube_pod_info")}
        self.assertEqual(info["inference-0"], "node06")
        restarts = {l["pod"]: v for l, v in by_name(text, "kube_pod_container_status_restarts_total")}
        self.assertEqual(restarts["model-sync-7f8d6c9b4-qz5nd"], 3)
        self.cluster.nodes["node03"].responding = False
        ready = {(l["node"], l["status"]): v for l, v in
                 by_name(kubernetes.kube_state_metrics(self.cluster, NOW, NOW).text(), "kube_node_status_condition")}
        self.assertEqual((ready[("node03", "true")], ready[("node03", "false")], ready[("node01", "true")]), (0, 1, 1))
        requests = {(l["pod"], l["resource"]): v for l, v in by_name(text, "kube_pod_container_resource_requests")}
        self.assertEqual(requests[("slurmd-node02", "cpu")], 4)


class ServerTest(unittest.TestCase):
    def setUp(self):
        self.state = simulator.State(clock=lambda: NOW)
        self.server = simulator.http.server.ThreadingHTTPServer(("127.0.0.1", 0), simulator.make_handler(self.state))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def get(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def test_paths(self):
        status, body = self.get("/dcgm?target=node05")
        self.assertEqual((status, body), (404, "no Slurm node named 'node05' (known: none yet)\n"))
        self.state.set(recorded_cluster())
        status, body = self.get("/dcgm?target=node05")
        self.assertEqual(status, 200)
        self.assertEqual(len(by_name(body, "DCGM_FI_DEV_GPU_TEMP")), 2)
        self.assertEqual(self.get("/ipmi")[0], 400)
        self.assertIn("node99", self.get("/cgroup?target=node99")[1])
        self.assertEqual(self.get("/kube-state-metrics")[0], 200)
        self.assertEqual(by_name(self.get("/metrics")[1], "hpc_simulator_slurm_running_jobs")[0][1], 8)
        self.state.failed(OSError("connection refused"))
        self.assertIn("connection refused", self.get("/healthz")[1])
        self.assertEqual(by_name(self.get("/metrics")[1], "hpc_simulator_slurm_refresh_failing")[0][1], 1)
        self.assertEqual(self.get("/nope")[0], 404)

    def test_a_failed_read_keeps_the_last_good_cluster(self):
        stop, calls = threading.Event(), []

        class Reader:
            def read(self):
                calls.append(1)
                if len(calls) == 1:
                    return recorded_cluster()
                stop.set()
                raise OSError("slurmrestd went away")

        simulator.refresh_forever(self.state, Reader(), 0, stop)
        cluster, _, error = self.state.snapshot()
        self.assertEqual((len(calls), len(cluster.nodes), error), (2, 6, "slurmrestd went away"))
        status, body = self.get("/ipmi?target=node01")
        self.assertEqual(status, 200)
        self.assertTrue(by_name(body, "ipmi_power_watts"))


if __name__ == "__main__":
    unittest.main()
