//go:build (amd64 && go1.17 && !go1.28) || (arm64 && go1.20 && !go1.28)

package slurm

import (
	"unsafe"

	"github.com/bytedance/sonic/ast"
	"github.com/bytedance/sonic/decoder"
)

// skipValue delimits the first JSON value of data with sonic's native
// skipper: start is its first byte (negative when data does not hold a
// complete, valid value), end the index after it. Build tags as sonic's own.
func skipValue(data []byte) (start, end int) {
	start, end = decoder.Skip(data)
	if start < 0 {
		return -1, 0
	}
	return start, end
}

// delimitContainer finds the end of the object or array at the start of
// data without validating it (sonic's fast skipper, about ten times faster
// than skipValue): ok is false when data does not hold all of it. Only for
// bytes that are decoded afterwards, which validates them.
func delimitContainer(data []byte) (end int, ok bool) {
	s := ast.NewSearcher(unsafe.String(unsafe.SliceData(data), len(data)))
	s.ValidateJSON = false
	n, err := s.GetByPath()
	if err != nil {
		return 0, false
	}
	raw, err := n.Raw()
	if err != nil || len(raw) == 0 || unsafe.StringData(raw) != unsafe.SliceData(data) {
		return 0, false
	}
	return len(raw), true
}
