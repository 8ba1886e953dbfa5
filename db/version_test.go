package db

import (
	"context"
	"testing"
)

// The data version stays while nothing is written, and changes with every
// commit: of this process's writer and of another connection to the file.
func TestDataVersionFollowsCommits(t *testing.T) {
	ctx := context.Background()
	d := openDemoDB(t)
	version := func() uint64 {
		t.Helper()
		v, err := d.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := version()
	if _, err := d.Summary(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if again := version(); again != first {
		t.Fatalf("a read changed the version: %d, then %d", first, again)
	}
	if _, err := d.LinkCustomer(ctx, 1, 424242, true); err != nil {
		t.Fatal(err)
	}
	linked := version()
	if linked == first {
		t.Fatal("a commit by the writer left the version as it was")
	}
	other := openTestDBAt(t, d.Path())
	if _, err := other.UnlinkCustomer(ctx, 1, 424242); err != nil {
		t.Fatal(err)
	}
	if version() == linked {
		t.Fatal("a commit by another connection left the version as it was")
	}
	// Another file (a swap) never repeats this one's versions.
	if v, err := other.DataVersion(ctx); err != nil || v == version() {
		t.Fatalf("two files give the same version %d (%v)", v, err)
	}
}
