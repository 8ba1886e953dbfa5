package views

import (
	"bytes"
	"context"
	"testing"

	"github.com/a-h/templ"
)

// BenchmarkRenderPanel renders a full panel (a page of 20 orders; the
// payments section closed) into a reused buffer, as handlers.render does.
func BenchmarkRenderPanel(b *testing.B) {
	benchmarkRender(b, func(lang string) templ.Component {
		p := singleCustomerPanel()
		p.Lang = lang
		p.Orders.Rows = orderRows(20)
		return PanelView(p)
	})
}

// BenchmarkRenderPayments renders a page of 20 payments, which the
// payments section loads when it is opened.
func BenchmarkRenderPayments(b *testing.B) {
	benchmarkRender(b, func(lang string) templ.Component {
		page := paymentsPage()
		for len(page.Rows) < 20 {
			page.Rows = append(page.Rows, page.Rows...)
		}
		page.Rows = page.Rows[:20]
		return PaymentRows(lang, page)
	})
}

func benchmarkRender(b *testing.B, component func(lang string) templ.Component) {
	for _, lang := range []string{English, Arabic} {
		b.Run(lang, func(b *testing.B) {
			c := component(lang)
			var buf bytes.Buffer
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				if err := c.Render(ctx, &buf); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
