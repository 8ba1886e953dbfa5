package appcontext

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"unicode/utf8"

	"dashapp/handlers/runes"
)

// FuzzDecode checks Decode against encoding/json as an oracle: it never
// panics, accepts exactly the valid appContext messages within the depth
// limit, reads the same string fields (a repeated key's last value, as
// JSON.parse does), and Check and Tree never panic on the same input. The seeds in
// testdata/fuzz/FuzzDecode are kept small: the fuzzer minimises every new
// input it finds, which takes minutes for a 20 KB one.
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := Decode(body, DefaultLimits)
		none, noneErr := Decode(body, Limits{MaxMessages: 0}) // the panel's limits
		if (err == nil) != (noneErr == nil) || err != nil && err.Error() != noneErr.Error() {
			t.Fatalf("keeping no messages changes the outcome: %v, keeping them %v", noneErr, err)
		}
		texts, textsErr := Decode(body, Limits{MaxTexts: 3})
		if (err == nil) != (textsErr == nil) || err != nil && err.Error() != textsErr.Error() {
			t.Fatalf("keeping texts changes the outcome: %v, keeping messages %v", textsErr, err)
		}
		// Texts alone (the panel's pass) are the texts of the kept messages.
		if withMessages, err := Decode(body, Limits{MaxTexts: 3, MaxMessages: 1}); err == nil && textsErr == nil &&
			!slices.Equal(texts.Data.Conversation.Texts, withMessages.Data.Conversation.Texts) {
			t.Fatalf("texts alone %q, with the messages %q", texts.Data.Conversation.Texts, withMessages.Data.Conversation.Texts)
		}
		Check(body)
		Tree(body, TreeOptions{})

		raw, wasString := body, false
		var content string
		if json.Unmarshal(body, &content) == nil {
			raw, wasString = []byte(content), true
		}
		// A map, not a struct: encoding/json matches struct fields without
		// regard to case ("eveNt"), and the host's key is exactly "event";
		// and into a map, a repeated key's last value replaces the earlier
		// one whole, where a struct field would merge both objects.
		var object map[string]any
		validObject := json.Unmarshal(raw, &object) == nil && bytes.HasPrefix(bytes.TrimLeft(raw, " \t\r\n"), []byte("{"))

		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) || de.Error() == "" {
				t.Fatalf("error %T %q is not a *DecodeError", err, err)
			}
			if validObject && object["event"] == EventAppContext {
				if depth, _ := nestingDepth(raw); depth <= DefaultLimits.MaxDepth {
					t.Fatalf("Decode rejected a valid appContext message: %v", err)
				}
			}
			return
		}
		depth, _ := nestingDepth(raw)
		if msg.Event != EventAppContext || object["event"] != EventAppContext {
			t.Fatalf("accepted event %q (encoding/json reads %v)", msg.Event, object["event"])
		}
		if !validObject || !json.Valid(msg.Raw) || depth > DefaultLimits.MaxDepth {
			t.Fatalf("accepted invalid or too deep JSON (depth %d): %q", depth, msg.Raw)
		}
		if msg.WasString != wasString || (utf8.Valid(msg.Raw) && !bytes.Equal(msg.Raw, raw)) {
			t.Fatalf("Raw/WasString differ from encoding/json's reading: %v %q", msg.WasString, msg.Raw)
		}
		c := msg.Data.Conversation
		if len(c.Messages) > DefaultLimits.MaxMessages || len(c.Messages) > c.MessageCount {
			t.Fatalf("kept %d of %d messages", len(c.Messages), c.MessageCount)
		}
		if kept := none.Data.Conversation.Messages; kept != nil {
			t.Fatalf("kept %d messages with MaxMessages 0", len(kept))
		}
		none.Data.Conversation.Messages = c.Messages
		if !reflect.DeepEqual(none, msg) {
			t.Fatalf("keeping no messages changes the rest:\n%+v\n%+v", none, msg)
		}
		var wantTexts []string
		for _, m := range c.Messages {
			if m.Content != "" {
				wantTexts = append(wantTexts, m.Content)
			}
		}
		wantTexts = wantTexts[max(len(wantTexts)-3, 0):]
		if got := texts.Data.Conversation.Texts; len(c.Messages) == c.MessageCount && !slices.Equal(got, wantTexts) {
			t.Fatalf("Texts = %q, want the last contents %q", got, wantTexts)
		}
		data, _ := object["data"].(map[string]any)
		contact, _ := data["contact"].(map[string]any)
		conversation, _ := data["conversation"].(map[string]any)
		for _, field := range []struct {
			got    string
			oracle any
		}{
			{msg.Data.Contact.Name, contact["name"]},
			{msg.Data.Contact.Email, contact["email"]},
			{msg.Data.Conversation.Status, conversation["status"]},
		} {
			if want, ok := oracleText(field.oracle); ok && field.got != want {
				t.Fatalf("decoded %q where encoding/json reads %#v", field.got, field.oracle)
			}
		}
		for _, s := range []string{msg.Data.Contact.Name, msg.Data.Contact.Email, msg.Data.Conversation.Status} {
			if !utf8.ValidString(s) || utf8.RuneCountInString(s) > DefaultLimits.MaxString+1 {
				t.Fatalf("string field not valid UTF-8 or too long: %q", s)
			}
		}
		Check(msg.Raw)
		msg.Data.Identity()
		if _, err := Tree(msg.Raw, TreeOptions{}); err != nil {
			t.Fatalf("Tree rejected what Decode accepted: %v", err)
		}
	})
}

