"""Exporter series for the simulated hardware of the stack's Slurm nodes.

Each function renders what one real exporter would serve, with its metric names and labels:
dcgm-exporter (one target per GPU node, with its HPC job mapping's `hpc_job` label), the IPMI
exporter (one BMC per node), a per-job cgroup exporter (one target per node, `jobid` label),
node_exporter's hwmon temperatures (the stack's host has no sensors) and kube-state-metrics
(kubernetes.py). Values are functions of the time and of what Slurm
really does: GPUs held by a running job are busy, idle ones are cool and quiet; a node's BMC power,
temperatures and fans follow the share of its CPUs Slurm has allocated; per-job series exist only
for running jobs. Every series carries simulated="true" so nobody mistakes it for a measurement.
"""
import hashlib
import math

SIMULATED = ("simulated", "true")
GPU_MEMORY_MIB = {"a100": 40960, "h100": 81559}
GPU_MODEL_NAMES = {"a100": "NVIDIA A100-SXM4-40GB", "h100": "NVIDIA H100 80GB HBM3"}
# A fan of node04 has degraded: the BMC reports it at warning (state 1), as real fleets always have
# one such sensor; it keeps the "sensors not nominal" panels and the fan alert rules exercised.
DEGRADED_FAN = ("node04", "FAN2")


def unit(seed):
    """A stable pseudo-random number in [0, 1) for a name (a job, a GPU, a node)."""
    return int(hashlib.sha256(seed.encode()).hexdigest()[:8], 16) / 2**32


def wave(t, period, seed):
    """A smooth oscillation in [-1, 1] with the given period (s) and a phase fixed by seed."""
    return math.sin(2 * math.pi * (t / period + unit(seed)))


class Exposition:
    """Prometheus' text format: one HELP/TYPE header per family, then its samples."""

    def __init__(self):
        self.families = {}

    def add(self, name, labels, value, kind="gauge", help_text=""):
        family = self.families.setdefault(name, (kind, help_text or name, []))
        family[2].append(({**labels, SIMULATED[0]: SIMULATED[1]}, value))

    def text(self):
        lines = []
        for name, (kind, help_text, samples) in self.families.items():
            lines += [f"# HELP {name} {help_text} (simulated)", f"# TYPE {name} {kind}"]
            for labels, value in samples:
                body = ",".join(f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()))
                lines.append(f"{name}{{{body}}} {_number(value)}")
        return "\n".join(lines) + "\n"


def _escape(v):
    return str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(v):
    return repr(float(v)) if isinstance(v, float) else str(v)


def _gpu_uuid(node, index):
    h = hashlib.sha256(f"{node}/{index}".encode()).hexdigest()
    return f"GPU-{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def gpu_power(cluster, node, index, t):
    """Board power of a GPU (W): idle about 55 W, a busy A100 250-380 W."""
    job = cluster.gpu_holder(node, index)
    if job is None:
        return round(55 + 3 * wave(t, 900, f"p{node}{index}"), 1)
    return round(80 + 3.2 * gpu_util(cluster, node, index, t), 1)


def gpu_util(cluster, node, index, t):
    job = cluster.gpu_holder(node, index)
    if job is None:
        return 0
    # Each job has its own intensity (a few hold their GPUs without using them much).
    intensity = 0.35 + 0.63 * unit(f"gpu-intensity-{job.job_id}")
    return max(0, min(100, round(100 * intensity + 6 * wave(t, 300, f"u{job.job_id}{index}"))))


