package cluster

import (
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jonboulle/clockwork"
)

// ttlCache keeps up to size answers for ttl each, judged by the poller's
// clock (a fake clock in tests), least recently used evicted first.
type ttlCache[V any] struct {
	mu    sync.Mutex
	ttl   time.Duration
	clock clockwork.Clock
	lru   *lru.Cache[string, ttlEntry[V]]
}

type ttlEntry[V any] struct {
	value   V
	expires time.Time
}

func newTTLCache[V any](size int, ttl time.Duration, clock clockwork.Clock) *ttlCache[V] {
	c, err := lru.New[string, ttlEntry[V]](size)
	if err != nil {
		panic(err) // only for size <= 0, a programming error
	}
	return &ttlCache[V]{ttl: ttl, clock: clock, lru: c}
}

// Get returns the value of key unless it is absent or expired.
func (c *ttlCache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.lru.Get(key)
	if !ok || !c.clock.Now().Before(e.expires) {
		if ok {
			c.lru.Remove(key)
		}
		var zero V
		return zero, false
	}
	return e.value, true
}

// Add stores value under key for one ttl from now.
func (c *ttlCache[V]) Add(key string, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lru.Add(key, ttlEntry[V]{value: value, expires: c.clock.Now().Add(c.ttl)})
}
