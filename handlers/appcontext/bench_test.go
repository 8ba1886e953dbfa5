package appcontext

import (
	"bytes"
	"encoding/json"
	"testing"
)

func benchmarkDecode(b *testing.B, body []byte, lim Limits) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Decode(body, lim); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode is the common case: the web dashboard's string form of
// a 20-message conversation, about 20 KB.
func BenchmarkDecode(b *testing.B) {
	benchmarkDecode(b, readFixture(b, "layla_string.json"), DefaultLimits)
}

// BenchmarkDecodePanel is the same message decoded as the panel does: the
// messages counted and validated, not kept.
func BenchmarkDecodePanel(b *testing.B) {
	benchmarkDecode(b, readFixture(b, "layla_string.json"), Limits{MaxMessages: 0})
}

// BenchmarkDecodePanelTexts is the panel's own decode of what the bridge
// posts (the string's content, compact): no messages kept, the newest 20
// texts for the mention scan (handlers.mentionTexts).
func BenchmarkDecodePanelTexts(b *testing.B) {
	var body bytes.Buffer
	if err := json.Compact(&body, readFixture(b, "layla.json")); err != nil {
		b.Fatal(err)
	}
	benchmarkDecode(b, body.Bytes(), Limits{MaxMessages: 0, MaxTexts: 20})
}

// BenchmarkDecodeObject is the mobile clients' object form (pretty-printed).
func BenchmarkDecodeObject(b *testing.B) {
	benchmarkDecode(b, readFixture(b, "layla.json"), DefaultLimits)
}

// BenchmarkDecode500 is a long conversation: 500 messages, about 450 KB.
func BenchmarkDecode500(b *testing.B) {
	benchmarkDecode(b, asString(b, withMessages(b, 500)), DefaultLimits)
}

func BenchmarkCheck(b *testing.B) {
	raw := readFixture(b, "layla.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if len(Check(raw).Findings) == 0 {
			b.Fatal("no findings")
		}
	}
}

func BenchmarkTree(b *testing.B) {
	raw := readFixture(b, "layla.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := Tree(raw, TreeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
