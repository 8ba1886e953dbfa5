package db

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkMentionedOrders is the mention scan's one query: ten candidate
// numbers, about half of them orders, against the demo shop.
func BenchmarkMentionedOrders(b *testing.B) {
	d := openDemoDB(b)
	var numbers []string
	for i := range 10 {
		if i%2 == 0 {
			numbers = append(numbers, fmt.Sprintf("ORD-%06d", 1+i*7))
		} else {
			numbers = append(numbers, fmt.Sprintf("2026-01-%02d", i))
		}
	}
	ctx := context.Background()
	for b.Loop() {
		if got, err := d.MentionedOrders(ctx, numbers); err != nil || len(got) != 5 {
			b.Fatalf("%d orders, %v", len(got), err)
		}
	}
}