def dcgm(cluster, node_name, t):
    """dcgm-exporter of one node: one series per GPU and field; hpc_job names the job holding it."""
    node = cluster.nodes.get(node_name)
    if node is None:
        return None
    out = Exposition()
    total = GPU_MEMORY_MIB.get(node.gpu_model, 40960)
    for i in range(node.gpus):
        job = cluster.gpu_holder(node_name, i)
        labels = {"gpu": str(i), "UUID": _gpu_uuid(node_name, i), "device": f"nvidia{i}",
                  "modelName": GPU_MODEL_NAMES.get(node.gpu_model, "NVIDIA GPU"), "Hostname": node_name,
                  "pci_bus_id": f"00000000:{7 + 8 * i:02X}:00.0", "DCGM_FI_DRIVER_VERSION": "550.127.05"}
        if job is not None:
            labels["hpc_job"] = str(job.job_id)
        util = gpu_util(cluster, node_name, i, t)
        used = 0 if job is None else round(total * (0.45 + 0.45 * unit(f"fb{job.job_id}")) + 200 * wave(t, 600, f"fb{i}"))
        out.add("DCGM_FI_DEV_GPU_UTIL", labels, util, help_text="GPU utilization (in %).")
        out.add("DCGM_FI_DEV_MEM_COPY_UTIL", labels, round(util * 0.6), help_text="Memory utilization (in %).")
        out.add("DCGM_FI_DEV_FB_USED", labels, used, help_text="Framebuffer memory used (in MiB).")
        out.add("DCGM_FI_DEV_FB_FREE", labels, total - 512 - used, help_text="Framebuffer memory free (in MiB).")
        out.add("DCGM_FI_DEV_GPU_TEMP", labels, round(32 + 0.38 * util + 1.5 * wave(t, 1200, f"t{node_name}{i}")),
                help_text="GPU temperature (in C).")
        out.add("DCGM_FI_DEV_POWER_USAGE", labels, gpu_power(cluster, node_name, i, t), help_text="Power draw (in W).")
        out.add("DCGM_FI_DEV_SM_CLOCK", labels, 210 if job is None else 1410 - round(15 * (1 + wave(t, 400, f"c{i}"))),
                help_text="SM clock frequency (in MHz).")
        out.add("DCGM_FI_DEV_MEM_CLOCK", labels, 1215, help_text="Memory clock frequency (in MHz).")
        out.add("DCGM_FI_DEV_XID_ERRORS", labels, 0, help_text="Value of the last XID error encountered.")
    return out


def ipmi(cluster, node_name, t):
    """The IPMI exporter's view of one node's BMC: temperatures, fans, power, voltages, PSUs."""
    node = cluster.nodes.get(node_name)
    if node is None:
        return None
    out = Exposition()
    load = node.load
    out.add("ipmi_up", {"collector": "ipmi"}, 1, help_text="'1' if a scrape of the IPMI device was successful.")
    out.add("ipmi_up", {"collector": "dcmi"}, 1)
    temps = [("4", "Inlet Temp", 21 + 1.5 * wave(t, 3600, f"inlet{node_name}")),
             ("1", "CPU1 Temp", cpu_temperature(node, t, 0)),
             ("2", "CPU2 Temp", cpu_temperature(node, t, 1))]
    for sid, name, value in temps:
        out.add("ipmi_temperature_celsius", {"id": sid, "name": name}, round(value, 1), help_text="Temperature reading.")
        out.add("ipmi_temperature_state", {"id": sid, "name": name}, 0, help_text="0 nominal, 1 warning, 2 critical.")
    for k in range(1, 5):
        name = f"FAN{k}"
        degraded = (node_name, name) == DEGRADED_FAN
        rpm = 2300 if degraded else 5400 + 5000 * load
        out.add("ipmi_fan_speed_rpm", {"id": str(29 + k), "name": name}, round(rpm + 120 * wave(t, 300, f"{name}{node_name}")),
                help_text="Fan speed in rotations per minute.")
        out.add("ipmi_fan_speed_state", {"id": str(29 + k), "name": name}, 1 if degraded else 0,
                help_text="0 nominal, 1 warning, 2 critical.")
    watts = 110 + 190 * load + 6 * wave(t, 900, f"pw{node_name}") + sum(gpu_power(cluster, node_name, i, t) for i in range(node.gpus))
    out.add("ipmi_power_watts", {"id": "70", "name": "Pwr Consumption"}, round(watts, 1), help_text="Power reading in Watts.")
    out.add("ipmi_power_state", {"id": "70", "name": "Pwr Consumption"}, 0, help_text="0 nominal, 1 warning, 2 critical.")
    out.add("ipmi_dcmi_power_consumption_watts", {}, round(watts), help_text="Current power consumption in Watts.")
    for sid, name, volts in (("50", "12V", 12.02), ("51", "5V", 5.01), ("52", "3.3V", 3.31)):
        out.add("ipmi_voltage_volts", {"id": sid, "name": name}, round(volts + 0.02 * wave(t, 500, name + node_name), 3),
                help_text="Voltage reading in Volts.")
        out.add("ipmi_voltage_state", {"id": sid, "name": name}, 0, help_text="0 nominal, 1 warning, 2 critical.")
    for sid, name, typ in (("61", "PS1 Status", "Power Supply"), ("62", "PS2 Status", "Power Supply"), ("80", "Drive 0", "Drive Slot")):
        out.add("ipmi_sensor_state", {"id": sid, "name": name, "type": typ}, 0, help_text="Generic sensor state.")
        out.add("ipmi_sensor_value", {"id": sid, "name": name, "type": typ}, 1, help_text="Generic sensor value.")
    return out


