package slurm

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Body caps. Answers are bounded per endpoint by what a realistic cluster
// sends, measured on the recorded answers of Slurm 22.05 to 26.05 (v0.0.45,
// pretty-printed as slurmrestd writes them) and scaled to twice DESIGN's
// largest cluster (10 000 nodes, 100 000 jobs):
//
//	endpoint              recorded              cap      holds about
//	/openapi/v3           0.2–2.0 MB            16 MiB   every version at once, 8×
//	ping                  0.4–0.7 KB            1 MiB    (small, fixed)
//	diag                  4–10 KB               1 MiB    (small, fixed)
//	nodes, node           2.7 KB per node       48 MiB   17 000 nodes
//	partitions            3.1 KB per partition  8 MiB    2 600 partitions
//	reservations          1.1 KB each           8 MiB    7 000 reservations
//	shares                6.5 KB per row        32 MiB   5 000 associations
//	slurmdb associations  2.2 KB each           64 MiB   30 000 associations
//	anything else         (one job, QOS, …)     32 MiB
//	jobs, slurmdb jobs    9.7 / 7.7 KB per job  streamed: MaxBodyBytes (default 2 GiB,
//	                                            a 100k-job answer is about 1 GB),
//	                                            one job ≤ 32 MiB, other members ≤ 4 MiB
//
// Buffered answers are read only up to their cap (an announced
// Content-Length beyond it is refused unread); streamed answers are never
// held whole. Whatever slurmrestd (or something in its place) sends, one
// request costs at most its cap in memory and stops at the request's
// deadline.
const (
	maxSmallBytes        = 1 << 20
	maxNodesBytes        = 48 << 20
	maxListBytes         = 8 << 20
	maxSharesBytes       = 32 << 20
	maxAssocBytes        = 64 << 20
	maxOtherBytes        = 32 << 20
	maxStreamValueBytes  = 32 << 20 // one element of a streamed list
	maxStreamMemberBytes = 4 << 20  // the other members of a streamed answer, together
)

// bufferCap is the cap of a buffered answer to r: the request's own, else
// the endpoint's from the table above; never above Config.MaxBodyBytes.
func (c *Client) bufferCap(r request) int64 {
	limit := r.maxBody
	if limit <= 0 {
		limit = endpointCap(r.path)
	}
	return min(limit, c.cfg.MaxBodyBytes)
}

// endpointCap looks the endpoint up by the last element of its path
// (/slurm/v0.0.45/nodes → nodes).
func endpointCap(path string) int64 {
	if path == "/openapi/v3" {
		return maxOpenAPIBytes
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch last := parts[len(parts)-1]; {
	case last == "ping" || last == "diag":
		return maxSmallBytes
	case last == "nodes" || len(parts) >= 2 && parts[len(parts)-2] == "node":
		return maxNodesBytes
	case last == "partitions" || last == "reservations":
		return maxListBytes
	case last == "shares":
		return maxSharesBytes
	case last == "associations":
		return maxAssocBytes
	}
	return maxOtherBytes
}

// errBodyCap is returned (wrapped) by readCapped when the body exceeds its cap.
var errBodyCap = errors.New("body exceeds its cap")

// readCapped reads a whole body of at most limit bytes. An announced length
// is allocated once; otherwise the body is gathered in chunks and joined, so
// an oversized body costs at most its cap, not the doubling buffer of
// io.ReadAll.
func readCapped(r io.Reader, limit, announced int64) ([]byte, error) {
	if announced > limit {
		return nil, fmt.Errorf("%w: announced %d bytes, cap %d", errBodyCap, announced, limit)
	}
	if announced >= 0 {
		buf := make([]byte, announced)
		n, err := io.ReadFull(r, buf)
		if err != nil {
			return buf[:n], err
		}
		return buf, nil
	}
	const chunkSize = 256 << 10
	var chunks [][]byte
	var total int64
	for {
		chunk := make([]byte, chunkSize)
		n, err := io.ReadFull(r, chunk)
		total += int64(n)
		if total > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", errBodyCap, limit)
		}
		chunks = append(chunks, chunk[:n])
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return joinChunks(chunks, total), err
		}
	}
	return joinChunks(chunks, total), nil
}

func joinChunks(chunks [][]byte, total int64) []byte {
	if len(chunks) == 1 {
		return chunks[0]
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out
}
