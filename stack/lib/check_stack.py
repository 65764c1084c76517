#!/usr/bin/env python3
"""Smoke test of a running, seeded local stack (see stack/check). Standard library only.

Reads $HPC_STACK_DIR/stack.env, asks slurmrestd with a real JWT, Prometheus and Alertmanager, and
prints one line per check and a closing "N passed, M failed" line. Exit 1 when any check fails.
"""
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

STACK_DIR = os.environ.get("HPC_STACK_DIR", "/var/lib/hpc-slurm-stack")
STACK_SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok or not detail else ': ' + str(detail)}")


def read_env():
    env = {}
    with open(os.path.join(STACK_DIR, "stack.env")) as f:
        for line in f:
            m = re.match(r"^([A-Z_]+)=(.*)$", line.strip())
            if m:
                env[m.group(1)] = m.group(2).strip('"')
    return env


def http(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except OSError as err:
        return 0, str(err).encode()


def prom_query(prom, expr):
    """The instant vector of a PromQL expression as [(labels, value)]."""
    status, body = http(prom + "/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    data = json.loads(body or b"{}").get("data", {}).get("result", []) if status == 200 else []
    return [(r["metric"], float(r["value"][1])) for r in data]


def eventually(fn, seconds=60):
    """fn's last answer, retried until truthy: Prometheus scrapes every 15 s and the simulator
    reads Slurm every 15 s, so a change in Slurm shows up in the series within about 30 s."""
    deadline = time.time() + seconds
    while True:
        ok, detail = fn()
        if ok or time.time() > deadline:
            return ok, detail
        time.sleep(2)


def check_exporters(env, prom, jobs):
    """node_exporter once per node under the node's name, and the simulated exporters tied to the jobs
    Slurm runs: GPUs busy where a job holds them, per-job series for the running jobs only."""
    status, body = http(env["SIMULATOR_URL"] + "/healthz")
    check("simulator answers and knows the 6 nodes", status == 200 and body.startswith(b"ok: 6 nodes"), body[:200])
    # Fresh series only (scraped in the last minute), here and below: Prometheus returns a series for
    # 5 minutes after its last sample, and a stack restarted with another config left some behind.
    names = sorted(m.get("nodename", "") for m, _ in prom_query(prom, "node_uname_info and timestamp(node_uname_info) > time() - 60"))
    check("node_uname_info reports nodename node01..node06", names == [f"node0{i}" for i in range(1, 7)], names)
    leaks = prom_query(prom, 'count by (job) ({job=~"dcgm|ipmi|cgroup|hwmon|kube-state-metrics", simulated!="true", __name__!~"up|scrape_.+"})')
    check('every simulated series is labelled simulated="true"', not leaks, leaks)
    for metric in ("DCGM_FI_DEV_GPU_UTIL", "ipmi_power_watts", "cgroup_cpus", "kube_pod_status_phase"):
        check(f"Prometheus holds {metric}", prom_query(prom, f"count({metric})"), metric)

    gpu_jobs = {str(j["job_id"]) for j in jobs if j["job_state"] == "RUNNING" and any("IDX:" in g for g in j.get("gres_detail") or [])}
    running = {str(j["job_id"]) for j in jobs if j["job_state"] == "RUNNING"}

    def gpus_follow_jobs():
        util = prom_query(prom, "DCGM_FI_DEV_GPU_UTIL and timestamp(DCGM_FI_DEV_GPU_UTIL) > time() - 60")
        held = {m.get("hpc_job") for m, v in util if m.get("hpc_job") and v > 0}
        idle_busy = [m for m, v in util if not m.get("hpc_job") and v > 0]
        return held == gpu_jobs and not idle_busy, f"busy GPUs of jobs {sorted(held)}, GPU jobs {sorted(gpu_jobs)}, idle but busy {idle_busy}"

    check("GPUs are busy exactly where running jobs hold them (hpc_job)", *eventually(gpus_follow_jobs))

    def cgroups_follow_jobs():
        ids = {m.get("jobid") for m, _ in prom_query(prom, "count by (jobid) (timestamp(cgroup_cpus) > time() - 60)")}
        return ids == running, f"cgroup jobids {sorted(ids)}, running jobs {sorted(running)}"

    check("per-job cgroup series exist for the running jobs only", *eventually(cgroups_follow_jobs))


def main():
    env = read_env()
    for key in ("SLURMRESTD_URL", "SLURM_CLUSTER", "SLURM_API_USER", "SLURM_JWT_KEY_FILE",
                "PROMETHEUS_URL", "NODE_EXPORTER_URL", "ALERTMANAGER_URL", "SIMULATOR_URL"):
        check(f"stack.env has {key}", env.get(key))
    key = open(env["SLURM_JWT_KEY_FILE"], "rb").read()
    check("JWT key is ASCII hex without newline", re.fullmatch(rb"[0-9a-f]{64}", key), f"{len(key)} bytes")

    user = env["SLURM_API_USER"]
    token = subprocess.run([os.path.join(STACK_SRC, "token"), user, "300"], check=True,
                           capture_output=True, text=True).stdout.strip()
    auth = {"X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": token}
    base = env["SLURMRESTD_URL"]

    def get(path):
        status, body = http(base + path, auth)
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {}

    status, ping = get("/slurm/v0.0.38/ping")
    check("slurmrestd ping as grafana is 200 UP", status == 200 and ping.get("pings", [{}])[0].get("ping") == "UP",
          status)
    _, nodes = get("/slurm/v0.0.38/nodes")
    names = sorted(n["name"] for n in nodes.get("nodes", []))
    check("6 nodes node01..node06", names == [f"node0{i}" for i in range(1, 7)], names)
    gpu = {n["name"]: n.get("gres") for n in nodes.get("nodes", [])}
    check("node05 and node06 have gpu:a100:2", gpu.get("node05") == gpu.get("node06") == "gpu:a100:2", gpu)
    _, parts = get("/slurm/v0.0.38/partitions")
    check("partitions cpu and gpu", sorted(p["name"] for p in parts.get("partitions", [])) == ["cpu", "gpu"])

    _, jobs = get("/slurm/v0.0.38/jobs")
    jl = jobs.get("jobs", [])
    states = {j["job_state"] for j in jl}
    for st in ("COMPLETED", "FAILED", "CANCELLED", "RUNNING", "PENDING"):
        check(f"a job is {st}", st in states, sorted(states))
    check("a job is TIMEOUT (after stack/seed --wait)", "TIMEOUT" in states, "not yet: run stack/seed --wait")
    reasons = {j["state_reason"] for j in jl if j["job_state"] == "PENDING"}
    for r in ("Resources", "Priority", "Dependency", "JobHeldUser", "JobArrayTaskLimit", "BeginTime"):
        check(f"a job is PENDING for {r}", r in reasons, sorted(reasons))
    users = {j["user_name"] for j in jl}
    check("jobs of alice, bob and carol", {"alice", "bob", "carol"} <= users, sorted(users))
    gpu_running = [j for j in jl if j["job_state"] == "RUNNING" and "gpu" in (j.get("tres_alloc_str") or "")]
    check("running jobs hold GPUs", len(gpu_running) >= 2, len(gpu_running))

    _, res = get("/slurm/v0.0.38/reservations")
    check("reservations maint_window and gpu_workshop",
          sorted(r["name"] for r in res.get("reservations", [])) == ["gpu_workshop", "maint_window"])
    _, lic = get("/slurm/v0.0.38/licenses")
    totals = {x.get("LicenseName"): x.get("Total") for x in lic.get("licenses", [])}
    check("licenses matlab:4 ansys:2", totals == {"matlab": 4, "ansys": 2}, totals)

    _, dbu = get("/slurmdb/v0.0.38/users")
    admin = {u["name"]: u.get("administrator_level") for u in dbu.get("users", [])}
    check("slurmdb user grafana is Operator", admin.get("grafana") == "Operator", admin)
    _, acc = get("/slurmdb/v0.0.38/accounts")
    check("accounts physics and chemistry",
          {"physics", "chemistry"} <= {a["name"] for a in acc.get("accounts", [])})
    _, qos = get("/slurmdb/v0.0.38/qos")
    # v0.0.38 names the list "QOS" (later versions "qos").
    check("QOS normal and high", {"normal", "high"} <= {q["name"] for q in qos.get("QOS", qos.get("qos", []))})

    status, body = http(base + "/slurm/v0.0.38/jobs")
    check("no auth headers -> 401", status == 401, status)
    status, _ = http(base + "/slurm/v0.0.38/jobs", {"X-SLURM-USER-NAME": user, "X-SLURM-USER-TOKEN": "x"})
    check("bad token is refused", status >= 400, status)

    prom = env["PROMETHEUS_URL"]
    status, _ = http(prom + "/-/ready")
    check("Prometheus ready", status == 200, status)
    # A Prometheus that just started has not scraped yet (health "unknown"): give it one interval.
    for _ in range(40):
        _, body = http(prom + "/api/v1/targets")
        active = json.loads(body or b"{}").get("data", {}).get("activeTargets", [])
        if active and all(t["health"] != "unknown" for t in active):
            break
        time.sleep(0.5)
    up = {}
    for t in active:
        up.setdefault(t["labels"]["job"], []).append((t["labels"].get("instance"), t["health"]))
    # One node_exporter scrape and one simulated exporter per Slurm node, named after the node.
    nodes = [f"node0{i}" for i in range(1, 7)]
    want = {"prometheus": 1, "alertmanager": 1, "node": nodes, "ipmi": nodes, "cgroup": nodes, "hwmon": nodes,
            "dcgm": ["node05", "node06"], "kube-state-metrics": 1, "simulator": 1}
    for job, targets in want.items():
        got = up.get(job, [])
        healthy = [i for i, h in got if h == "up"]
        ok = len(healthy) == len(got) and (sorted(healthy) == targets if isinstance(targets, list) else len(got) == targets)
        check(f"Prometheus job {job}: every target up", ok, got)
    _, body = http(prom + "/api/v1/alertmanagers")
    ams = json.loads(body or b"{}").get("data", {}).get("activeAlertmanagers", [])
    check("Prometheus sends alerts to 127.0.0.1:9093", any("127.0.0.1:9093" in a["url"] for a in ams), ams)
    status, _ = http(env["ALERTMANAGER_URL"] + "/-/ready")
    check("Alertmanager ready", status == 200, status)
    status, body = http(env["NODE_EXPORTER_URL"] + "/metrics")
    check("node_exporter serves node_uname_info", status == 200 and b"node_uname_info" in body, status)
    check_exporters(env, prom, jl)

    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
