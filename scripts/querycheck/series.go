package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// A synthetic but realistic compute centre: the metric and label names are those of node_exporter,
// dcgm-exporter, the IPMI exporter, kube-state-metrics and a cgroup/jobstats exporter. Values follow
// smooth daily-ish curves with a few deliberate faults, so that every alert rule has something to
// fire on and every dashboard panel something to show.

type labels map[string]string

type series struct {
	name   string
	labels labels
	value  func(t float64) float64 // t = seconds since the start of the window
	alive  func(t float64) bool    // nil = always scraped
}

const (
	windowSeconds = 3 * 3600 // history covered by the generated series
	stepSeconds   = 30       // scrape interval of the generated series
)

var (
	slurmNodes = []string{"node01", "node02", "node03", "node04", "node05", "node06", "node07", "node08"}
	gpuNodes   = map[string]bool{"node05": true, "node06": true, "node07": true, "node08": true}
	k8sNodes   = []string{"k8s-w1", "k8s-w2", "k8s-w3"}
	// Faults planted on purpose (each matches a rule in prometheus/rules or provisioning/alerting).
	downNode       = "node08" // node_exporter stops answering 40 minutes before the end
	fullDiskNode   = "node07" // /scratch 95% full
	memoryNode     = "node06" // 98% of memory in use
	overloadedNode = "node04" // load 3 per core
)

func constant(v float64) func(float64) float64 { return func(float64) float64 { return v } }

// wave oscillates around base by ±amp with the given period (seconds) and phase.
func wave(base, amp, period, phase float64) func(float64) float64 {
	return func(t float64) float64 { return base + amp*math.Sin(2*math.Pi*t/period+phase) }
}

// counter grows at rate per second (plus a small wobble), like a *_total series.
func counter(start, rate float64) func(float64) float64 {
	return func(t float64) float64 { return start + rate*t + rate*10*math.Sin(t/600) + rate*10 }
}

