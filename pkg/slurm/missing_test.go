package slurm

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// A 200 answer without the data its endpoint always carries is Malformed
// and names what is missing, on every version: never an empty list, a zero
// diag or a ping without a Slurm version.
func TestAnswersWithoutTheirDataAreMalformedOnEveryVersion(t *testing.T) {
	for _, rv := range [][2]string{
		{"23.11.11", "v0.0.38"}, {"23.11.11", "v0.0.39"}, {"25.05.8", "v0.0.40"}, {"25.05.8", "v0.0.41"},
		{"26.05.3", "v0.0.42"}, {"26.05.3", "v0.0.43"}, {"26.05.3", "v0.0.44"}, {"26.05.3", "v0.0.45"},
	} {
		t.Run(rv[0]+"/"+rv[1], func(t *testing.T) {
			srv := clustertest.Start(t, rv[0], rv[1])
			c, err := New(Config{URL: srv.URL(), APIVersion: rv[1], User: clustertest.User, Token: clustertest.Token, MaxRetries: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			srv.SetFault(clustertest.EmptyEnvelope)
			ctx := context.Background()
			calls := map[string]func() error{
				"Slurm version (meta.slurm.release)": func() error { _, err := c.Ping(ctx); return err },
				`"jobs" list`:                        func() error { _, err := c.Jobs(ctx, time.Time{}); return err },
				`"nodes" list`:                       func() error { _, err := c.Nodes(ctx); return err },
				`"partitions" list`:                  func() error { _, err := c.Partitions(ctx); return err },
				`"reservations" list`:                func() error { _, err := c.Reservations(ctx); return err },
				`"statistics" object`:                func() error { _, err := c.Diag(ctx); return err },
				`"jobs" list (accounting)`: func() error {
					_, err := c.AccountingJobs(ctx, AccountingFilter{})
					return err
				},
			}
			if rv[1] >= "v0.0.40" {
				calls[`"shares" list`] = func() error { _, err := c.Shares(ctx); return err }
			}
			for want, call := range calls {
				err := call()
				var missing *MissingDataError
				if KindOf(err) != Malformed || !errors.As(err, &missing) {
					t.Errorf("%s: got %v, want a malformed answer", want, err)
					continue
				}
				if name, _, _ := strings.Cut(want, " (accounting)"); !strings.Contains(err.Error(), "the answer carries no "+name) {
					t.Errorf("error %q does not name %s", err, name)
				}
			}
		})
	}
}

// null is as missing as absent; [] is an empty cluster.
func TestNullListIsMissingButEmptyListIsEmpty(t *testing.T) {
	body := `{"meta":{"slurm":{"release":"26.05.3"}},"errors":[],"warnings":[],"nodes":%s}`
	for list, wantErr := range map[string]bool{"null": true, "[]": false} {
		srv := newPlainServer(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(strings.Replace(body, "%s", list, 1)))
		})
		c := faultClient(t, srv.URL, nil)
		nodes, err := c.Nodes(context.Background())
		if gotErr := err != nil; gotErr != wantErr || (!wantErr && nodes == nil) {
			t.Errorf(`"nodes": %s: got %v nodes, error %v`, list, nodes, err)
		}
	}
	for list, wantErr := range map[string]bool{"null": true, "[]": false} {
		srv := newPlainServer(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"jobs":` + list + `,"last_update":{"set":true,"number":1},"errors":[],"warnings":[],"meta":{}}`))
		})
		c := faultClient(t, srv.URL, nil)
		ans, err := c.Jobs(context.Background(), time.Time{})
		if gotErr := err != nil; gotErr != wantErr || (!wantErr && (ans.Jobs == nil || ans.Unchanged)) {
			t.Errorf(`"jobs": %s: got %+v, error %v`, list, ans, err)
		}
	}
}
