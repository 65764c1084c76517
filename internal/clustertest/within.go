package clustertest

import (
	"testing"
	"time"
)

// Within runs f and fails the test if it has not returned after d: a hang
// becomes a failure naming what hung instead of a stuck test binary. A
// guard, not a timing: d is far above what f needs.
func Within(t testing.TB, d time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s has not returned after %v", what, d)
	}
}