func fleet() []series {
	var out []series
	add := func(name string, l labels, v func(float64) float64) {
		out = append(out, series{name: name, labels: l, value: v})
	}

	// ---- node_exporter on every Slurm node and every Kubernetes node ----
	hosts := append(append([]string{}, slurmNodes...), k8sNodes...)
	for i, host := range hosts {
		inst := host + ":9100"
		base := func(extra labels) labels {
			l := labels{"job": "node", "instance": inst}
			for k, v := range extra {
				l[k] = v
			}
			return l
		}
		n := len(out)
		phase := float64(i)
		cores := 4
		add("node_uname_info", base(labels{"nodename": host, "sysname": "Linux", "release": "6.1.0-28-amd64",
			"version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)", "machine": "x86_64", "domainname": "(none)"}), constant(1))
		for c := 0; c < cores; c++ {
			cpu := fmt.Sprint(c)
			busy := 0.2 + 0.1*float64(i%5)
			add("node_cpu_seconds_total", base(labels{"cpu": cpu, "mode": "idle"}), counter(1e6, 1-busy))
			add("node_cpu_seconds_total", base(labels{"cpu": cpu, "mode": "user"}), counter(5e5, busy*0.8))
			add("node_cpu_seconds_total", base(labels{"cpu": cpu, "mode": "system"}), counter(1e5, busy*0.15))
			add("node_cpu_seconds_total", base(labels{"cpu": cpu, "mode": "iowait"}), counter(2e4, busy*0.05))
		}
		load := 1.5 + 0.5*float64(i%3)
		if host == overloadedNode {
			load = 3 * float64(cores)
		}
		add("node_load1", base(nil), wave(load, 0.4, 1800, phase))
		add("node_load5", base(nil), wave(load, 0.3, 1800, phase))
		add("node_load15", base(nil), wave(load, 0.2, 1800, phase))
		memTotal := 256e9
		avail := wave(0.55*memTotal, 0.1*memTotal, 3600, phase)
		if host == memoryNode {
			avail = constant(0.02 * memTotal)
		}
		add("node_memory_MemTotal_bytes", base(nil), constant(memTotal))
		add("node_memory_MemAvailable_bytes", base(nil), avail)
		for _, fs := range []struct{ dev, fstype, mount string }{
			{"/dev/sda2", "ext4", "/"}, {"/dev/nvme0n1", "xfs", "/scratch"}, {"tmpfs", "tmpfs", "/run"},
		} {
			size := 1.8e12
			free := wave(0.6*size, 0.05*size, 7200, phase)
			if host == fullDiskNode && fs.mount == "/scratch" {
				free = constant(0.05 * size)
			}
			if fs.fstype == "tmpfs" {
				size = 2e10
				free = constant(0.01 * size) // full tmpfs: must not trigger the disk alert
			}
			l := labels{"device": fs.dev, "fstype": fs.fstype, "mountpoint": fs.mount}
			add("node_filesystem_size_bytes", base(l), constant(size))
			add("node_filesystem_avail_bytes", base(l), free)
		}
		add("node_disk_read_bytes_total", base(labels{"device": "nvme0n1"}), counter(1e12, 5e7))
		add("node_disk_written_bytes_total", base(labels{"device": "nvme0n1"}), counter(8e11, 3e7))
		add("node_disk_io_time_seconds_total", base(labels{"device": "nvme0n1"}), counter(1e5, 0.3))
		for _, dev := range []string{"eth0", "ib0", "lo"} {
			l := labels{"device": dev}
			add("node_network_receive_bytes_total", base(l), counter(1e12, 1.2e8))
			add("node_network_transmit_bytes_total", base(l), counter(9e11, 0.8e8))
			add("node_network_receive_errs_total", base(l), counter(10, 0.001))
			add("node_network_transmit_errs_total", base(l), counter(5, 0.0005))
			add("node_network_receive_drop_total", base(l), counter(100, 0.01))
		}
		for _, chip := range []string{"platform_coretemp_0", "platform_coretemp_1"} {
			add("node_hwmon_temp_celsius", base(labels{"chip": chip, "sensor": "temp1"}), wave(55, 8, 2400, phase))
		}
		alive := func(float64) bool { return true }
		if host == downNode {
			alive = func(t float64) bool { return t < windowSeconds-40*60 }
		}
		for j := n; j < len(out); j++ {
			out[j].alive = alive
		}
		add("up", base(nil), func(t float64) float64 {
			if alive(t) {
				return 1
			}
			return 0
		})
	}

	// ---- cgroup / jobstats exporter: one cgroup per Slurm job, jobid label ----
	jobs := []struct {
		id, host string
		cpus     int
		eff      float64 // CPU efficiency
		memFrac  float64 // RSS / limit
	}{
		{"4101", "node01", 16, 0.95, 0.70}, {"4102", "node02", 8, 0.35, 0.20}, {"4103", "node03", 32, 0.80, 0.90},
		{"4104", "node05", 8, 0.60, 0.50}, {"4105", "node06", 4, 0.10, 0.05}, {"4106", "node07", 24, 0.99, 0.97},
	}
	for _, j := range jobs {
		l := func() labels { return labels{"job": "cgroup", "instance": j.host + ":9306", "jobid": j.id} }
		limit := 64e9
		add("cgroup_cpus", l(), constant(float64(j.cpus)))
		add("cgroup_cpu_total_seconds", l(), counter(1e4, float64(j.cpus)*j.eff))
		add("cgroup_memory_total_bytes", l(), constant(limit))
		add("cgroup_memory_rss_bytes", l(), constant(j.memFrac*limit))
		add("cgroup_memory_used_bytes", l(), constant((j.memFrac+0.02)*limit))
	}

	// ---- dcgm-exporter on the GPU nodes: 4 GPUs each, the first two mapped to a job ----
	gpuJob := map[string]string{"node05": "4104", "node06": "4105", "node07": "4106", "node08": "4107"}
	for _, host := range slurmNodes {
		if !gpuNodes[host] {
			continue
		}
		for g := 0; g < 4; g++ {
			l := func() labels {
				m := labels{"job": "dcgm", "instance": host + ":9400", "Hostname": host, "gpu": fmt.Sprint(g),
					"UUID": fmt.Sprintf("GPU-%08x-5d1f-4c2e-9a7b-%012d", len(host)*1000+g, g), "device": fmt.Sprintf("nvidia%d", g),
					"modelName": "NVIDIA A100-SXM4-80GB", "DCGM_FI_DRIVER_VERSION": "550.127.05"}
				if g < 2 {
					m["hpc_job"] = gpuJob[host]
				}
				return m
			}
			util, temp := wave(75, 20, 1200, float64(g)), wave(62, 6, 1800, float64(g))
			if g >= 2 {
				util = constant(0)
			}
			if host == "node07" && g == 1 {
				temp = constant(89) // hot GPU
			}
			xid := constant(0)
			if host == "node06" && g == 0 {
				xid = func(t float64) float64 { // XID 79 (fallen off the bus) 5 minutes before the end
					if t > windowSeconds-5*60 {
						return 79
					}
					return 0
				}
			}
			add("DCGM_FI_DEV_GPU_UTIL", l(), util)
			add("DCGM_FI_DEV_FB_USED", l(), wave(40000, 10000, 2400, float64(g)))
			add("DCGM_FI_DEV_FB_FREE", l(), wave(41000, 10000, 2400, float64(g)+math.Pi))
			add("DCGM_FI_DEV_GPU_TEMP", l(), temp)
			add("DCGM_FI_DEV_POWER_USAGE", l(), wave(280, 80, 1200, float64(g)))
			add("DCGM_FI_DEV_SM_CLOCK", l(), wave(1300, 100, 900, float64(g)))
			add("DCGM_FI_DEV_XID_ERRORS", l(), xid)
		}
	}

	// ---- IPMI exporter, one target per node's BMC (instance = node name, partition from file_sd) ----
	for i, host := range slurmNodes {
		partition := "cpu"
		if gpuNodes[host] {
			partition = "gpu"
		}
		l := func(extra labels) labels {
			m := labels{"job": "ipmi", "instance": host, "partition": partition}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		state := func(bad bool, v float64) func(float64) float64 {
			if bad {
				return constant(v)
			}
			return constant(0)
		}
		add("ipmi_up", l(labels{"collector": "ipmi"}), constant(1))
		add("ipmi_up", l(labels{"collector": "dcmi"}), constant(1))
		for _, s := range []struct{ id, name string }{{"4", "Inlet Temp"}, {"1", "CPU1 Temp"}, {"2", "CPU2 Temp"}} {
			add("ipmi_temperature_celsius", l(labels{"id": s.id, "name": s.name}), wave(24+float64(i), 3, 3600, float64(i)))
			add("ipmi_temperature_state", l(labels{"id": s.id, "name": s.name}), state(host == "node03" && s.name == "Inlet Temp", 1))
		}
		for _, f := range []struct{ id, name string }{{"30", "FAN1"}, {"31", "FAN2"}} {
			add("ipmi_fan_speed_rpm", l(labels{"id": f.id, "name": f.name}), wave(9000, 600, 900, float64(i)))
			add("ipmi_fan_speed_state", l(labels{"id": f.id, "name": f.name}), state(host == "node04" && f.name == "FAN2", 2))
		}
		watts := 450.0
		if gpuNodes[host] {
			watts = 1900
		}
		add("ipmi_power_watts", l(labels{"id": "70", "name": "Pwr Consumption"}), wave(watts, 0.1*watts, 1800, float64(i)))
		add("ipmi_power_state", l(labels{"id": "70", "name": "Pwr Consumption"}), state(host == "node06", 1))
		add("ipmi_dcmi_power_consumption_watts", l(nil), wave(watts, 0.1*watts, 1800, float64(i)))
		add("ipmi_voltage_volts", l(labels{"id": "50", "name": "12V"}), wave(12.05, 0.05, 600, float64(i)))
		add("ipmi_voltage_state", l(labels{"id": "50", "name": "12V"}), constant(0))
		for _, ps := range []string{"PS1 Status", "PS2 Status"} {
			add("ipmi_sensor_state", l(labels{"id": "6" + ps[2:3], "name": ps, "type": "Power Supply"}), state(host == "node02" && ps == "PS2 Status", 2))
			add("ipmi_sensor_value", l(labels{"id": "6" + ps[2:3], "name": ps, "type": "Power Supply"}), constant(1))
		}
		add("ipmi_sensor_state", l(labels{"id": "80", "name": "Drive 0", "type": "Drive Slot"}), constant(0))
	}

	// ---- kube-state-metrics ----
	ksm := func(extra labels) labels {
		m := labels{"job": "kube-state-metrics", "instance": "kube-state-metrics:8080"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, node := range k8sNodes {
		ready := node != "k8s-w3" // k8s-w3 is NotReady
		add("kube_node_info", ksm(labels{"node": node, "kernel_version": "6.1.0-28-amd64", "kubelet_version": "v1.31.4",
			"container_runtime_version": "containerd://1.7.24", "os_image": "Debian GNU/Linux 12 (bookworm)"}), constant(1))
		for _, st := range []string{"true", "false", "unknown"} {
			v := 0.0
			if (st == "true") == ready && st != "unknown" {
				v = 1
			}
			add("kube_node_status_condition", ksm(labels{"node": node, "condition": "Ready", "status": st}), constant(v))
		}
		add("kube_node_status_allocatable", ksm(labels{"node": node, "resource": "cpu", "unit": "core"}), constant(31.5))
		add("kube_node_status_allocatable", ksm(labels{"node": node, "resource": "memory", "unit": "byte"}), constant(125e9))
	}
	pods := []struct{ ns, pod, node, phase string }{
		{"ml", "trainer-0", "k8s-w1", "Running"}, {"ml", "trainer-1", "", "Pending"}, {"web", "frontend-7d9f-abcde", "k8s-w2", "Running"},
		{"web", "frontend-7d9f-fghij", "k8s-w1", "Running"}, {"monitoring", "kube-state-metrics-5c8b-x2k9p", "k8s-w2", "Running"},
		{"batch", "etl-28911440-q7z5r", "k8s-w2", "Succeeded"},
	}
	for i, p := range pods {
		uid := fmt.Sprintf("3f6c%04d-9d2e-4b8a-a1c3-%012d", i, i)
		add("kube_pod_info", ksm(labels{"namespace": p.ns, "pod": p.pod, "uid": uid, "node": p.node, "host_ip": "", "pod_ip": "",
			"created_by_kind": "ReplicaSet", "priority_class": ""}), constant(1))
		for _, ph := range []string{"Pending", "Running", "Succeeded", "Failed", "Unknown"} {
			v := 0.0
			if ph == p.phase {
				v = 1
			}
			add("kube_pod_status_phase", ksm(labels{"namespace": p.ns, "pod": p.pod, "uid": uid, "phase": ph}), constant(v))
		}
		c := labels{"namespace": p.ns, "pod": p.pod, "uid": uid, "container": "main", "node": p.node}
		cpu, mem := ksm(c), ksm(c)
		cpu["resource"], cpu["unit"] = "cpu", "core"
		mem["resource"], mem["unit"] = "memory", "byte"
		add("kube_pod_container_resource_requests", cpu, constant(2+float64(i)))
		add("kube_pod_container_resource_requests", mem, constant(8e9+float64(i)*1e9))
		restarts := counter(float64(i), 0)
		if p.pod == "frontend-7d9f-fghij" {
			restarts = func(t float64) float64 { return math.Floor(t / 900) } // crash-looping slowly
		}
		add("kube_pod_container_status_restarts_total", ksm(labels{"namespace": p.ns, "pod": p.pod, "uid": uid, "container": "main"}), restarts)
	}
	// ---- the Slurm data source's own metrics, served by Grafana for the plugin ----
	// Fault: slurmrestd's diag endpoint fails for the last 20 minutes, so diag goes stale.
	grafana := func(extra labels) labels {
		m := labels{"job": "grafana-hpc-slurm-datasource", "instance": "grafana:3000", "datasource": "slurm"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	failing := func(t float64) bool { return t > windowSeconds-20*60 }
	for _, kind := range []string{"jobs", "nodes", "partitions", "reservations", "diag"} {
		add("hpc_slurm_upstream_calls_total", grafana(labels{"endpoint": kind}), counter(500, 1.0/30))
		errorsOf := constant(0)
		if kind == "diag" {
			errorsOf = func(t float64) float64 {
				if failing(t) {
					return (t - (windowSeconds - 20*60)) / 30
				}
				return 0
			}
		}
		add("hpc_slurm_upstream_errors_total", grafana(labels{"endpoint": kind, "kind": "unavailable"}), errorsOf)
		for _, le := range []string{"0.05", "0.1", "0.25", "+Inf"} {
			add("hpc_slurm_upstream_call_duration_seconds_bucket", grafana(labels{"endpoint": kind, "le": le}),
				counter(400, 1.0/30*map[string]float64{"0.05": 0.5, "0.1": 0.8, "0.25": 0.97, "+Inf": 1}[le]))
		}
		stale, age := constant(0), wave(15, 10, 60, 0)
		if kind == "diag" {
			stale = func(t float64) float64 {
				if failing(t) {
					return 1
				}
				return 0
			}
			age = func(t float64) float64 { return math.Max(15, t-(windowSeconds-20*60)) }
		}
		add("hpc_slurm_snapshot_stale", grafana(labels{"kind": kind}), stale)
		add("hpc_slurm_snapshot_age_seconds", grafana(labels{"kind": kind}), age)
	}
	return out
}

// writeOpenMetrics writes the series from start (unix seconds) over the window, grouped by metric
// name as OpenMetrics requires, ending with "# EOF".
func writeOpenMetrics(w io.Writer, all []series, start int64) (samples int, err error) {
	byName := map[string][]series{}
	var names []string
	for _, s := range all {
		if _, seen := byName[s.name]; !seen {
			names = append(names, s.name)
		}
		byName[s.name] = append(byName[s.name], s)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, s := range byName[name] {
			ls := formatLabels(s.labels)
			for t := 0; t <= windowSeconds; t += stepSeconds {
				if s.alive != nil && !s.alive(float64(t)) {
					continue
				}
				if _, err := fmt.Fprintf(w, "%s%s %g %d\n", s.name, ls, s.value(float64(t)), start+int64(t)); err != nil {
					return samples, err
				}
				samples++
			}
		}
	}
	_, err = io.WriteString(w, "# EOF\n")
	return samples, err
}

func formatLabels(l labels) string {
	keys := make([]string, 0, len(l))
	for k, v := range l {
		if v != "" { // an empty label value is the same as no label in Prometheus
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(l[k])
		parts = append(parts, fmt.Sprintf(`%s="%s"`, k, v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}
