package slurm

import "strings"

// Base states (slurm.h job_states / node_states). Anything else in a state
// array is a flag.
var (
	jobBaseStates = set("PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED",
		"TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY")
	nodeBaseStates = set("UNKNOWN", "DOWN", "IDLE", "ALLOCATED", "ERROR", "MIXED", "FUTURE")
)

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// stateNames interns the state strings: 100k jobs share a handful of names.
var stateNames = map[string]string{}

func init() {
	for _, m := range []map[string]bool{jobBaseStates, nodeBaseStates} {
		for k := range m {
			stateNames[k] = k
		}
	}
	for _, k := range []string{"COMPLETING", "CONFIGURING", "REQUEUED", "RESIZING", "REVOKED", "SIGNALING",
		"STAGE_OUT", "STOPPED", "DRAIN", "RESERVED", "PLANNED", "NOT_RESPONDING", "MAINTENANCE",
		"POWERED_DOWN", "POWERING_DOWN", "POWERING_UP", "POWER_DOWN", "REBOOT_REQUESTED", "CLOUD", "COMPLETING"} {
		stateNames[k] = k
	}
}

func internState(s string) string {
	if v, ok := stateNames[s]; ok {
		return v
	}
	return s
}

// stateFromList splits a v0.0.40+ state array (["MIXED","PLANNED"]) into the
// base state and flags. The base is the first element that is a base state;
// when none is (a flag-only array), Base is "".
func stateFromList(list []string, bases map[string]bool) State {
	var st State
	for _, s := range list {
		s = internState(strings.ToUpper(s))
		if st.Base == "" && bases[s] {
			st.Base = s
			continue
		}
		st.Flags = append(st.Flags, s)
	}
	return st
}

// stateFromString handles v0.0.38/39 single-name job states (job_state_string):
// a base name, or a flag name that Slurm shows instead of the base
// (e.g. "COMPLETING"); the latter is kept as a flag with an unknown base.
func stateFromString(s string, bases map[string]bool) State {
	s = internState(strings.ToUpper(s))
	if s == "" {
		return State{}
	}
	if bases[s] {
		return State{Base: s}
	}
	return State{Flags: []string{s}}
}

// nodeStateV38 handles v0.0.38 nodes: a lower-case base ("mixed", possibly
// with a "+flag" suffix on some builds) plus state_flags.
func nodeStateV38(state string, flags []string) State {
	parts := strings.Split(state, "+")
	st := stateFromList(parts, nodeBaseStates)
	for _, f := range flags {
		st.Flags = append(st.Flags, internState(strings.ToUpper(f)))
	}
	return st
}
