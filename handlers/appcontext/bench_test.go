package appcontext

import "testing"

func benchmarkDecode(b *testing.B, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := Decode(body, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode is the common case: the web dashboard's string form of
// a 20-message conversation, about 20 KB.
func BenchmarkDecode(b *testing.B) {
	benchmarkDecode(b, readFixture(b, "layla_string.json"))
}

// BenchmarkDecodeObject is the mobile clients' object form (pretty-printed).
func BenchmarkDecodeObject(b *testing.B) {
	benchmarkDecode(b, readFixture(b, "layla.json"))
}

// BenchmarkDecode500 is a long conversation: 500 messages, about 450 KB.
func BenchmarkDecode500(b *testing.B) {
	benchmarkDecode(b, asString(b, withMessages(b, 500)))
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
