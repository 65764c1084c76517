package slurm

import (
	"encoding/json"
	"fmt"
	"strings"
)

// nodeStates are the states an operator may set (v0.0.39+ update_node_msg enum subset).
var nodeStates = set("DRAIN", "RESUME", "UNDRAIN", "DOWN", "IDLE", "FAIL", "POWER_DOWN", "POWER_UP", "REBOOT_REQUESTED", "REBOOT_CANCELED")

// nodeUpdateBody is the POST /node/{name} body of v0.0.39+:
// {"state":["DRAIN"],"reason":"…"}, as recorded on 23.11, 25.05 and 26.05.
func nodeUpdateBody(u NodeUpdate) ([]byte, error) {
	st := strings.ToUpper(strings.TrimSpace(u.State))
	if !nodeStates[st] {
		return nil, fmt.Errorf("node state %q is not one of DRAIN, RESUME, UNDRAIN, DOWN, IDLE, FAIL, POWER_DOWN, POWER_UP, REBOOT_REQUESTED, REBOOT_CANCELED", u.State)
	}
	if (st == "DRAIN" || st == "DOWN" || st == "FAIL") && strings.TrimSpace(u.Reason) == "" {
		return nil, fmt.Errorf("node state %s needs a reason", st)
	}
	body := struct {
		State  []string `json:"state"`
		Reason string   `json:"reason,omitempty"`
	}{State: []string{st}, Reason: u.Reason}
	return json.Marshal(body)
}
