#!/usr/bin/env python3
"""Records real slurmrestd v0.0.38 answers of the live, seeded local stack (see stack/record-fixtures).

Same file names and manifest format as pkg/slurm/testdata/slurmrestd: each body is parsed and written
again with json.dump(indent=2) (no other edit, except replacing the machine's hostname if it occurs);
a body that is not JSON is kept verbatim as .txt. Standard library only.
"""
import json
import os
import re
import sys
import urllib.error
import urllib.request

V = "v0.0.38"


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"record_fixtures: environment variable {name} is not set")
    return value


BASE = env("SLURMRESTD_URL").rstrip("/")
OUT = env("RECORD_OUTDIR")
TOKENS = json.loads(env("RECORD_TOKENS"))  # {"root": "...", "alice": "..."}
JOBS = json.loads(env("RECORD_JOBS"))  # {"md_run": "1027", ...}
HOSTNAME = os.environ.get("RECORD_SCRUB_HOSTNAME", "")
# Names to re-record into existing recordings (comma list); empty: record everything.
ONLY = [n for n in os.environ.get("RECORD_ONLY", "").split(",") if n]
SCRUB_AS = "head01"


def request(method, path, user, token=None, body=None):
    headers = {}
    if user is not None:
        headers["X-SLURM-USER-NAME"] = user
        headers["X-SLURM-USER-TOKEN"] = token if token is not None else TOKENS[user]
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers.get_content_type(), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get_content_type(), err.read()


def scrub(text):
    if HOSTNAME and HOSTNAME != "localhost":
        return re.sub(r"(?<![A-Za-z0-9_.-])" + re.escape(HOSTNAME) + r"(?![A-Za-z0-9_-])", SCRUB_AS, text)
    return text


class Recorder:
    def __init__(self, directory):
        self.dir = directory
        self.manifest = {}
        os.makedirs(directory, exist_ok=True)

    def record(self, name, method, path, user="root", token=None, body=None):
        status, ctype, raw = request(method, path, user, token, body)
        text = scrub(raw.decode("utf-8"))
        try:
            parsed = json.loads(text)
            fname = name + ".json"
            with open(os.path.join(self.dir, fname), "w") as f:
                json.dump(parsed, f, indent=2)
                f.write("\n")
        except json.JSONDecodeError:
            parsed = None
            fname = name + ".txt"
            with open(os.path.join(self.dir, fname), "w") as f:
                f.write(text)
        entry = {"content_type": ctype, "file": fname, "http_status": status, "method": method,
                 "path": path, "user": user}
        if body is not None:
            entry["request_body"] = body
        self.manifest[name] = entry
        print(f"  {status} {method} {path} as {user} -> {fname}", file=sys.stderr)
        return status, parsed

    def write_manifest(self):
        path = os.path.join(self.dir, "_manifest.json")
        if ONLY and os.path.exists(path):
            with open(path) as f:
                self.manifest = {**json.load(f), **self.manifest}
        with open(path, "w") as f:
            json.dump(self.manifest, f, indent=2, sort_keys=True)
            f.write("\n")


