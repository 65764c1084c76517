package slurm

import (
	"context"
	"fmt"
)

// Feature is something only some API versions offer.
type Feature string

// The features that depend on the API version.
const (
	FeatureShares     Feature = "the fairshare tree (/shares)"
	FeatureNodeUpdate Feature = "node update (drain, resume)"
	FeatureJobRequeue Feature = "job requeue"
)

// endpointFeatures names the feature of each read endpoint that only some
// versions have, so that asking for it elsewhere says which version it needs.
var endpointFeatures = map[string]Feature{"/shares": FeatureShares}

// has tells whether an adapter offers f.
func (a *adapter) has(f Feature) bool {
	switch f {
	case FeatureShares:
		return a.shares != nil
	case FeatureNodeUpdate:
		return a.nodeUpdate != nil
	case FeatureJobRequeue:
		return a.requeue
	}
	return true
}

// Since returns the oldest supported API version that offers f.
func Since(f Feature) string {
	for _, v := range SupportedVersions() {
		if adapterFor(v).has(f) {
			return v
		}
	}
	return ""
}

// NeedsVersionError says that the API version in use lacks a feature: a
// property of the data source's configuration (or of the Slurm release),
// not a failure of slurmrestd.
type NeedsVersionError struct {
	Feature Feature
	Since   string // the oldest API version that has it
	Have    string // the API version in use
}

func (e *NeedsVersionError) Error() string {
	return fmt.Sprintf("%s needs slurmrestd API %s or later; this data source uses API %s", e.Feature, e.Since, e.Have)
}

// needs returns nil when a has f, else the typed error (Kind
// UnsupportedVersion) naming the version f needs.
func needs(a *adapter, f Feature, endpoint string) error {
	if a.has(f) {
		return nil
	}
	return &Error{Kind: UnsupportedVersion, Endpoint: endpoint, Err: &NeedsVersionError{Feature: f, Since: Since(f), Have: a.version}}
}

// Supports tells whether the API version in use (negotiated if need be)
// offers f; when it does not, the error is a *NeedsVersionError.
func (c *Client) Supports(ctx context.Context, f Feature) error {
	a, err := c.adapterFor(ctx)
	if err != nil {
		return err
	}
	return needs(a, f, "")
}
