package appcontext

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDecodeTexts is the panel's decode of 500 long messages, keeping
// no texts and the newest 50 (the mention scan's): the difference is what
// the scan adds to decoding.
func BenchmarkDecodeTexts(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "layla.json"))
	if err != nil {
		b.Fatal(err)
	}
	var msg map[string]any
	if err := json.Unmarshal(raw, &msg); err != nil {
		b.Fatal(err)
	}
	conv := msg["data"].(map[string]any)["conversation"].(map[string]any)
	first := conv["messages"].([]any)[0].(map[string]any)
	var many []any
	for i := range 500 {
		m := map[string]any{}
		for k, v := range first {
			m[k] = v
		}
		m["id"], m["content"] = 30000+i, fmt.Sprintf("About my order SO-%06d: the parcel has not moved since Tuesday. Could you check with the courier please?", i)
		many = append(many, m)
	}
	conv["messages"] = many
	body, _ := json.Marshal(msg)
	for _, texts := range []int{0, 50} {
		b.Run(fmt.Sprintf("texts=%d", texts), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, err := Decode(body, Limits{MaxTexts: texts}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
