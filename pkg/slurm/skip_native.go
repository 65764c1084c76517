//go:build (amd64 && go1.17 && !go1.28) || (arm64 && go1.20 && !go1.28)

package slurm

import "github.com/bytedance/sonic/decoder"

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