def gets():
    """The GET recordings: (name, path)."""
    s, d = f"/slurm/{V}", f"/slurmdb/{V}"
    return [
        ("ping", f"{s}/ping"), ("diag", f"{s}/diag"), ("jobs", f"{s}/jobs"),
        ("job", f"{s}/job/{JOBS['md_run']}"),
        ("job_pending", f"{s}/job/{JOBS['big_mpi']}"),
        ("job_held", f"{s}/job/{JOBS['held_job']}"),
        ("job_array", f"{s}/job/{JOBS['sweep']}"),
        ("job_gpu", f"{s}/job/{JOBS['train_small']}"),
        ("job_failed", f"{s}/job/{JOBS['crash_test']}"),
        ("job_completed", f"{s}/job/{JOBS['hello_done']}"),
        ("job_timeout", f"{s}/job/{JOBS['too_long']}"),
        ("nodes", f"{s}/nodes"), ("node", f"{s}/node/node01"), ("node_gpu", f"{s}/node/node05"),
        ("partitions", f"{s}/partitions"), ("partition", f"{s}/partition/gpu"),
        ("reservations", f"{s}/reservations"), ("reservation", f"{s}/reservation/gpu_workshop"),
        ("licenses", f"{s}/licenses"),
        ("slurmdb_jobs", f"{d}/jobs"),
        ("slurmdb_job", f"{d}/job/{JOBS['md_run']}"),
        ("slurmdb_job_failed", f"{d}/job/{JOBS['crash_test']}"),
        ("slurmdb_job_cpu_burn", f"{d}/job/{JOBS['cpu_burn']}"),
        ("slurmdb_qos", f"{d}/qos"), ("slurmdb_associations", f"{d}/associations"),
        ("slurmdb_accounts", f"{d}/accounts"), ("slurmdb_users", f"{d}/users"),
        ("slurmdb_clusters", f"{d}/clusters"), ("slurmdb_tres", f"{d}/tres"), ("slurmdb_diag", f"{d}/diag"),
        ("error_job_not_found", f"{s}/job/999999"),
        ("error_slurmdb_job_not_found", f"{d}/job/999999"),
    ]


def record_only():
    """Re-records the names in RECORD_ONLY into the existing recordings."""
    known = dict(gets())
    unknown = [n for n in ONLY if n not in known]
    if unknown:
        sys.exit(f"record_fixtures: no recording named {', '.join(unknown)} (known: {', '.join(known)})")
    r = Recorder(os.path.join(OUT, V))
    for name in ONLY:
        r.record(name, "GET", known[name])
    r.write_manifest()


def main():
    if ONLY:
        record_only()
        check_secrets()
        return
    top = Recorder(OUT)
    status, _ = top.record("openapi-v3", "GET", "/openapi/v3")
    if status != 200:
        sys.exit(f"record_fixtures: GET /openapi/v3 answered HTTP {status}")
    top.write_manifest()

    r = Recorder(os.path.join(OUT, V))
    for name, path in gets():
        r.record(name, "GET", path)
    s = f"/slurm/{V}"
    r.record("error_bad_token", "GET", f"{s}/jobs", token="not-a-jwt")
    r.record("error_no_auth_headers", "GET", f"{s}/jobs", user=None)
    # Not in v0.0.38 (recorded to show how 22.05 answers): node update, shares, jobs/state.
    r.record("error_node_update_not_in_v0.0.38", "POST", f"{s}/node/node04",
             body={"state": ["DRAIN"], "reason": "test"})

    # Cancels act on held jobs submitted just for this (victim_* in seeded.jobs).
    carol, bob, alice = JOBS["victim_carol"], JOBS["victim_bob"], JOBS["victim_alice"]
    r.record("action_cancel_job_as_root", "DELETE", f"{s}/job/{carol}")
    r.record("job_after_cancel", "GET", f"{s}/job/{carol}")
    r.record("action_cancel_already_cancelled_job_as_root", "DELETE", f"{s}/job/{carol}")
    r.record("action_cancel_other_users_job_as_alice", "DELETE", f"{s}/job/{bob}", user="alice")
    r.record("action_cancel_own_job_as_alice", "DELETE", f"{s}/job/{alice}", user="alice")
    r.write_manifest()

    check_secrets()


def check_secrets():
    """Nothing secret may be in the recordings."""
    for root, _, files in os.walk(OUT):
        for fname in files:
            with open(os.path.join(root, fname)) as f:
                body = f.read()
            for user, token in TOKENS.items():
                if token in body:
                    sys.exit(f"record_fixtures: the token of {user} appears in {fname}")
            if HOSTNAME and HOSTNAME != "localhost" and re.search(
                    r"(?<![A-Za-z0-9_.-])" + re.escape(HOSTNAME) + r"(?![A-Za-z0-9_-])", body):
                sys.exit(f"record_fixtures: hostname {HOSTNAME} still appears in {fname}")


if __name__ == "__main__":
    main()
