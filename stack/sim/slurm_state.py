"""The cluster as the simulator sees it: Slurm's nodes and running jobs, read from slurmrestd.

The simulator ties its exporter series to what Slurm really does, so it reads the same API as the
data source (v0.0.38, what the stack's Slurm 22.05 serves) with a JWT it mints itself from the
stack's HS256 key, exactly as the data source's jwtKey mode does. Standard library only.
"""
import base64
import hashlib
import hmac
import json
import re
import time
import urllib.request
from dataclasses import dataclass, field

API = "/slurm/v0.0.38"


def mint_token(key, user, lifespan, now):
    """An HS256 JWT with the claims Slurm's auth/jwt reads: sun (Slurm user), iat, exp."""
    def b64(raw):
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = b64(json.dumps({"sun": user, "iat": int(now), "exp": int(now) + lifespan},
                            separators=(",", ":")).encode())
    signature = b64(hmac.new(key, header + b"." + claims, hashlib.sha256).digest())
    return (header + b"." + claims + b"." + signature).decode()


def expand_hostlist(hostlist):
    """Slurm's compressed host list ("node[01-03,05],gpu7") as names, in order."""
    names = []
    for part in re.findall(r"[^,\[]+(?:\[[^\]]*\])?", hostlist or ""):
        m = re.fullmatch(r"(.*)\[(.*)\]", part)
        if not m:
            names.append(part)
            continue
        prefix, ranges = m.groups()
        for r in ranges.split(","):
            lo, _, hi = r.partition("-")
            for i in range(int(lo), int(hi or lo) + 1):
                names.append(f"{prefix}{i:0{len(lo)}d}")
    return names


def gpu_indices(gres):
    """GPU indices of a GRES string: "gpu:a100:2(IDX:0-1)" -> [0, 1]; no IDX part -> []."""
    m = re.search(r"gpu[^()]*\(IDX:([^)]*)\)", gres or "")
    if not m:
        return []
    out = []
    for r in m.group(1).split(","):
        if not r or r == "N/A":
            continue
        lo, _, hi = r.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def gpu_count(gres):
    """(count, model) of a node's configured GRES: "gpu:a100:2" -> (2, "a100"); none -> (0, "")."""
    for item in (gres or "").split(","):
        parts = item.split("(")[0].split(":")
        if parts[0] != "gpu" or len(parts) < 2:
            continue
        count = parts[-1]
        model = parts[1] if len(parts) == 3 else ""
        if count.isdigit():
            return int(count), model
    return 0, ""


@dataclass
class Node:
    name: str
    cpus: int
    alloc_cpus: int
    memory_mb: int
    alloc_memory_mb: int
    partitions: list
    gpus: int
    gpu_model: str
    state: str
    responding: bool

    @property
    def load(self):
        """Share of the node's CPUs that Slurm has allocated (0..1)."""
        return min(1.0, self.alloc_cpus / self.cpus) if self.cpus else 0.0


@dataclass
class Job:
    job_id: int
    user: str
    uid: int
    account: str
    partition: str
    start_time: int
    cpus: dict = field(default_factory=dict)       # node -> CPUs allocated there
    memory_mb: dict = field(default_factory=dict)  # node -> MB allocated there
    gpus: dict = field(default_factory=dict)       # node -> GPU indices held there

    @property
    def nodes(self):
        return sorted(self.cpus)


@dataclass
class Cluster:
    nodes: dict = field(default_factory=dict)  # name -> Node
    jobs: list = field(default_factory=list)   # running jobs only

    def gpu_holder(self, node, index):
        """The running job holding GPU `index` of `node`, or None."""
        for j in self.jobs:
            if index in j.gpus.get(node, []):
                return j
        return None


def parse_nodes(doc):
    nodes = {}
    for n in doc.get("nodes", []):
        count, model = gpu_count(n.get("gres"))
        state = str(n.get("state", "")).lower()
        flags = [str(f).upper() for f in n.get("state_flags") or []]
        nodes[n["name"]] = Node(
            name=n["name"], cpus=int(n.get("cpus") or 0), alloc_cpus=int(n.get("alloc_cpus") or 0),
            memory_mb=int(n.get("real_memory") or 0), alloc_memory_mb=int(n.get("alloc_memory") or 0),
            partitions=list(n.get("partitions") or []), gpus=count, gpu_model=model, state=state,
            responding=state not in ("down", "fail", "future", "unknown") and "NOT_RESPONDING" not in flags)
    return nodes


def _cores(allocated_node):
    """CPUs a v0.0.38 job_resources entry allocates on its node (its allocated cores)."""
    return sum(1 for s in (allocated_node.get("sockets") or {}).values()
               for c in (s.get("cores") or {}).values() if str(c).startswith("allocated"))


def parse_jobs(doc):
    """The RUNNING jobs, each with its CPUs, memory and GPU indices per node."""
    jobs = []
    for j in doc.get("jobs", []):
        if j.get("job_state") != "RUNNING":
            continue
        names = expand_hostlist(j.get("nodes", ""))
        if not names:
            continue
        job = Job(job_id=int(j["job_id"]), user=j.get("user_name") or "", uid=int(j.get("user_id") or 0),
                  account=j.get("account") or "", partition=j.get("partition") or "",
                  start_time=int(j.get("start_time") or 0))
        allocated = {a.get("nodename"): a for a in (j.get("job_resources") or {}).get("allocated_nodes") or []}
        total = int(j.get("cpus") or len(names))
        for i, name in enumerate(names):
            a = allocated.get(name, {})
            job.cpus[name] = _cores(a) or max(1, total // len(names))
            job.memory_mb[name] = int(a.get("memory_allocated") or 0) or int(j.get("memory_per_node") or 0) or 1000
        # gres_detail holds one entry per allocated node, in node order.
        for name, detail in zip(names, j.get("gres_detail") or []):
            idx = gpu_indices(detail)
            if idx:
                job.gpus[name] = idx
        jobs.append(job)
    return jobs


class SlurmReader:
    """Reads nodes and running jobs from slurmrestd as Slurm user `user`."""

    def __init__(self, base_url, key, user, timeout=10, clock=time.time):
        self.base_url, self.key, self.user, self.timeout, self.clock = base_url.rstrip("/"), key, user, timeout, clock

    def _get(self, path):
        token = mint_token(self.key, self.user, 300, self.clock())
        req = urllib.request.Request(self.base_url + API + path,
                                     headers={"X-SLURM-USER-NAME": self.user, "X-SLURM-USER-TOKEN": token})
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            return json.load(resp)

    def read(self):
        return Cluster(nodes=parse_nodes(self._get("/nodes")), jobs=parse_jobs(self._get("/jobs")))
