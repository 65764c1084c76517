package slurm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unsafe"
)

// A 100k-job answer is about 1 GB of pretty-printed JSON (v0.0.45), while the
// normalised jobs take about 100 MB. Buffering the body would put the
// process far above DESIGN §8's 200 MB, so jobs answers are decoded as a
// stream: the top-level object is walked here, each element of its "jobs"
// array is cut out (one job's bytes at a time, in a reused buffer), decoded
// with the JSON library into the version's raw struct and normalised at
// once; the other top-level members (errors, warnings, last_update, meta)
// are small and collected into one object decoded at the end.

// streamObject walks the top-level object read from r. Each element of the
// member named arrayKey (an array) is handed to onElem, which decodes the
// value at the start of data (a zero-copy view of the window, valid only
// during the call) and returns where it ended; every other member is
// appended to rest as a JSON object. limit (> 0) caps the bytes read
// (errTooLarge). listSeen tells whether the answer had the array at all: a
// missing or null member is not an empty list. Once handOff.after bytes are
// read, the remaining elements are only delimited and their bytes given to
// handOff.add (stream_parallel.go) instead of decoded here.
//
// The body is read through a window that slides and grows as needed, so
// memory stays at about the largest single job, not the whole body. Members
// other than the array are delimited with skipValue (sonic's SIMD skipper
// where sonic is native).
func streamObject(r io.Reader, arrayKey string, limit int64, onElem func(data string) (end int, err error), handOff *handOff) (rest []byte, listSeen bool, err error) {
	w := &window{r: r, limit: limit, buf: make([]byte, 0, 64<<10), valueLimit: maxStreamMemberBytes}
	if err := w.expect('{'); err != nil {
		return nil, false, err
	}
	out := []byte{'{'}
	first := true
	for {
		c, err := w.nonSpace()
		if err != nil {
			return nil, false, err
		}
		if c == '}' {
			w.pos++
			break
		}
		if c == ',' {
			w.pos++
			continue
		}
		key, err := w.value()
		if err != nil {
			return nil, false, err
		}
		if len(key) < 2 || key[0] != '"' {
			return nil, false, fmt.Errorf("at byte %d: want a member name", w.offset())
		}
		isArray := string(key[1:len(key)-1]) == arrayKey
		if !isArray {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = append(out, key...)
			out = append(out, ':')
		}
		if err := w.expect(':'); err != nil {
			return nil, false, err
		}
		if !isArray {
			v, err := w.value()
			if err != nil {
				return nil, false, err
			}
			out = append(out, v...)
			if len(out) > maxStreamMemberBytes {
				return nil, false, fmt.Errorf("%w: the members besides %q exceed %d bytes", errTooLarge, arrayKey, maxStreamMemberBytes)
			}
			continue
		}
		if c, err := w.nonSpace(); err != nil {
			return nil, false, err
		} else if c == 'n' {
			// "jobs": null says as little as no "jobs" at all.
			if v, err := w.value(); err != nil || string(v) != "null" {
				return nil, false, fmt.Errorf("at byte %d: want the %q array", w.offset(), arrayKey)
			}
			continue
		}
		listSeen = true
		if err := w.expect('['); err != nil {
			return nil, false, err
		}
		w.valueLimit = maxStreamValueBytes
		for {
			c, err := w.nonSpace()
			if err != nil {
				return nil, false, err
			}
			if c == ']' {
				w.pos++
				w.valueLimit = maxStreamMemberBytes
				break
			}
			if c == ',' {
				w.pos++
				continue
			}
			if handOff != nil && w.offset() >= handOff.after {
				v, err := w.element()
				if err != nil {
					return nil, false, err
				}
				if err := handOff.add(v); err != nil {
					return nil, false, err
				}
				continue
			}
			if err := w.decodeValue(onElem); err != nil {
				return nil, false, err
			}
		}
	}
	if c, err := w.nonSpace(); err == nil {
		return nil, false, fmt.Errorf("at byte %d: unexpected %q after the answer", w.offset(), c)
	} else if !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, err
	}
	return append(out, '}'), listSeen, nil
}

