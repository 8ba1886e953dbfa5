package views

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkRenderPanel renders a full panel (a page of 20 orders and 20
// payments) into a reused buffer, as handlers.render does.
func BenchmarkRenderPanel(b *testing.B) {
	for _, lang := range []string{English, Arabic} {
		b.Run(lang, func(b *testing.B) {
			p := singleCustomerPanel()
			p.Lang = lang
			p.Orders.Rows = orderRows(20)
			for len(p.Payments.Rows) < 20 {
				p.Payments.Rows = append(p.Payments.Rows, p.Payments.Rows...)
			}
			p.Payments.Rows = p.Payments.Rows[:20]
			var buf bytes.Buffer
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := PanelView(p).Render(ctx, &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
