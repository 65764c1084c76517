package slurm

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// A 100k-job answer takes a single goroutine about as long to decode as
// the refresh interval allows (DESIGN §8: the refresh stays within 30 % of
// a 10 s interval), while reading it and decoding it could overlap and the
// decoding itself could use every core. So once a list proves long, the
// reading goroutine only delimits its elements (sonic's SIMD skipper, a
// fraction of a full decode), copies them into batches of about a megabyte
// and hands the batches to workers that decode and normalise them straight
// into the list's place. Short answers never leave the reading goroutine.

// streamOpts tunes how a streamed list is decoded.
type streamOpts struct {
	// workers decode elements beside the reading goroutine; below 2 the
	// whole list is decoded where it is read.
	workers int
	// after is the number of body bytes read before the rest of the list
	// goes to the workers: a one-job answer never starts a goroutine.
	after int64
	// batchBytes is how many bytes of elements a batch collects.
	batchBytes int
}

// defaultStreamOpts uses up to four cores (more add little to a decode
// that the reading goroutine feeds, and each worker shares strings only
// within what it decodes).
func defaultStreamOpts() streamOpts {
	return streamOpts{workers: min(runtime.GOMAXPROCS(0), 4), after: 4 << 20, batchBytes: 1 << 20}
}

func (o streamOpts) parallel() bool { return o.workers >= 2 && o.batchBytes > 0 }

// elemBatch is consecutive elements of the list: data holds their bytes,
// ends[k] where element k ends, out the list's slots they decode into.
type elemBatch[M any] struct {
	first int // index in the list of the batch's first element
	data  []byte
	ends  []int
	out   []M
}

// parallelList hands the elements of one list to workers. Its methods,
// except the workers' own loop, run on the reading goroutine only.
type parallelList[M any] struct {
	opts    streamOpts
	dec     elemDecoder[M]
	list    *listBuf[M]
	cur     *elemBatch[M]
	todo    chan *elemBatch[M]
	spare   chan *elemBatch[M] // batches the workers are done with, reused
	wg      sync.WaitGroup
	started bool
	added   int // elements given to add
	failed  atomic.Bool
	mu      sync.Mutex
	errAt   int // index of the first failing element (the lowest, as a sequential decode reports it)
	err     error
}

func newParallelList[M any](opts streamOpts, dec elemDecoder[M], list *listBuf[M]) *parallelList[M] {
	return &parallelList[M]{opts: opts, dec: dec, list: list, errAt: -1}
}

// add copies one complete element (its bytes are the window's, valid only
// during the call) into the current batch and dispatches the batch once it
// is full. It returns a worker's error as soon as one is known, so that a
// bad answer is not read to its end.
func (p *parallelList[M]) add(elem []byte) error {
	if p.failed.Load() {
		return p.wait()
	}
	if p.cur == nil {
		p.cur = p.newBatch()
	}
	p.added++
	b := p.cur
	b.data = append(b.data, elem...)
	b.ends = append(b.ends, len(b.data))
	if len(b.data) >= p.opts.batchBytes {
		p.dispatch()
	}
	return nil
}

func (p *parallelList[M]) newBatch() *elemBatch[M] {
	select {
	case b := <-p.spare:
		b.data, b.ends, b.out = b.data[:0], b.ends[:0], nil
		return b
	default:
		return &elemBatch[M]{data: make([]byte, 0, p.opts.batchBytes+p.opts.batchBytes/4)}
	}
}

// dispatch reserves the batch's slots in the list (so the list stays in
// the answer's order whichever worker finishes first) and queues it.
func (p *parallelList[M]) dispatch() {
	b := p.cur
	p.cur = nil
	b.first = p.list.Len()
	b.out = p.list.reserve(len(b.ends))
	if !p.started {
		p.started = true
		p.todo = make(chan *elemBatch[M], 2*p.opts.workers)
		p.spare = make(chan *elemBatch[M], 3*p.opts.workers)
		for range p.opts.workers {
			p.wg.Add(1)
			go p.work()
		}
	}
	p.todo <- b
}

// work decodes batches with an interner of its own: a map shared between
// workers would need a lock per string, and a string kept once per worker
// costs a few copies of a few hundred users and partitions. Workers skip
// the members a job's raw struct does not declare without validating them
// (decodeOneLenient): their structure is followed, their tokens not checked.
func (p *parallelList[M]) work() {
	defer p.wg.Done()
	in := newInterner()
	in.lenient = true
	for b := range p.todo {
		if !p.failed.Load() {
			p.decode(in, b)
		}
		select {
		case p.spare <- b:
		default:
		}
	}
}

func (p *parallelList[M]) decode(in *interner, b *elemBatch[M]) {
	k := 0
	defer func() {
		// A decoder bug on one element must not take the plugin down with
		// it: it fails this answer, as a malformed element does.
		if r := recover(); r != nil {
			p.fail(b.first+k, fmt.Errorf("element %d: cannot decode: %v", b.first+k, r))
		}
	}()
	start := 0
	for ; k < len(b.ends); k++ {
		end := b.ends[k]
		data := b.data[start:end]
		v, n, err := p.dec(in, unsafe.String(unsafe.SliceData(data), len(data)))
		if err == nil && n != len(data) {
			// The reader delimited the element without validating it.
			err = fmt.Errorf("invalid JSON after byte %d of the element", n)
		}
		if err != nil {
			p.fail(b.first+k, fmt.Errorf("element %d: %w", b.first+k, shortJSONError(err)))
			return
		}
		b.out[k] = v
		start = end
	}
}

func (p *parallelList[M]) fail(at int, err error) {
	p.mu.Lock()
	if p.errAt < 0 || at < p.errAt {
		p.errAt, p.err = at, err
	}
	p.mu.Unlock()
	p.failed.Store(true)
}

// finish dispatches the last batch (when the list was read to its end:
// last), waits for the workers and returns the first failing element's
// error. It must run whatever happened, so that no worker outlives the
// answer; later calls only repeat the error.
func (p *parallelList[M]) finish(last bool) error {
	if last && p.cur != nil && len(p.cur.ends) > 0 && !p.failed.Load() {
		p.dispatch()
	}
	p.cur = nil
	return p.wait()
}

func (p *parallelList[M]) wait() error {
	if p.started {
		close(p.todo)
		p.wg.Wait()
		p.started = false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}
