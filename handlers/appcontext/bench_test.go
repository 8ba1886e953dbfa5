package appcontext

import "testing"

// BenchmarkDecode decodes the 20-message fixture as the web dashboard
// posts it (a JSON string) and as mobile clients do (an object).
func BenchmarkDecode(b *testing.B) {
	object := readFixture(b, "layla.json")
	for _, tt := range []struct {
		name string
		body []byte
	}{{"string", asString(b, object)}, {"object", object}} {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.body)))
			b.ReportAllocs()
			for b.Loop() {
				msg, err := Decode(tt.body, DefaultLimits)
				if err != nil {
					b.Fatal(err)
				}
				if len(msg.Data.Conversation.Messages) != 20 {
					b.Fatalf("decoded %d messages, want 20", len(msg.Data.Conversation.Messages))
				}
			}
		})
	}
}
