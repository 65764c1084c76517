//go:build !((amd64 && go1.17 && !go1.28) || (arm64 && go1.20 && !go1.28))

package slurm

// skipValue: sonic has no native skipper on this platform.
func skipValue(data []byte) (start, end int) { return skipValueGo(data) }

// delimitContainer: the plain Go skipper, which does not validate either.
func delimitContainer(data []byte) (end int, ok bool) {
	start, end := skipValueGo(data)
	return end, start == 0
}
