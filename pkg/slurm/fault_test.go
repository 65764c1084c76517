package slurm

import (
	"context"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// Fault tests: what a real slurmrestd cannot be made to do on demand.

func pingBody(t *testing.T) []byte {
	return fixtureDirFor(t, "26.05.3", "v0.0.45").body(t, "ping")
}

func faultClient(t *testing.T, url string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: url, APIVersion: "v0.0.45", User: "grafana", Token: "tok-FAULT-SECRET",
		Timeout: 2 * time.Second, RetryInitial: 20 * time.Millisecond, RetryMax: 80 * time.Millisecond}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// retryWaits records the waits the client chooses between attempts (the
// "wait" of its debug log), so backoff is checked without timing the test.
type retryWaits struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (h *retryWaits) Enabled(context.Context, slog.Level) bool { return true }
func (h *retryWaits) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "wait" {
			h.mu.Lock()
			h.waits = append(h.waits, a.Value.Duration())
			h.mu.Unlock()
		}
		return true
	})
	return nil
}
func (h *retryWaits) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *retryWaits) WithGroup(string) slog.Handler      { return h }

func TestServerErrorStormRetriesWithBoundedBackoff(t *testing.T) {
	var attempts atomic.Int32
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	waits := &retryWaits{}
	c := faultClient(t, srv.URL, func(c *Config) { c.Logger = slog.New(waits) })
	_, err := c.Ping(ctx)
	wantKind(t, err, Server, http.StatusServiceUnavailable)
	eq(t, "attempts (1 + MaxRetries 3)", attempts.Load(), int32(4))
	// RetryInitial 20 ms doubling up to RetryMax 80 ms, each ± 50 % jitter.
	if len(waits.waits) != 3 {
		t.Fatalf("waits %v, want 3", waits.waits)
	}
	for i, base := range []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 80 * time.Millisecond} {
		if w := waits.waits[i]; w < base/2 || w > base*3/2 {
			t.Errorf("wait %d = %v outside %v ± 50 %%", i+1, w, base)
		}
	}
}

func TestRetryRecoversAfterTransientErrors(t *testing.T) {
	var attempts atomic.Int32
	body := pingBody(t)
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		if attempts.Add(1) <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write(body)
	})
	c := faultClient(t, srv.URL, nil)
	p := must(c.Ping(ctx))(t)
	eq(t, "controller", p.Controllers[0].Hostname, "head01")
	eq(t, "attempts", attempts.Load(), int32(3))
}

func TestActionsAreNeverRetried(t *testing.T) {
	var attempts atomic.Int32
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	c := faultClient(t, srv.URL, nil)
	err := c.CancelJob(ctx, "42", "")
	wantKind(t, err, Server, http.StatusServiceUnavailable)
	eq(t, "attempts", attempts.Load(), int32(1))
}

