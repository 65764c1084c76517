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


def main():
    env = read_env()
    for key in ("SLURMRESTD_URL", "SLURM_CLUSTER", "SLURM_API_USER", "SLURM_JWT_KEY_FILE",
                "PROMETHEUS_URL", "NODE_EXPORTER_URL", "ALERTMANAGER_URL"):
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
        targets = {t["labels"]["job"]: t["health"] for t in active}
        if targets and "unknown" not in targets.values():
            break
        time.sleep(0.5)
    for job in ("prometheus", "node", "alertmanager"):
        check(f"Prometheus target {job} up", targets.get(job) == "up", targets)
    _, body = http(prom + "/api/v1/alertmanagers")
    ams = json.loads(body or b"{}").get("data", {}).get("activeAlertmanagers", [])
    check("Prometheus sends alerts to 127.0.0.1:9093", any("127.0.0.1:9093" in a["url"] for a in ams), ams)
    status, _ = http(env["ALERTMANAGER_URL"] + "/-/ready")
    check("Alertmanager ready", status == 200, status)
    status, body = http(env["NODE_EXPORTER_URL"] + "/metrics")
    check("node_exporter serves node_uname_info", status == 200 and b"node_uname_info" in body, status)

    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
