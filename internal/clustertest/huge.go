package clustertest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// SetHugeBytes sets the size of a Huge, HugeChunked or HugeList answer
// (default 200 MB, the size that took the plugin to 990 MiB before its
// answers were capped).
func (s *Server) SetHugeBytes(n int64) { s.hugeBytes.Store(n) }

func (s *Server) hugeSize() int64 {
	if n := s.hugeBytes.Load(); n > 0 {
		return n
	}
	return 200_000_000
}

// writeHuge sends {"errors":[],"warnings":[],"meta":{"x":"aaaa…"}} of
// HugeBytes, in 64 KiB writes, announcing its length or not.
func (s *Server) writeHuge(w http.ResponseWriter, announce bool) {
	size := s.hugeSize()
	head := []byte(`{"errors":[],"warnings":[],"meta":{"x":"`)
	tail := []byte(`"}}`)
	w.Header().Set("Content-Type", "application/json")
	if announce {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	}
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(head); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for left := size - int64(len(head)+len(tail)); left > 0; left -= int64(len(chunk)) {
		if left < int64(len(chunk)) {
			chunk = chunk[:left]
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
	_, _ = w.Write(tail)
}

// listKeys names the list of each list endpoint's answer.
var listKeys = map[string]string{
	"jobs": "jobs", "nodes": "nodes", "partitions": "partitions", "reservations": "reservations", "slurmdb_jobs": "jobs",
}

// writeHugeList sends the recorded answer of endpoint with its list's first
// element repeated up to HugeBytes; it reports false for endpoints without
// a list (they answer normally).
func (s *Server) writeHugeList(w http.ResponseWriter, endpoint string) bool {
	key, ok := listKeys[endpoint]
	s.mu.Lock()
	body := s.files[endpoint]
	s.mu.Unlock()
	var top map[string]json.RawMessage
	if !ok || json.Unmarshal(body, &top) != nil {
		return false
	}
	var list []json.RawMessage
	if json.Unmarshal(top[key], &list) != nil || len(list) == 0 {
		return false
	}
	delete(top, key)
	rest, err := json.Marshal(top)
	if err != nil {
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	// {<rest members>,"<key>":[e,e,…]}
	head := append([]byte(nil), rest[:len(rest)-1]...)
	if len(top) > 0 {
		head = append(head, ',')
	}
	head = append(append(head, `"`+key+`":[`...), list[0]...)
	if _, err := w.Write(head); err != nil {
		return true
	}
	elem := append([]byte{','}, list[0]...)
	var batch []byte
	for sent := int64(len(head)); sent < s.hugeSize(); sent += int64(len(elem)) {
		batch = append(batch, elem...)
		if len(batch) >= 64<<10 {
			if _, err := w.Write(batch); err != nil {
				return true
			}
			batch = batch[:0]
		}
	}
	_, _ = w.Write(append(batch, ']', '}'))
	return true
}
