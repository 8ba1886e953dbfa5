// Package webhookstest holds what every receiver's tests share: an
// in-memory Ingester that records what it is given, and the known-answer
// signature check against a platform's testdata/signatures.tsv.
package webhookstest

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
)

// Store is a webhooks.Ingester in memory. It reports a delivery id seen
// before as a duplicate, as the real store does; Fail makes every Ingest
// fail with that error, and Block makes Ingest wait for its context.
type Store struct {
	mu        sync.Mutex
	Fail      error
	Block     bool
	seen      map[string]bool
	Batches   []shop.Batch
	Logs      []shop.DeliveryLog
	Deadlines []time.Time // each Ingest context's deadline; zero when it had none
}

var _ webhooks.Ingester = (*Store)(nil)

func (s *Store) Ingest(ctx context.Context, d shop.Delivery, b shop.Batch) (shop.IngestResult, error) {
	s.mu.Lock()
	deadline, _ := ctx.Deadline()
	s.Deadlines = append(s.Deadlines, deadline)
	fail, block := s.Fail, s.Block
	s.mu.Unlock()
	if block {
		select {
		case <-ctx.Done():
			return shop.IngestResult{}, ctx.Err()
		case <-time.After(10 * time.Second):
			return shop.IngestResult{}, errors.New("the handler gave the store no deadline")
		}
	}
	if fail != nil {
		return shop.IngestResult{}, fail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := d.Source + "\x00" + d.ID
	if d.ID != "" && s.seen[key] {
		return shop.IngestResult{Duplicate: true}, nil
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[key] = true
	s.Batches = append(s.Batches, b)
	return shop.IngestResult{Applied: b.Len()}, nil
}

func (s *Store) LogDelivery(_ context.Context, l shop.DeliveryLog) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Logs = append(s.Logs, l)
	return nil
}

// LastLog is the last delivery log line, or fails the test when none.
func (s *Store) LastLog(t testing.TB) shop.DeliveryLog {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.Logs) == 0 {
		t.Fatal("no delivery was logged")
	}
	return s.Logs[len(s.Logs)-1]
}

// Written is the number of batches the store accepted.
func (s *Store) Written() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.Batches)
}

// Vector is one known-answer signature: the fixture, the key, and the
// signature computed outside Go.
type Vector struct {
	File, Key, Signature string
	Body                 []byte
}

// Vectors reads dir/signatures.tsv ("file<TAB>key<TAB>signature" lines,
// # comments) and the fixtures it names.
func Vectors(t testing.TB, dir string) []Vector {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "signatures.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []Vector
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			t.Fatalf("signatures.tsv: %q is not file, key, signature", line)
		}
		body, err := os.ReadFile(filepath.Join(dir, cols[0]))
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, Vector{File: cols[0], Key: cols[1], Signature: cols[2], Body: body})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("signatures.tsv has no vectors")
	}
	return vs
}

// CheckVectors runs verify over every vector: it must accept the
// signature, and refuse it (wrapping ErrUnauthorized) for a body with one
// byte changed and under another key.
func CheckVectors(t *testing.T, dir, signatureHeader string, verify func(string, func(string) string, []byte) error) {
	for _, v := range Vectors(t, dir) {
		t.Run(v.File, func(t *testing.T) {
			header := Headers(map[string]string{signatureHeader: v.Signature})
			if err := verify(v.Key, header, v.Body); err != nil {
				t.Fatalf("the documented signature is refused: %v", err)
			}
			changed := append([]byte(nil), v.Body...)
			changed[len(changed)/2] ^= 1
			if err := verify(v.Key, header, changed); !errors.Is(err, webhooks.ErrUnauthorized) {
				t.Errorf("a changed body: err = %v, want ErrUnauthorized", err)
			}
			if err := verify(v.Key+"x", header, v.Body); !errors.Is(err, webhooks.ErrUnauthorized) {
				t.Errorf("another key: err = %v, want ErrUnauthorized", err)
			}
			if err := verify(v.Key, Headers(nil), v.Body); !errors.Is(err, webhooks.ErrUnauthorized) {
				t.Errorf("no signature: err = %v, want ErrUnauthorized", err)
			}
		})
	}
}

// Headers is a header lookup over m, case-insensitive as HTTP's.
func Headers(m map[string]string) func(string) string {
	return func(name string) string {
		for k, v := range m {
			if strings.EqualFold(k, name) {
				return v
			}
		}
		return ""
	}
}

// Fixture is the file name in the calling package's testdata folder, the
// platform's documented payloads the receivers' tests decode.
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
