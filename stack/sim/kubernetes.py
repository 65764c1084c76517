"""kube-state-metrics of a Kubernetes cluster converged with the stack's Slurm cluster.

The simulated Kubernetes runs on the Slurm nodes themselves, the way Slurm-on-Kubernetes setups
(e.g. SchedMD's Slinky) run slurmd as one pod per node: a node is Ready while Slurm has it
responding, the slurmd pod of a node requests the CPUs and memory Slurm has allocated there, and an
inference service asking for two GPUs on one node stays Pending while Slurm jobs hold them (just
as Slurm's own two-GPU jobs wait for Resources). A few service pods, one of them restarting now and
then, complete the picture.
"""
import hashlib

from series import Exposition

PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")
RESTART_PERIOD_S = 1200  # model-sync crash-loops slowly: one restart every 20 minutes


def _uid(namespace, pod):
    h = hashlib.sha256(f"{namespace}/{pod}".encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def pods(cluster):
    """The pods: (namespace, pod, node or "", phase, {resource: request}, kind)."""
    names = sorted(cluster.nodes)
    first = names[0] if names else ""
    second = names[1] if len(names) > 1 else first
    out = [("slurm", "slurmctld-0", first, "Running", {"cpu": 1, "memory": 2 << 30}, "StatefulSet"),
           ("slurm", "slurmdbd-0", first, "Running", {"cpu": 0.5, "memory": 1 << 30}, "StatefulSet"),
           ("slurm", "slurmrestd-6d9c7b5f4-x7k2p", first, "Running", {"cpu": 0.5, "memory": 512 << 20}, "ReplicaSet"),
           ("monitoring", "prometheus-0", second, "Running", {"cpu": 1, "memory": 4 << 30}, "StatefulSet"),
           ("kube-system", "coredns-5d78c9869d-4kq8w", second, "Running", {"cpu": 0.1, "memory": 70 << 20}, "ReplicaSet"),
           ("ml-serving", "model-sync-7f8d6c9b4-qz5nd", second, "Running", {"cpu": 0.25, "memory": 256 << 20}, "ReplicaSet")]
    for name in names:
        n = cluster.nodes[name]
        phase = "Running" if n.responding else "Unknown"
        out.append(("slurm", f"slurmd-{name}", name, phase,
                    {"cpu": n.alloc_cpus, "memory": n.alloc_memory_mb << 20}, "StatefulSet"))
        if n.gpus:
            out.append(("monitoring", f"dcgm-exporter-{name}", name, phase, {"cpu": 0.1, "memory": 128 << 20}, "DaemonSet"))
    # Two GPUs on one node, like Slurm's gpu:2 jobs: it runs where two are free, else it waits.
    free = [name for name in names if cluster.nodes[name].responding and
            cluster.nodes[name].gpus - sum(1 for i in range(cluster.nodes[name].gpus) if cluster.gpu_holder(name, i)) >= 2]
    out.append(("ml-serving", "inference-0", free[0] if free else "", "Running" if free else "Pending",
                {"cpu": 4, "memory": 16 << 30, "nvidia_com_gpu": 2}, "StatefulSet"))
    return out


UNITS = {"cpu": "core", "memory": "byte", "nvidia_com_gpu": "integer"}


def kube_state_metrics(cluster, t, started):
    """kube-state-metrics' series for the nodes and pods; `started` is when the simulator started
    (restart counters count from there, as they would from a container's creation)."""
    out = Exposition()
    for name in sorted(cluster.nodes):
        n = cluster.nodes[name]
        out.add("kube_node_info", {"node": name, "kernel_version": "6.1.0-28-amd64", "kubelet_version": "v1.31.4",
                                   "container_runtime_version": "containerd://1.7.24",
                                   "os_image": "Debian GNU/Linux 12 (bookworm)"}, 1, help_text="Information about a cluster node.")
        for status in ("true", "false", "unknown"):
            value = 1 if (status == "true") == n.responding and status != "unknown" else 0
            out.add("kube_node_status_condition", {"node": name, "condition": "Ready", "status": status}, value,
                    help_text="The condition of a cluster node.")
        allocatable = {"cpu": n.cpus, "memory": n.memory_mb << 20}
        if n.gpus:
            allocatable["nvidia_com_gpu"] = n.gpus
        for resource, value in allocatable.items():
            out.add("kube_node_status_allocatable", {"node": name, "resource": resource, "unit": UNITS[resource]}, value,
                    help_text="The allocatable for different resources of a node.")
    for namespace, pod, node, phase, requests, kind in pods(cluster):
        uid = _uid(namespace, pod)
        owner = pod.rsplit("-", 2)[0] if kind == "ReplicaSet" else pod.rsplit("-", 1)[0]
        out.add("kube_pod_info", {"namespace": namespace, "pod": pod, "uid": uid, "node": node, "created_by_kind": kind,
                                  "created_by_name": owner, "priority_class": "", "host_network": "false"}, 1,
                help_text="Information about pod.")
        for p in PHASES:
            out.add("kube_pod_status_phase", {"namespace": namespace, "pod": pod, "uid": uid, "phase": p},
                    1 if p == phase else 0, help_text="The pods current phase.")
        container = pod.split("-")[0]
        for resource, value in requests.items():
            out.add("kube_pod_container_resource_requests",
                    {"namespace": namespace, "pod": pod, "uid": uid, "container": container, "node": node,
                     "resource": resource, "unit": UNITS[resource]}, value,
                    help_text="The number of requested request resource by a container.")
        restarts = 0
        if pod.startswith("model-sync-"):
            restarts = int(max(0.0, t - started) // RESTART_PERIOD_S)
        if phase != "Pending":
            out.add("kube_pod_container_status_restarts_total",
                    {"namespace": namespace, "pod": pod, "uid": uid, "container": container}, restarts, "counter",
                    "The number of container restarts per container.")
    return out
