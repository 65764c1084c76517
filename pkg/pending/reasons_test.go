package pending

import (
	"sort"
	"strings"
	"testing"
)

// slurmReasonCodes is every text job_state_reason_string gives in Slurm
// 22.05 … 26.05, in the order of enum job_state_reason (slurm.h.in), read
// from SchedMD's source: slurm_protocol_defs.c (22.05, 23.02: a switch) and
// job_state_reason.c (23.11 on: the jsra table). "PartitionDown" is both
// WAIT_PART_DOWN and FAIL_DOWN_PARTITION; "AssocMaxBBMinutesPerJob" is both
// WAIT_ASSOC_MAX_BB_MINS_PER_JOB and WAIT_QOS_MAX_BB_MINS_PER_JOB.
var slurmReasonCodes = []string{
	"None", "Priority", "Dependency", "Resources", "PartitionNodeLimit", "PartitionTimeLimit",
	"PartitionDown", "PartitionInactive", "JobHeldAdmin", "BeginTime", "Licenses", "AssociationJobLimit",
	"AssociationResourceLimit", "AssociationTimeLimit", "Reservation", "ReqNodeNotAvail", "JobHeldUser",
	"FrontEndDown", "SchedDefer", "PartitionDown", "NodeDown", "BadConstraints", "SystemFailure",
	"JobLaunchFailure", "NonZeroExitCode", "TimeLimit", "InactiveLimit", "InvalidAccount", "InvalidQOS",
	"QOSUsageThreshold", "QOSJobLimit", "QOSResourceLimit", "QOSTimeLimit", "RaisedSignal", "Cleaning",
	"Prolog", "QOSNotAllowed", "AccountNotAllowed", "DependencyNeverSatisfied",
	"QOSGrpCpuLimit", "QOSGrpCPUMinutesLimit", "QOSGrpCPURunMinutesLimit", "QOSGrpJobsLimit",
	"QOSGrpMemLimit", "QOSGrpNodeLimit", "QOSGrpSubmitJobsLimit", "QOSGrpWallLimit",
	"QOSMaxCpuPerJobLimit", "QOSMaxCpuMinutesPerJobLimit", "QOSMaxNodePerJobLimit",
	"QOSMaxWallDurationPerJobLimit", "QOSMaxCpuPerUserLimit", "QOSMaxJobsPerUserLimit",
	"QOSMaxNodePerUserLimit", "QOSMaxSubmitJobPerUserLimit", "QOSMinCpuNotSatisfied",
	"AssocGrpCpuLimit", "AssocGrpCPUMinutesLimit", "AssocGrpCPURunMinutesLimit", "AssocGrpJobsLimit",
	"AssocGrpMemLimit", "AssocGrpNodeLimit", "AssocGrpSubmitJobsLimit", "AssocGrpWallLimit",
	"AssocMaxJobsLimit", "AssocMaxCpuPerJobLimit", "AssocMaxCpuMinutesPerJobLimit",
	"AssocMaxNodePerJobLimit", "AssocMaxWallDurationPerJobLimit", "AssocMaxSubmitJobLimit",
	"JobHoldMaxRequeue", "JobArrayTaskLimit", "BurstBufferResources", "BurstBufferStageIn",
	"BurstBufferOperation", "PowerNotAvail", "PowerReserved",
	"AssocGrpUnknown", "AssocGrpUnknownMinutes", "AssocGrpUnknownRunMinutes", "AssocMaxUnknownPerJob",
	"AssocMaxUnknownPerNode", "AssocMaxUnknownMinutesPerJob", "AssocMaxCpuPerNode", "AssocGrpMemMinutes",
	"AssocGrpMemRunMinutes", "AssocMaxMemPerJob", "AssocMaxMemPerNode", "AssocMaxMemMinutesPerJob",
	"AssocGrpNodeMinutes", "AssocGrpNodeRunMinutes", "AssocMaxNodeMinutesPerJob", "AssocGrpEnergy",
	"AssocGrpEnergyMinutes", "AssocGrpEnergyRunMinutes", "AssocMaxEnergyPerJob", "AssocMaxEnergyPerNode",
	"AssocMaxEnergyMinutesPerJob", "AssocGrpGRES", "AssocGrpGRESMinutes", "AssocGrpGRESRunMinutes",
	"AssocMaxGRESPerJob", "AssocMaxGRESPerNode", "AssocMaxGRESMinutesPerJob", "AssocGrpLicense",
	"AssocGrpLicenseMinutes", "AssocGrpLicenseRunMinutes", "AssocMaxLicensePerJob",
	"AssocMaxLicenseMinutesPerJob", "AssocGrpBB", "AssocGrpBBMinutes", "AssocGrpBBRunMinutes",
	"AssocMaxBBPerJob", "AssocMaxBBPerNode", "AssocMaxBBMinutesPerJob",
	"QOSGrpUnknown", "QOSGrpUnknownMinutes", "QOSGrpUnknownRunMinutes", "QOSMaxUnknownPerJob",
	"QOSMaxUnknownPerNode", "QOSMaxUnknownPerUser", "QOSMaxUnknownMinutesPerJob", "QOSMinUnknown",
	"QOSMaxCpuPerNode", "QOSGrpMemoryMinutes", "QOSGrpMemoryRunMinutes", "QOSMaxMemoryPerJob",
	"QOSMaxMemoryPerNode", "QOSMaxMemoryPerUser", "QOSMaxMemoryMinutesPerJob", "QOSMinMemory",
	"QOSGrpEnergy", "QOSGrpEnergyMinutes", "QOSGrpEnergyRunMinutes", "QOSMaxEnergyPerJob",
	"QOSMaxEnergyPerNode", "QOSMaxEnergyPerUser", "QOSMaxEnergyMinutesPerJob", "QOSMinEnergy",
	"QOSGrpNodeMinutes", "QOSGrpNodeRunMinutes", "QOSMaxNodeMinutesPerJob", "QOSMinNode",
	"QOSGrpGRES", "QOSGrpGRESMinutes", "QOSGrpGRESRunMinutes", "QOSMaxGRESPerJob", "QOSMaxGRESPerNode",
	"QOSMaxGRESPerUser", "QOSMaxGRESMinutesPerJob", "QOSMinGRES", "QOSGrpLicense", "QOSGrpLicenseMinutes",
	"QOSGrpLicenseRunMinutes", "QOSMaxLicensePerJob", "QOSMaxLicensePerUser", "QOSMaxLicenseMinutesPerJob",
	"QOSMinLicense", "QOSGrpBB", "QOSGrpBBMinutes", "QOSGrpBBRunMinutes", "QOSMaxBBPerJob",
	"QOSMaxBBPerNode", "QOSMaxBBPerUser", "AssocMaxBBMinutesPerJob", "QOSMinBB", "DeadLine",
	"MaxBBPerAccount", "MaxCpuPerAccount", "MaxEnergyPerAccount", "MaxGRESPerAccount",
	"MaxNodePerAccount", "MaxLicensePerAccount", "MaxMemoryPerAccount", "MaxUnknownPerAccount",
	"MaxJobsPerAccount", "MaxSubmitJobsPerAccount", "PartitionConfig", "AccountingPolicy", "FedJobLock",
	"OutOfMemory", "MaxMemPerLimit",
	"AssocGrpBilling", "AssocGrpBillingMinutes", "AssocGrpBillingRunMinutes", "AssocMaxBillingPerJob",
	"AssocMaxBillingPerNode", "AssocMaxBillingMinutesPerJob", "QOSGrpBilling", "QOSGrpBillingMinutes",
	"QOSGrpBillingRunMinutes", "QOSMaxBillingPerJob", "QOSMaxBillingPerNode", "QOSMaxBillingPerUser",
	"QOSMaxBillingMinutesPerJob", "MaxBillingPerAccount", "QOSMinBilling",
	"ReservationDeleted", "ReservationInvalid", "Constraints",
	// 23.11 … 26.05
	"MaxBBRunMinsPerAccount", "MaxBillingRunMinsPerAccount", "MaxCpuRunMinsPerAccount",
	"MaxEnergyRunMinsPerAccount", "MaxGRESRunMinsPerAccount", "MaxNodeRunMinsPerAccount",
	"MaxLicenseRunMinsPerAccount", "MaxMemoryRunMinsPerAccount", "MaxUnknownRunMinsPerAccount",
	"MaxBBRunMinsPerUser", "MaxBillingRunMinsPerUser", "MaxCpuRunMinsPerUser", "MaxEnergyRunMinsPerUser",
	"MaxGRESRunMinsPerUser", "MaxNodeRunMinsPerUser", "MaxLicenseRunMinsPerUser",
	"MaxMemoryRunMinsPerUser", "MaxUnknownRunMinsPerUser", "MaxPoweredUpNodes", "MpiPortsBusy",
}

