package slurm

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"time"
)

// newHTTPClient builds the transport: TLS options, unix sockets and a hard cap
// of MaxConns connections (DESIGN §8: ≤ 2 concurrent connections per data source).
func newHTTPClient(cfg Config, u *url.URL) (*http.Client, string) {
	dialer := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 nil, // slurmrestd is a local service; never route tokens through a proxy from the environment
		DialContext:           dialer.DialContext,
		MaxConnsPerHost:       cfg.MaxConns,
		MaxIdleConns:          cfg.MaxConns,
		MaxIdleConnsPerHost:   cfg.MaxConns,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   cfg.Timeout,
		ResponseHeaderTimeout: cfg.Timeout,
		ForceAttemptHTTP2:     false,
	}
	base := u.Scheme + "://" + u.Host + trimSlash(u.Path)
	switch u.Scheme {
	case "unix":
		sock := u.Path
		tr.DialContext = func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "unix", sock)
		}
		// The host name is a placeholder: requests go through the socket.
		base = "http://slurmrestd"
	case "https":
		tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.TLSSkipVerify} // #nosec G402 -- the operator's explicit "Skip TLS verify" setting, off by default
		if cfg.CACertPEM != "" {
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			pool.AppendCertsFromPEM([]byte(cfg.CACertPEM))
			tc.RootCAs = pool
		}
		tr.TLSClientConfig = tc
	}
	return &http.Client{
		Transport: tr,
		// slurmrestd does not redirect; following one could send the token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, base
}

func trimSlash(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// classifyTransportError maps a failed round trip to a kind.
func classifyTransportError(err error, attemptCtx context.Context) ErrorKind {
	if errors.Is(err, context.Canceled) {
		return KindUnknown // the caller gave up; not the server's fault
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(attemptCtx.Err(), context.DeadlineExceeded) {
		return Timeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return Timeout
	}
	var (
		certInvalid  x509.CertificateInvalidError
		unknownAuth  x509.UnknownAuthorityError
		hostname     x509.HostnameError
		verifyErr    *tls.CertificateVerificationError
		recordHeader tls.RecordHeaderError
		alert        tls.AlertError
	)
	if errors.As(err, &certInvalid) || errors.As(err, &unknownAuth) || errors.As(err, &hostname) ||
		errors.As(err, &verifyErr) || errors.As(err, &recordHeader) || errors.As(err, &alert) {
		return TLS
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Malformed
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, os.ErrNotExist) ||
		errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) {
		return Unreachable
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return Unreachable
	}
	return Unreachable
}
