package slurm

// listBuf collects the elements of a streamed list. Growing one slice by
// append allocates about six times its final size on the way (each growth
// copies everything so far: 350 MB of garbage for 100k jobs of 560 bytes);
// collecting chunks and copying them once into a slice of the exact length
// allocates twice the final size, and the chunks are garbage at once. With
// a size hint (the previous answer's length) the first chunk holds the
// whole answer and becomes the list without any copy.
type listBuf[M any] struct {
	chunks [][]M
	n      int
}

// newListBuf starts a list expected to hold about hint elements (0: unknown).
func newListBuf[M any](hint int) listBuf[M] {
	if hint <= 0 {
		return listBuf[M]{}
	}
	// Slack for the jobs submitted between two refreshes.
	return listBuf[M]{chunks: [][]M{make([]M, 0, hint+hint/16+firstChunk)}}
}

// Chunks start small (an answer of one job costs one small chunk) and
// double up to maxChunk elements.
const (
	firstChunk = 16
	maxChunk   = 4096
)

func (b *listBuf[M]) add(v M) {
	last := len(b.chunks) - 1
	if last < 0 || len(b.chunks[last]) == cap(b.chunks[last]) {
		size := firstChunk
		if last >= 0 {
			size = min(2*cap(b.chunks[last]), maxChunk)
		}
		b.chunks = append(b.chunks, make([]M, 0, size))
		last++
	}
	b.chunks[last] = append(b.chunks[last], v)
	b.n++
}

// reserve adds n zero elements in one piece and returns them to be filled
// in place (by another goroutine: the chunks never move once made).
func (b *listBuf[M]) reserve(n int) []M {
	last := len(b.chunks) - 1
	if last < 0 || cap(b.chunks[last])-len(b.chunks[last]) < n {
		size := max(n, firstChunk)
		if last >= 0 {
			size = max(n, min(2*cap(b.chunks[last]), maxChunk))
		}
		b.chunks = append(b.chunks, make([]M, 0, size))
		last++
	}
	c := b.chunks[last]
	b.chunks[last] = c[:len(c)+n]
	b.n += n
	return c[len(c) : len(c)+n : len(c)+n]
}

// Len is the number of elements added.
func (b *listBuf[M]) Len() int { return b.n }

// slice returns the elements in order in a slice of exactly their number
// (empty, not nil, when there are none) and releases the chunks.
func (b *listBuf[M]) slice() []M {
	if len(b.chunks) == 1 && b.n >= cap(b.chunks[0])/2 {
		out := b.chunks[0]
		b.chunks, b.n = nil, 0
		return out
	}
	out := make([]M, 0, b.n)
	for _, c := range b.chunks {
		out = append(out, c...)
	}
	b.chunks, b.n = nil, 0
	return out
}