// Every code Slurm can give maps to one of the seven categories (never
// Other) with a meaning, and the table holds no code Slurm does not have.
func TestEverySlurmReasonCodeHasACategory(t *testing.T) {
	want := map[string]bool{}
	for _, code := range slurmReasonCodes {
		want[code] = true
		r, ok := LookupReason(code)
		if !ok || r.Category == Other {
			t.Errorf("%s: not in the table (category %s)", code, r.Category)
			continue
		}
		if r.Meaning == "" || strings.Contains(r.Meaning, "%s") {
			t.Errorf("%s: meaning %q", code, r.Meaning)
		}
	}
	for _, code := range ReasonCodes() {
		if !want[code] {
			t.Errorf("table has %q, which Slurm 22.05–26.05 does not give", code)
		}
	}
	if got := len(ReasonCodes()); got != len(want) {
		t.Errorf("table has %d codes, Slurm %d distinct", got, len(want))
	}
	if !sort.StringsAreSorted(ReasonCodes()) {
		t.Error("ReasonCodes is not sorted")
	}
}

func TestReasonCategoriesThatMatter(t *testing.T) {
	cases := map[string]Category{
		"Resources": Resources, "Priority": Priority, "Dependency": Dependency, "BeginTime": Held,
		"JobHeldUser": Held, "JobHeldAdmin": Held, "JobArrayTaskLimit": Limit, "QOSMaxGRESPerUser": Limit,
		"AssocGrpCpuLimit": Limit, "QOSMaxJobsPerUserLimit": Limit, "PartitionTimeLimit": Impossible,
		"QOSMaxWallDurationPerJobLimit": Impossible, "AssocMaxGRESPerJob": Impossible,
		"DependencyNeverSatisfied": Impossible, "Reservation": Reservation, "ReqNodeNotAvail": Resources,
		"QOSMinCpuNotSatisfied": Impossible,
	}
	for code, want := range cases {
		if r, _ := LookupReason(code); r.Category != want {
			t.Errorf("%s: category %s, want %s", code, r.Category, want)
		}
	}
	r, _ := LookupReason("QOSMaxGRESPerUser")
	if r.Limit == nil || *r.Limit != (LimitRef{Scope: ScopeQOS, Setting: "MaxTRESPerUser", TRES: "gres"}) {
		t.Errorf("QOSMaxGRESPerUser limit %+v", r.Limit)
	}
	if r.Meaning != "The job's QOS limit on GRES (GPUs) of one user's running jobs (MaxTRESPerUser) is reached." {
		t.Errorf("meaning %q", r.Meaning)
	}
	r, _ = LookupReason("AssocMaxCpuPerJobLimit")
	if r.Meaning != "The job asks for more than its association (account or user) allows: CPUs per job (MaxTRESPerJob)." {
		t.Errorf("meaning %q", r.Meaning)
	}
}

func TestUnknownReasonKeepsItsText(t *testing.T) {
	r, ok := LookupReason("FancyNewReason")
	if ok || r.Category != Other || r.Code != "FancyNewReason" || !strings.Contains(r.Meaning, "FancyNewReason") {
		t.Errorf("unknown: ok=%v %+v", ok, r)
	}
	if r, ok := LookupReason("priority"); !ok || r.Code != "Priority" {
		t.Errorf("case-insensitive lookup: ok=%v %+v", ok, r)
	}
	if r, _ := LookupReason(""); r.Category != Other || r.Meaning != "Slurm gives no reason." {
		t.Errorf("empty: %+v", r)
	}
}