func TestSlurmErrorWith500IsNotRetried(t *testing.T) {
	var attempts atomic.Int32
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"errors":[{"error_number":7000,"error":"Unable to connect to database","description":"x","source":"y"}],"warnings":[]}`))
	})
	c := faultClient(t, srv.URL, nil)
	_, err := c.Nodes(ctx)
	se := wantKind(t, err, Server, http.StatusInternalServerError)
	eq(t, "slurm error", se.SlurmErrors[0].Number, 7000)
	eq(t, "attempts", attempts.Load(), int32(1))
}

func TestRateLimitedIsRetriedThenTyped(t *testing.T) {
	var attempts atomic.Int32
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = 1 })
	_, err := c.Nodes(ctx)
	wantKind(t, err, RateLimited, http.StatusTooManyRequests)
	eq(t, "attempts", attempts.Load(), int32(2))
	if !errors.Is(err, ErrRateLimited) {
		t.Error("errors.Is(ErrRateLimited) false")
	}
}

// hijackWrite writes raw bytes on the connection and closes it.
func hijackWrite(t *testing.T, w http.ResponseWriter, raw string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("no hijacker")
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

func TestTruncatedBody(t *testing.T) {
	body := string(pingBody(t))
	var attempts atomic.Int32
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		hijackWrite(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n"+body[:len(body)/2])
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
	_, err := c.Ping(ctx)
	se := wantKind(t, err, Malformed, http.StatusOK)
	if !strings.Contains(se.Error(), "bytes") {
		t.Errorf("message does not say how much arrived: %v", se)
	}
	eq(t, "truncated GETs are retried", attempts.Load(), int32(3))
}

func TestTruncatedJSONWithoutLength(t *testing.T) {
	body := string(pingBody(t))
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		// Connection: close framing, body cut in the middle of the JSON.
		hijackWrite(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"+body[:len(body)/2])
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	_, err := c.Ping(ctx)
	wantKind(t, err, Malformed, http.StatusOK)
}

func TestGarbageJSON(t *testing.T) {
	for name, body := range map[string]string{
		"html":        "<html>proxy error</html>",
		"wrong types": `{"pings":"yes","errors":[]}`,
		"empty":       "",
		"nul bytes":   "\x00\x00\x00",
	} {
		t.Run(name, func(t *testing.T) {
			srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) })
			c := faultClient(t, srv.URL, nil)
			_, err := c.Ping(ctx)
			wantKind(t, err, Malformed, http.StatusOK)
		})
	}
}

// newStallServer answers with start (which may write nothing) and then
// stalls until the client goes away or the test ends. The release is a
// cleanup registered after the server's, so it runs first (cleanups run last
// in, first out): a handler can never keep httptest's Close, and with it the
// whole test binary, waiting.
func newStallServer(t testing.TB, start func(w http.ResponseWriter)) *httptest.Server {
	release := make(chan struct{})
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		start(w)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) })
	return srv
}

func TestStallBeyondTimeout(t *testing.T) {
	srv := newStallServer(t, func(http.ResponseWriter) {})
	c := faultClient(t, srv.URL, func(c *Config) { c.Timeout = 150 * time.Millisecond; c.MaxRetries = -1 })
	var err error
	clustertest.Within(t, 10*time.Second, "a request to a stalled server", func() { _, err = c.Nodes(ctx) })
	wantKind(t, err, Timeout, 0)
	if !errors.Is(err, ErrTimeout) {
		t.Error("errors.Is(ErrTimeout) false")
	}
}

func TestStallMidBody(t *testing.T) {
	srv := newStallServer(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Length", "100000")
		_, _ = w.Write([]byte(`{"nodes":[`))
		w.(http.Flusher).Flush()
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.Timeout = 150 * time.Millisecond; c.MaxRetries = -1 })
	_, err := c.Nodes(ctx)
	wantKind(t, err, Timeout, http.StatusOK)
}

func TestBodyBeyondCap(t *testing.T) {
	big := `{"nodes":[` + strings.Repeat(`{"name":"n"},`, 1000) + `{}]}`
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(big)) })
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxBodyBytes = 4096 })
	_, err := c.Nodes(ctx)
	wantKind(t, err, TooLarge, http.StatusOK)
	if !strings.Contains(err.Error(), "4096") {
		t.Errorf("error does not name the cap: %v", err)
	}
}

func TestStatusKinds(t *testing.T) {
	for status, kind := range map[int]ErrorKind{
		http.StatusUnauthorized:                  Unauthenticated,
		http.StatusNetworkAuthenticationRequired: Unauthenticated,
		http.StatusForbidden:                     Forbidden,
		http.StatusNotFound:                      NotFound,
		http.StatusBadRequest:                    InvalidInput, // slurmrestd: "Unable to parse query."
		http.StatusMethodNotAllowed:              UnsupportedVersion,
	} {
		srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, _ = w.Write([]byte("Authentication failure"))
		})
		c := faultClient(t, srv.URL, nil)
		_, err := c.Nodes(ctx)
		wantKind(t, err, kind, status)
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := faultClient(t, "http://"+addr, func(c *Config) { c.MaxRetries = 1 })
	_, err = c.Ping(ctx)
	wantKind(t, err, Unreachable, 0)

	sock := faultClient(t, "unix:///nonexistent/slurmrestd.sock", func(c *Config) { c.MaxRetries = -1 })
	_, err = sock.Ping(ctx)
	wantKind(t, err, Unreachable, 0)
}

func TestUnixSocket(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "slurmrestd.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	body := pingBody(t)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/slurm/v0.0.45/ping" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = w.Write(body)
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close(); _ = os.Remove(path) })
	c := faultClient(t, "unix://"+path, nil)
	p := must(c.Ping(ctx))(t)
	eq(t, "hostname", p.Controllers[0].Hostname, "head01")
}

func TestTLS(t *testing.T) {
	body := pingBody(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the rejected handshake is the point
	srv.StartTLS()
	t.Cleanup(srv.Close)

	// Unknown CA: a TLS error, not retried into a different kind.
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	_, err := c.Ping(ctx)
	wantKind(t, err, TLS, 0)

	// With the server's certificate as custom CA.
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	c = faultClient(t, srv.URL, func(c *Config) { c.CACertPEM = caPEM })
	must(c.Ping(ctx))(t)

	// Opt-in skip-verify.
	c = faultClient(t, srv.URL, func(c *Config) { c.TLSSkipVerify = true })
	must(c.Ping(ctx))(t)
}

func TestAtMostMaxConnsConcurrentRequests(t *testing.T) {
	var inFlight, peak atomic.Int32
	body := fixtureDirFor(t, "26.05.3", "v0.0.45").body(t, "nodes")
	var conns sync.Map
	arrived, release := make(chan struct{}, 12), make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		arrived <- struct{}{}
		<-release // held until the test has looked at the client
		inFlight.Add(-1)
		_, _ = w.Write(body)
	}))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Store(c.RemoteAddr().String(), true)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := faultClient(t, srv.URL, nil)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Nodes(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	clustertest.Within(t, 10*time.Second, "two requests reaching the server", func() { <-arrived; <-arrived })
	// Two requests are held at the server: they hold both of the client's
	// slots, so the other ten wait in the client, not on the wire.
	if held, slots := len(c.sem), cap(c.sem); held != 2 || slots != 2 {
		t.Errorf("%d of %d slots held with two requests in flight", held, slots)
	}
	close(release)
	wg.Wait()
	if p := peak.Load(); p != 2 {
		t.Errorf("peak concurrent requests %d, want 2 (MaxConns)", p)
	}
	n := 0
	conns.Range(func(any, any) bool { n++; return true })
	if n > 2 {
		t.Errorf("%d TCP connections opened, want ≤ 2", n)
	}
}

func TestContextCancelled(t *testing.T) {
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	// Waits of an hour: only the context can end the call.
	c := faultClient(t, srv.URL, func(c *Config) { c.RetryInitial = time.Hour; c.RetryMax = time.Hour })
	cctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var err error
	clustertest.Within(t, 10*time.Second, "a request whose context ends during backoff", func() { _, err = c.Nodes(cctx) })
	if err == nil {
		t.Fatal("no error")
	}
	if KindOf(err) != Timeout && KindOf(err) != Server {
		t.Errorf("kind %v", KindOf(err))
	}

	// A caller's cancellation stays recognisable.
	cctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	_, err = c.Nodes(cctx2)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v", err)
	}
}

// While one caller negotiates the API version against a server that stalls,
// another caller is held only as long as its own context allows.
func TestVersionWaitEndsWithCallersContext(t *testing.T) {
	asked := make(chan struct{}, 1)
	srv := newStallServer(t, func(http.ResponseWriter) {
		select {
		case asked <- struct{}{}:
		default:
		}
	})
	c := faultClient(t, srv.URL, func(c *Config) { c.APIVersion = ""; c.Timeout = 20 * time.Second; c.MaxRetries = -1 })
	fctx, cancelFirst := context.WithCancel(context.Background())
	defer cancelFirst()
	first := make(chan error, 1)
	go func() {
		_, err := c.Version(fctx)
		first <- err
	}()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the first caller's /openapi/v3 request never arrived")
	}
	var err error
	clustertest.Within(t, 5*time.Second, "Version while another caller negotiates", func() {
		qctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err = c.Version(qctx)
	})
	wantKind(t, err, Timeout, 0)
	cancelFirst()
	select {
	case err := <-first:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("negotiation after its caller gave up: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("negotiation outlived its caller's context")
	}
}

// With every connection slot taken by a stalled request, a caller waits for a
// slot only as long as its context allows; the slot is given back when the
// stalled attempt ends, and the client works again.
func TestConnectionSlotWaitEndsWithCallersContext(t *testing.T) {
	var stall atomic.Bool
	stall.Store(true)
	body := pingBody(t)
	asked := make(chan struct{}, 1)
	release := make(chan struct{})
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !stall.Load() {
			_, _ = w.Write(body)
			return
		}
		select {
		case asked <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	c := faultClient(t, srv.URL, func(c *Config) { c.MaxConns = 1; c.Timeout = 20 * time.Second; c.MaxRetries = -1 })
	sctx, cancelStalled := context.WithCancel(context.Background())
	defer cancelStalled()
	stalled := make(chan error, 1)
	go func() {
		_, err := c.Ping(sctx)
		stalled <- err
	}()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the stalled request never arrived")
	}
	var err error
	clustertest.Within(t, 5*time.Second, "a request waiting for the only connection slot", func() {
		qctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err = c.Ping(qctx)
	})
	wantKind(t, err, Timeout, 0)
	stall.Store(false)
	cancelStalled()
	select {
	case <-stalled:
	case <-time.After(10 * time.Second):
		t.Fatal("the stalled request outlived its caller's context")
	}
	clustertest.Within(t, 10*time.Second, "a request after the slot was freed", func() { _, err = c.Ping(context.Background()) })
	if err != nil {
		t.Fatalf("slot not given back: %v", err)
	}
}

// A body that keeps trickling (never stalls long enough for a read timeout)
// still ends at the attempt's Timeout, streamed or buffered.
func TestTricklingBodyEndsAtTimeout(t *testing.T) {
	trickle := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"jobs":[`))
		for {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	})
	c := faultClient(t, trickle.URL, func(c *Config) { c.Timeout = 300 * time.Millisecond; c.MaxRetries = -1 })
	for name, call := range map[string]func() error{
		"streamed jobs":  func() error { _, err := c.Jobs(context.Background(), time.Time{}); return err },
		"buffered nodes": func() error { _, err := c.Nodes(context.Background()); return err },
	} {
		var err error
		clustertest.Within(t, 10*time.Second, name, func() { err = call() })
		wantKind(t, err, Timeout, http.StatusOK) // the attempt's deadline ended it, not the reader

	}
}