// oracleText is what Decode reads from a field encoding/json decoded into
// v: strings cut to DefaultLimits.MaxString runes, "" for null, objects
// and arrays. ok is false for numbers, whose literal encoding/json loses.
func oracleText(v any) (text string, ok bool) {
	switch v := v.(type) {
	case string:
		return runes.Truncate([]byte(v), DefaultLimits.MaxString), true
	case bool:
		return strconv.FormatBool(v), true
	case float64:
		return "", false
	}
	return "", true
}

// FuzzCheck checks the inspection helpers: Check, Tree and Diff accept
// exactly valid JSON within maxInspectDepth, and never panic.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"event":"appContext","data":{"conversation":{"messages":[1,null,{"id":"2","sender":{}}],"labels":{}},"contact":{"id":null}},"theme":"dark"}`))
	f.Add([]byte(`[{"a.b":"\u00e9\ud83d\ude4f"},-1.5e3,true,null,"x"]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		depth, ok := nestingDepth(raw)
		valid := ok && json.Valid(raw) && depth <= maxInspectDepth

		findings := Check(raw).Findings
		invalid := len(findings) == 1 && findings[0].Kind == KindInvalid
		if invalid == valid {
			t.Fatalf("Check: invalid finding %v for JSON validity %v: %+v", invalid, valid, findings)
		}
		if !slices.IsSortedFunc(findings, func(a, b Finding) int { return comparePaths(a.Path, b.Path) }) {
			t.Fatalf("findings not sorted: %+v", findings)
		}
		for _, f := range findings {
			if f.Count < 1 {
				t.Fatalf("finding with count %d: %+v", f.Count, f)
			}
		}

		root, err := Tree(raw, TreeOptions{MaxString: 5, MaxItems: 3})
		if (err == nil) != valid {
			t.Fatalf("Tree error %v for JSON validity %v", err, valid)
		}
		if err != nil {
			return
		}
		if root.Len < len(root.Children) {
			t.Fatalf("root Len %d < %d children", root.Len, len(root.Children))
		}
		changes, err := Diff(raw, raw)
		if err != nil || len(changes) != 0 {
			t.Fatalf("Diff of a message with itself: %v, %+v", err, changes)
		}
	})
}

// nestingDepth measures nesting with encoding/json's tokenizer, as an
// oracle independent of the cursor.
func nestingDepth(raw []byte) (int, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers beyond float64 are still valid JSON
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return deepest, true
		}
		if err != nil {
			return deepest, false
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}
