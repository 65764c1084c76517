package plugin

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"golang.org/x/sync/singleflight"
)

// sharedFrames keeps the frames of pages of jobs and nodes (query.Shared)
// for as long as the data they were built from is current. Fifty viewers
// of one dashboard send the same page query at every refresh, and the
// snapshot cannot change under them: one of them builds the page, the
// others get it, and identical queries arriving together wait for the one
// being built instead of building it again (DESIGN §8: built once per
// snapshot, not per query). What differs per request (refId, freshness,
// notices) goes into each request's own copy of the frame; the fields are
// shared and never written.
type sharedFrames struct {
	mu      sync.Mutex
	entries map[sharedKey]sharedEntry
	rows    int
	flight  singleflight.Group
}

type sharedKey struct {
	typ, query string
}

type sharedEntry struct {
	source any
	frames data.Frames
	rows   int
}

// maxSharedRows bounds the rows kept (about 30 B a cell, so ~10 MB of
// columns): a few pages of the largest sizes a dashboard asks for.
const maxSharedRows = 40000

// get returns the frames of (typ, query) built from source, building them
// with build at most once while source is current.
func (s *sharedFrames) get(typ, query string, source any, build func() (data.Frames, error)) (data.Frames, error) {
	key := sharedKey{typ, query}
	if frames, ok := s.lookup(key, source); ok {
		return ownCopies(frames), nil
	}
	v, err, _ := s.flight.Do(fmt.Sprintf("%s\x00%p\x00%s", typ, source, query), func() (any, error) {
		if frames, ok := s.lookup(key, source); ok {
			return frames, nil
		}
		frames, err := build()
		if err != nil {
			return nil, err
		}
		s.keep(key, source, frames)
		return frames, nil
	})
	if err != nil {
		return nil, err
	}
	return ownCopies(v.(data.Frames)), nil
}

func (s *sharedFrames) lookup(key sharedKey, source any) (data.Frames, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[key]
	if !ok || e.source != source {
		return nil, false
	}
	return e.frames, true
}

// keep stores frames built from source. Entries of the same query type
// built from other data are dropped first: data only ever moves forward.
func (s *sharedFrames) keep(key sharedKey, source any, frames data.Frames) {
	rows := 0
	for _, f := range frames {
		rows += f.Rows()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries == nil {
		s.entries = map[sharedKey]sharedEntry{}
	}
	for k, e := range s.entries {
		if k.typ == key.typ && e.source != source || k == key {
			s.rows -= e.rows
			delete(s.entries, k)
		}
	}
	if s.rows+rows > maxSharedRows {
		return // built for this request only
	}
	s.entries[key] = sharedEntry{source: source, frames: frames, rows: rows}
	s.rows += rows
}

// ownCopies gives a request frames whose name, refId and metadata it may
// change without touching the shared ones; the fields stay shared.
func ownCopies(frames data.Frames) data.Frames {
	out := make(data.Frames, len(frames))
	for i, f := range frames {
		c := *f
		if f.Meta != nil {
			m := *f.Meta
			if custom, ok := m.Custom.(map[string]any); ok {
				m.Custom = maps.Clone(custom)
			}
			m.Notices = slices.Clone(m.Notices)
			c.Meta = &m
		}
		out[i] = &c
	}
	return out
}

// queryKey is the query model without what Grafana adds around it (refId,
// the data source, the panel's interval and width), with its keys sorted:
// the same panel of two viewers gives the same key.
func queryKey(raw json.RawMessage) (string, bool) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return "", false
	}
	for _, k := range []string{"refId", "datasource", "datasourceId", "intervalMs", "maxDataPoints", "hide", "key"} {
		delete(m, k)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "", false
	}
	return string(b), true
}
