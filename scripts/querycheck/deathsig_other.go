//go:build !linux

package main

import "os/exec"

// stopWithParent has no kernel support outside Linux; the signal handler in main still stops
// Prometheus on SIGINT/SIGTERM.
func stopWithParent(*exec.Cmd) {}
