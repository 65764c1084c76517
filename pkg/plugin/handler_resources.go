package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/resource/httpadapter"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

// CallResource serves the data source's resource routes
// (/api/datasources/uid/<uid>/resources/<path>).
func (d *Datasource) CallResource(ctx context.Context, req *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	// The one place where resource answers leave the backend.
	sender = d.redact.sender(sender)
	if answered, err := refuseBadPath(req, sender); answered {
		return err
	}
	return d.routes.CallResource(ctx, req, sender)
}

// resourceRoute is one route under /api/datasources/uid/<uid>/resources/:
// a net/http ServeMux pattern ("METHOD /path/{param}") and its handler.
type resourceRoute struct {
	pattern string
	handle  http.HandlerFunc
}

// resourceRoutes are every resource route of the data source. A route is
// one entry; operator actions (POST) are entries like the rest, and answer
// their failures with writeError like the rest.
func (d *Datasource) resourceRoutes() []resourceRoute {
	return append([]resourceRoute{
		{"GET /snapshot/status", d.handleSnapshotStatus},
		{"GET /capabilities", d.handleCapabilities},
		{"GET /variables/{kind}", d.handleVariable},
		{"GET /pending/{jobId}", d.handlePending},
	}, d.actionRoutes()...) // resource_actions.go
}

func (d *Datasource) newResourceRoutes() backend.CallResourceHandler {
	mux := http.NewServeMux()
	for _, r := range d.resourceRoutes() {
		mux.HandleFunc(r.pattern, r.handle)
	}
	return httpAdapterFor(d.recoverHTTP(neverRedirect(mux)))
}

// httpAdapterFor serves an http.Handler as the SDK's resource handler.
func httpAdapterFor(h http.Handler) backend.CallResourceHandler { return httpadapter.New(h) }

// recoverHTTP answers 500 instead of letting a panic end the process
// (httpadapter calls handlers directly, without net/http's recovery).
func (d *Datasource) recoverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				writeError(w, panicError{recovered(d.logger, "resource "+r.URL.Path, v)})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// kindStatus is one kind's entry in snapshot/status.
type kindStatus struct {
	FetchedAt  *time.Time `json:"fetchedAt"`
	AgeSeconds *float64   `json:"ageSeconds"`
	Stale      bool       `json:"stale"`
	Failures   int        `json:"failures"`
	LastError  string     `json:"lastError,omitempty"`
	Count      int        `json:"count"`
}

// snapshotStatus is the body of GET snapshot/status.
type snapshotStatus struct {
	Running                bool                  `json:"running"`
	RefreshIntervalSeconds float64               `json:"refreshIntervalSeconds"`
	StaleLimitSeconds      float64               `json:"staleLimitSeconds"`
	RefreshedAt            *time.Time            `json:"refreshedAt"`
	AgeSeconds             *float64              `json:"ageSeconds"` // age of the oldest kind
	Stale                  bool                  `json:"stale"`
	Usable                 bool                  `json:"usable"` // every kind is within the stale limit
	LastError              string                `json:"lastError,omitempty"`
	Counts                 map[string]int        `json:"counts"`
	Kinds                  map[string]kindStatus `json:"kinds"`
}

// handleSnapshotStatus reports the snapshot's age, staleness, last error
// (never a secret) and counts. Looking at it counts as reading, so it also
// wakes an idle poller.
func (d *Datasource) handleSnapshotStatus(w http.ResponseWriter, r *http.Request) {
	snap, err := d.poller.Snapshot(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	st := snapshotStatus{
		Running:                d.poller.Running(),
		RefreshIntervalSeconds: d.poller.Interval().Seconds(),
		StaleLimitSeconds:      d.poller.StaleLimit().Seconds(),
		Usable:                 true,
		Counts:                 map[string]int{},
		Kinds:                  map[string]kindStatus{},
	}
	if !snap.RefreshedAt.IsZero() {
		t := snap.RefreshedAt.UTC()
		st.RefreshedAt = &t
	}
	counts := map[cluster.Kind]int{
		cluster.KindJobs:         len(snap.Jobs),
		cluster.KindNodes:        len(snap.Nodes),
		cluster.KindPartitions:   len(snap.Partitions),
		cluster.KindReservations: len(snap.Reservations),
	}
	if snap.Diag != nil {
		counts[cluster.KindDiag] = 1
	}
	for _, k := range cluster.Kinds() {
		f, ferr := d.poller.Freshness(snap, k)
		ks := kindStatus{Stale: f.Stale, Failures: snap.Status(k).Failures, Count: counts[k]}
		if !f.FetchedAt.IsZero() {
			t, age := f.FetchedAt.UTC(), f.Age.Seconds()
			ks.FetchedAt, ks.AgeSeconds = &t, &age
			if st.AgeSeconds == nil || age > *st.AgeSeconds {
				st.AgeSeconds = &age
			}
		} else {
			ks.Stale = true
		}
		if e := snap.Status(k).LastError; e != nil {
			ks.LastError = e.Error()
			if st.LastError == "" {
				st.LastError = ks.LastError
			}
		}
		if ferr != nil {
			st.Usable = false
			if ks.LastError == "" {
				ks.LastError = ferr.Error()
			}
		}
		st.Stale = st.Stale || ks.Stale
		st.Kinds[k.String()] = ks
		if k != cluster.KindDiag {
			st.Counts[k.String()] = ks.Count
		}
	}
	writeJSON(w, http.StatusOK, st)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