def cpu_temperature(node, t, socket):
    """CPU package temperature (°C): about 38 °C idle, 72 °C with every CPU allocated."""
    return 38 + 34 * node.load + 2 * wave(t, 600 + 100 * socket, f"cpu{socket + 1}{node.name}")


def hwmon(cluster, node_name, t):
    """node_exporter's hwmon collector on one node: the CPU packages' coretemp sensors. The stack's
    host (a VM) has no hwmon sensors; a real node's node_exporter reports these itself."""
    node = cluster.nodes.get(node_name)
    if node is None:
        return None
    out = Exposition()
    for socket in (0, 1):
        chip = f"platform_coretemp_{socket}"
        out.add("node_hwmon_chip_names", {"chip": chip, "chip_name": "coretemp"}, 1,
                help_text="Annotation metric for human-readable chip names")
        package = cpu_temperature(node, t, socket)
        out.add("node_hwmon_temp_celsius", {"chip": chip, "sensor": "temp1"}, round(package, 1),
                help_text="Hardware monitor for temperature (input)")
        for core in range(2):
            out.add("node_hwmon_temp_celsius", {"chip": chip, "sensor": f"temp{core + 2}"},
                    round(package - 3 + wave(t, 120, f"core{core}{socket}{node_name}"), 1))
    return out


def cgroup(cluster, node_name, t):
    """A per-job cgroup exporter on one node: one cgroup per running job there (jobid label)."""
    if node_name not in cluster.nodes:
        return None
    out = Exposition()
    for job in cluster.jobs:
        cpus = job.cpus.get(node_name)
        if not cpus:
            continue
        labels = {"jobid": str(job.job_id), "cgroup": f"/slurm/uid_{job.uid}/job_{job.job_id}"}
        elapsed = max(0.0, t - job.start_time)
        # CPU time grows at cpus * efficiency, +-10 % over ten minutes; never decreases.
        efficiency = 0.3 + 0.68 * unit(f"cpu-efficiency-{job.job_id}")
        rate, omega = cpus * efficiency, 2 * math.pi / 600
        cpu_seconds = rate * elapsed + rate * 0.1 / omega * math.sin(omega * elapsed)
        limit = job.memory_mb.get(node_name, 1000) * 1024 * 1024
        rss = limit * min(0.97, (0.15 + 0.8 * unit(f"mem-{job.job_id}")) * (1 + 0.04 * wave(t, 900, f"m{job.job_id}")))
        out.add("cgroup_cpus", labels, cpus, help_text="Number of CPUs in the cgroup.")
        out.add("cgroup_cpu_user_seconds", labels, round(cpu_seconds * 0.92, 3), "counter", "Cumulative user CPU time.")
        out.add("cgroup_cpu_system_seconds", labels, round(cpu_seconds * 0.08, 3), "counter", "Cumulative system CPU time.")
        out.add("cgroup_cpu_total_seconds", labels, round(cpu_seconds, 3), "counter", "Cumulative CPU time.")
        out.add("cgroup_memory_rss_bytes", labels, round(rss), help_text="Memory RSS used in bytes.")
        out.add("cgroup_memory_cache_bytes", labels, round(rss * 0.05), help_text="Memory cache used in bytes.")
        out.add("cgroup_memory_used_bytes", labels, round(min(limit, rss * 1.06)), help_text="Memory used in bytes.")
        out.add("cgroup_memory_total_bytes", labels, limit, help_text="Memory limit in bytes.")
    return out