var errTooLarge = errors.New("the answer exceeds its size cap")

// handOff takes the list's elements that come after the first after bytes
// of the body, as complete JSON values (valid only during add).
type handOff struct {
	after int64
	add   func(elem []byte) error
}

// maxEmptyReads is how many (0, nil) reads in a row end a stream with
// io.ErrNoProgress (as bufio.Reader does).
const maxEmptyReads = 100

// window holds buf[pos:] as the unread part of the body.
type window struct {
	r     io.Reader
	buf   []byte
	pos   int
	read  int64 // bytes read from r
	eof   bool
	limit int64
	// valueLimit bounds the value being read (one job, or one other
	// member): a body that is one huge value is refused, not buffered, and
	// the window never grows beyond it.
	valueLimit int
	// maxValue is the largest value decoded so far: decoding starts only
	// when twice that much is buffered, so attempts that fail for lack of
	// data (and their wasted partial decoding) stay rare.
	maxValue int
}

func (w *window) offset() int64 { return w.read - int64(len(w.buf)-w.pos) }

// more reads more of the body, keeping buf[pos:]. It reads until the unread
// part has at least doubled (and grown by 64 KiB), so a value split over many
// small reads is retried a logarithmic number of times, not once per read.
func (w *window) more() error {
	if w.eof {
		return fmt.Errorf("truncated after %d bytes: %w", w.read, io.ErrUnexpectedEOF)
	}
	if w.pos > 0 {
		n := copy(w.buf, w.buf[w.pos:])
		w.buf = w.buf[:n]
		w.pos = 0
	}
	unread := len(w.buf)
	target := max(2*unread, unread+64<<10)
	if target > cap(w.buf) {
		if unread >= w.valueLimit {
			return fmt.Errorf("%w: a single value exceeds %d bytes", errTooLarge, w.valueLimit)
		}
		nb := make([]byte, unread, min(max(2*cap(w.buf), target), w.valueLimit+64<<10))
		copy(nb, w.buf)
		w.buf = nb
	}
	empty := 0
	for len(w.buf) < target {
		n, err := w.r.Read(w.buf[len(w.buf):cap(w.buf)])
		w.buf = w.buf[:len(w.buf)+n]
		w.read += int64(n)
		if w.limit > 0 && w.read > w.limit {
			return fmt.Errorf("%w: more than %d bytes", errTooLarge, w.limit)
		}
		if n == 0 && err == nil {
			// A reader that keeps answering (0, nil) would spin this loop
			// forever on one core; bufio gives up the same way.
			if empty++; empty >= maxEmptyReads {
				return fmt.Errorf("after %d bytes: %w", w.read, io.ErrNoProgress)
			}
			continue
		}
		empty = 0
		if err == io.EOF {
			w.eof = true
			if len(w.buf) == unread { // the caller decides whether that is a truncation
				return fmt.Errorf("truncated after %d bytes: %w", w.read, io.ErrUnexpectedEOF)
			}
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *window) nonSpace() (byte, error) {
	for {
		for w.pos < len(w.buf) {
			switch c := w.buf[w.pos]; c {
			case ' ', '\t', '\n', '\r':
				w.pos++
			default:
				return c, nil
			}
		}
		if err := w.more(); err != nil {
			return 0, err
		}
	}
}

func (w *window) expect(want byte) error {
	c, err := w.nonSpace()
	if err != nil {
		return err
	}
	if c != want {
		return fmt.Errorf("at byte %d: want %q, got %q", w.offset(), want, c)
	}
	w.pos++
	return nil
}

// value returns the next value's bytes (valid until the next call).
func (w *window) value() ([]byte, error) {
	if _, err := w.nonSpace(); err != nil {
		return nil, err
	}
	for {
		data := w.buf[w.pos:]
		start, end := skipValue(data)
		// A scalar ending exactly at the window's end may continue in the
		// next read ("12" of "123"); containers and strings end with their
		// closing byte, so only scalars need that care.
		complete := start >= 0 && (end < len(data) || w.eof || isClosed(data[start]))
		if complete {
			v := data[start:end]
			w.pos += end
			return v, nil
		}
		if start < 0 && w.eof {
			return nil, fmt.Errorf("invalid or truncated JSON at byte %d: %w", w.offset(), io.ErrUnexpectedEOF)
		}
		if err := w.more(); err != nil {
			return nil, err
		}
	}
}

// element returns the next list element's bytes (valid until the next
// call). An object or array is delimited without validation: whoever
// decodes the bytes validates them.
func (w *window) element() ([]byte, error) {
	c, err := w.nonSpace()
	if err != nil {
		return nil, err
	}
	if c != '{' && c != '[' {
		return w.value()
	}
	for {
		data := w.buf[w.pos:]
		if end, ok := delimitContainer(data); ok {
			w.pos += end
			return data[:end], nil
		}
		if w.eof {
			return nil, fmt.Errorf("invalid or truncated JSON at byte %d: %w", w.offset(), io.ErrUnexpectedEOF)
		}
		if err := w.more(); err != nil {
			return nil, err
		}
	}
}

// decodeValue lets f decode the next value straight from the window. When f
// fails, the value is either incomplete (read more, try again) or invalid
// (skipValue finds it complete: report f's error).
func (w *window) decodeValue(f func(data string) (int, error)) error {
	if _, err := w.nonSpace(); err != nil {
		return err
	}
	for {
		data := w.buf[w.pos:]
		if !w.eof && len(data) < 2*w.maxValue {
			if err := w.more(); err != nil && !w.eof {
				return err
			}
			continue // at the end of the body (w.eof): decode what is there
		}
		end, err := f(unsafe.String(unsafe.SliceData(data), len(data)))
		if err == nil {
			w.pos += end
			w.maxValue = max(w.maxValue, end)
			return nil
		}
		if start, _ := skipValue(data); start >= 0 || w.eof {
			if start < 0 {
				return fmt.Errorf("truncated after %d bytes: %w", w.read, io.ErrUnexpectedEOF)
			}
			return err
		}
		if err := w.more(); err != nil {
			return err
		}
	}
}

func isClosed(first byte) bool { return first == '{' || first == '[' || first == '"' }

// jobsRest is what a jobs answer holds besides the jobs (every version;
// last_update is absent before v0.0.40 and stays zero).
type jobsRest struct {
	envelope
	LastUpdate num  `json:"last_update"`
	Meta       meta `json:"meta"`
}

// elemDecoder decodes the list element at the start of data (a zero-copy
// view, see decodeValue) into the model and returns where it ended.
type elemDecoder[M any] func(in *interner, data string) (M, int, error)

type modeler[T, M any] interface {
	*T
	model(*interner) M
}

// listElem decodes one raw element of type T and normalises it into M. The
// raw value is the answer's scratch, zeroed for each element: 100k jobs
// would otherwise allocate 100k raw structs (60 MB) that are garbage at once.
func listElem[M, T any, P modeler[T, M]](in *interner, data string) (M, int, error) {
	raw, ok := in.scratch.(*T)
	if ok {
		var zero T
		*raw = zero
	} else {
		raw = new(T)
		in.scratch = raw
	}
	decode := decodeOne
	if in.lenient {
		decode = decodeOneLenient
	}
	end, err := decode(data, raw)
	if err != nil {
		var zero M
		return zero, 0, err
	}
	return P(raw).model(in), end, nil
}

// jobElemDecoder decodes one job of a /jobs answer.
type jobElemDecoder = elemDecoder[Job]

// decodeListStreamWith decodes the "jobs" array of an answer read from r,
// one element at a time (on workers past opts.after, stream_parallel.go),
// and the answer's other members. The list is nil when the answer has no
// "jobs" array (absent or null), empty when it is []. sizeHint is the
// expected length (0: unknown), see listBuf. onFirst, when set, is given
// the first element's bytes.
func decodeListStreamWith[M any](opts streamOpts, dec elemDecoder[M], r io.Reader, limit int64, sizeHint int, onFirst func(data string)) ([]M, *jobsRest, error) {
	in := newInterner()
	buf := newListBuf[M](sizeHint)
	var par *parallelList[M]
	var hand *handOff
	if opts.parallel() {
		par = newParallelList(opts, dec, &buf)
		defer par.finish(false) // after a panic too: no worker outlives the answer
		hand = &handOff{after: opts.after, add: func(elem []byte) error {
			if par.added == 0 && buf.Len() == 0 && onFirst != nil {
				onFirst(unsafe.String(unsafe.SliceData(elem), len(elem)))
			}
			return par.add(elem)
		}}
	}
	restBytes, listSeen, err := streamObject(r, "jobs", limit, func(data string) (int, error) {
		v, end, err := dec(in, data)
		if err != nil {
			return 0, fmt.Errorf("element %d: %w", buf.Len(), shortJSONError(err))
		}
		if buf.Len() == 0 && onFirst != nil {
			onFirst(data[:end])
		}
		buf.add(v)
		return end, nil
	}, hand)
	if par != nil {
		// A failing element was read before whatever stopped the reading,
		// so its error comes first, as a sequential decode reports it.
		if perr := par.finish(err == nil); perr != nil {
			err = perr
		}
	}
	if err != nil {
		return nil, nil, err
	}
	var rest jobsRest
	if err := decodeJSON(restBytes, &rest); err != nil {
		return nil, nil, err
	}
	if !listSeen {
		return nil, &rest, nil
	}
	return buf.slice(), &rest, nil
}

// decodeJobsStream decodes a /jobs (or /job/{id}) answer from r without
// holding the body.
func decodeJobsStream(dec jobElemDecoder, r io.Reader, limit int64) (*JobsAnswer, *envelope, error) {
	return decodeJobsStreamSized(dec, r, limit, 0)
}

// decodeJobsStreamSized is decodeJobsStream expecting about sizeHint jobs.
func decodeJobsStreamSized(dec jobElemDecoder, r io.Reader, limit int64, sizeHint int) (*JobsAnswer, *envelope, error) {
	return decodeJobsStreamWith(defaultStreamOpts(), dec, r, limit, sizeHint)
}

func decodeJobsStreamWith(opts streamOpts, dec jobElemDecoder, r io.Reader, limit int64, sizeHint int) (*JobsAnswer, *envelope, error) {
	// The cluster name: meta.slurm.cluster from v0.0.40 on; v0.0.38/39 have
	// no cluster in meta, but every job carries "cluster". It is read from
	// the first job only (one small extra decode per answer, none per job).
	var firstCluster string
	jobs, rest, err := decodeListStreamWith(opts, dec, r, limit, sizeHint, func(data string) {
		var c struct {
			Cluster string `json:"cluster"`
		}
		if _, err := decodeOne(data, &c); err == nil {
			firstCluster = c.Cluster
		}
	})
	if err != nil {
		return nil, nil, err
	}
	ans := &JobsAnswer{Jobs: jobs, LastUpdate: rest.LastUpdate.time(), Cluster: rest.Meta.cluster()}
	if ans.Cluster == "" {
		ans.Cluster = firstCluster
	}
	return ans, &rest.envelope, nil
}

// decodeJobsBody decodes a buffered /jobs or /job/{id} answer the same way.
func decodeJobsBody(dec jobElemDecoder) func([]byte) (*JobsAnswer, *envelope, error) {
	return func(data []byte) (*JobsAnswer, *envelope, error) {
		ans, env, err := decodeJobsStream(dec, bytes.NewReader(data), 0)
		if err == nil && ans.Jobs == nil {
			return nil, env, missingList("jobs")
		}
		return ans, env, err
	}
}
