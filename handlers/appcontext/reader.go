package appcontext

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// reader is a small validating JSON cursor. Decode, Check and Tree walk the
// host's message with it instead of encoding/json because it lets every
// field be tolerant (a wrong type becomes a zero value, not an error),
// counts nesting depth as it enters containers (so hostile input is rejected
// before any deep recursion), and decodes a 20 KB message in one pass
// without reflection.
//
// Errors are sticky: after the first one every method is a no-op returning
// zero values, so callers check r.err once at the end.
type reader struct {
	data      []byte
	pos       int
	depth     int
	maxDepth  int // containers nested deeper than this fail with a depthError
	maxString int // runes kept by str() and display(); negative keeps everything
	err       error
}

// syntaxError is malformed JSON, worded like encoding/json's errors so that
// developers recognise it.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s (at byte %d)", e.msg, e.offset) }

// depthError is nesting beyond the reader's limit.
type depthError struct {
	limit  int
	offset int
}

func (e *depthError) Error() string {
	return fmt.Sprintf("nesting exceeds %d levels (at byte %d)", e.limit, e.offset)
}

type valueKind uint8

const (
	kindInvalid valueKind = iota
	kindObject
	kindArray
	kindString
	kindNumber
	kindBool
	kindNull
)

func newReader(data []byte, maxDepth, maxString int) *reader {
	return &reader{data: data, maxDepth: maxDepth, maxString: maxString}
}

func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// syntax records an "invalid character" error at r.pos, or "unexpected
// end" when the input ran out.
func (r *reader) syntax(context string) {
	if r.pos >= len(r.data) {
		r.fail(&syntaxError{msg: "unexpected end of JSON input", offset: len(r.data)})
		return
	}
	r.fail(&syntaxError{msg: "invalid character " + quoteByte(r.data[r.pos]) + " " + context, offset: r.pos})
}

func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c < utf8.RuneSelf && strconv.IsPrint(rune(c)) {
		return "'" + string(c) + "'"
	}
	return strconv.QuoteRune(rune(c))
}

// next skips whitespace and returns the next byte without consuming it;
// 0 at the end of input (a literal NUL is invalid JSON anyway).
func (r *reader) next() byte {
	for r.pos < len(r.data) {
		switch c := r.data[r.pos]; c {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return c
		}
	}
	return 0
}

func (r *reader) peekKind() valueKind {
	if r.err != nil {
		return kindInvalid
	}
	switch c := r.next(); {
	case c == '{':
		return kindObject
	case c == '[':
		return kindArray
	case c == '"':
		return kindString
	case c == '-' || (c >= '0' && c <= '9'):
		return kindNumber
	case c == 't' || c == 'f':
		return kindBool
	case c == 'n':
		return kindNull
	}
	return kindInvalid
}

// typeName names the next value's JSON type the way the schema report
// does: an integer literal is "integer", any other number "number".
func (r *reader) typeName() string {
	switch r.peekKind() {
	case kindObject:
		return "object"
	case kindArray:
		return "array"
	case kindString:
		return "string"
	case kindBool:
		return "boolean"
	case kindNull:
		return "null"
	case kindNumber:
		save := r.pos
		lit := r.number()
		r.pos = save
		if bytes.ContainsAny(lit, ".eE") {
			return "number"
		}
		return "integer"
	}
	return "invalid"
}

// end checks that only whitespace follows the top-level value.
func (r *reader) end() {
	if r.err != nil {
		return
	}
	r.next()
	if r.pos < len(r.data) {
		r.syntax("after top-level value")
	}
}

func (r *reader) enter() bool {
	r.depth++
	if r.depth > r.maxDepth {
		r.fail(&depthError{limit: r.maxDepth, offset: r.pos})
		return false
	}
	return true
}

// object calls fn for each member of the object at the cursor; fn must
// consume exactly one value. A value of another type is skipped: for a
// tolerant decoder the wrong type is simply an absent object.
func (r *reader) object(fn func(key []byte)) {
	if r.peekKind() != kindObject {
		r.skip()
		return
	}
	if !r.enter() {
		return
	}
	r.pos++
	if r.next() == '}' {
		r.pos++
		r.depth--
		return
	}
	for r.err == nil {
		if r.next() != '"' {
			r.syntax("looking for beginning of object key string")
			return
		}
		key := r.stringBytes()
		if r.next() != ':' {
			r.syntax("after object key")
			return
		}
		r.pos++
		fn(key)
		if r.err != nil {
			return
		}
		switch r.next() {
		case ',':
			r.pos++
		case '}':
			r.pos++
			r.depth--
			return
		default:
			r.syntax("after object key:value pair")
			return
		}
	}
}

// array calls fn for each element of the array at the cursor; fn must
// consume exactly one value. A value of another type is skipped.
func (r *reader) array(fn func()) {
	if r.peekKind() != kindArray {
		r.skip()
		return
	}
	if !r.enter() {
		return
	}
	r.pos++
	if r.next() == ']' {
		r.pos++
		r.depth--
		return
	}
	for r.err == nil {
		fn()
		if r.err != nil {
			return
		}
		switch r.next() {
		case ',':
			r.pos++
		case ']':
			r.pos++
			r.depth--
			return
		default:
			r.syntax("after array element")
			return
		}
	}
}

// skip validates and consumes one value of any type.
func (r *reader) skip() {
	if r.err != nil {
		return
	}
	switch c := r.next(); {
	case c == '{':
		r.object(func([]byte) { r.skip() })
	case c == '[':
		r.array(r.skip)
	case c == '"':
		r.readString(false, 0)
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		r.number()
	default:
		r.syntax("looking for beginning of value")
	}
}

// raw consumes one value and returns its bytes as received.
func (r *reader) raw() []byte {
	r.next()
	start := r.pos
	r.skip()
	if r.err != nil {
		return nil
	}
	return r.data[start:r.pos]
}

func (r *reader) literal(word string) {
	for i := 0; i < len(word); i++ {
		if r.pos >= len(r.data) || r.data[r.pos] != word[i] {
			r.syntax("in literal " + word + " (expecting " + quoteByte(word[i]) + ")")
			return
		}
		r.pos++
	}
}

// number consumes a number literal, checking JSON's grammar, and returns
// its text.
func (r *reader) number() []byte {
	d, start := r.data, r.pos
	digits := func() bool {
		begin := r.pos
		for r.pos < len(d) && d[r.pos] >= '0' && d[r.pos] <= '9' {
			r.pos++
		}
		return r.pos > begin
	}
	if r.pos < len(d) && d[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(d) && d[r.pos] == '0':
		r.pos++
	case !digits():
		r.syntax("in numeric literal")
		return nil
	}
	if r.pos < len(d) && d[r.pos] == '.' {
		r.pos++
		if !digits() {
			r.syntax("after decimal point in numeric literal")
			return nil
		}
	}
	if r.pos < len(d) && (d[r.pos] == 'e' || d[r.pos] == 'E') {
		r.pos++
		if r.pos < len(d) && (d[r.pos] == '+' || d[r.pos] == '-') {
			r.pos++
		}
		if !digits() {
			r.syntax("in exponent of numeric literal")
			return nil
		}
	}
	return d[start:r.pos]
}

// readString consumes a string literal, checking JSON's escape rules.
// With decode set it returns the content unescaped, aliasing the input
// when the literal holds no escape; without, it only validates and returns
// the content still escaped. Unpaired surrogates become U+FFFD, as in
// encoding/json; invalid UTF-8 is left for the caller to repair.
// sizeHint, when known, is the capacity to allocate at the first escape.
func (r *reader) readString(decode bool, sizeHint int) []byte {
	d := r.data
	start := r.pos + 1
	var out []byte // nil until the first escape
	run := start   // start of the plain bytes not yet copied to out
	for i := start; ; {
		i = indexSpecial(d, i)
		if i >= len(d) {
			r.pos = len(d)
			r.syntax("")
			return nil
		}
		if d[i] == '"' {
			r.pos = i + 1
			if out == nil {
				return d[start:i]
			}
			return append(out, d[run:i]...)
		}
		if d[i] != '\\' {
			r.pos = i
			r.syntax("in string literal")
			return nil
		}
		if i+1 >= len(d) {
			r.pos = len(d)
			r.syntax("")
			return nil
		}
		escape, width := i, 2 // width: bytes of the escape sequence
		var char rune
		switch esc := d[i+1]; esc {
		case '"', '\\', '/':
			char = rune(esc)
		case 'b', 'f', 'n', 'r', 't':
			char = rune("\b\f\n\r\t"[strings.IndexByte("bfnrt", esc)])
		case 'u':
			var ok bool
			if char, ok = r.hex4(i + 2); !ok {
				return nil
			}
			width = 6
			if utf16.IsSurrogate(char) {
				// Only a high surrogate followed by an escaped low one is a
				// rune; a malformed second escape is reported next round.
				high, next := char, escape+6
				char = utf8.RuneError
				if next+1 < len(d) && d[next] == '\\' && d[next+1] == 'u' {
					if low, ok := hex4At(d, next+2); ok {
						if pair := utf16.DecodeRune(high, low); pair != utf8.RuneError {
							char, width = pair, 12
						}
					}
				}
			}
		default:
			r.pos = i + 1
			r.syntax("in string escape code")
			return nil
		}
		if decode {
			if out == nil {
				out = make([]byte, 0, max(sizeHint, 2*(escape-start)+32))
			}
			out = append(out, d[run:escape]...)
			out = utf8.AppendRune(out, char)
		}
		i = escape + width
		run = i
	}
}

// hex4 reads the four hex digits of a \u escape at i, or records where
// they go wrong.
func (r *reader) hex4(i int) (rune, bool) {
	char, ok := hex4At(r.data, i)
	if !ok {
		r.pos = i
		for r.pos < len(r.data) && r.pos < i+4 && isHex(r.data[r.pos]) {
			r.pos++
		}
		r.syntax("in \\u hexadecimal character escape")
	}
	return char, ok
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hex4At(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var char rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		char = char<<4 | rune(c)
	}
	return char, true
}

// SWAR constants: each has one copy of a byte in every lane of a word.
const (
	lanesOf01   = 0x0101010101010101
	lanesOf80   = 0x8080808080808080
	lanesOf20   = 0x20 * lanesOf01
	lanesQuote  = '"' * lanesOf01
	lanesBslash = '\\' * lanesOf01
)

// indexSpecial returns the index, from i on, of the first byte that ends
// the plain run of a string literal: a quote, a backslash or a control
// character; len(d) if there is none. It tests eight bytes at a time,
// since scanning strings is most of the decoding time.
func indexSpecial(d []byte, i int) int {
	for ; i+8 <= len(d); i += 8 {
		w := binary.LittleEndian.Uint64(d[i:])
		quote, bslash := w^lanesQuote, w^lanesBslash
		// x-0x01…&^x sets a lane's high bit when the lane was zero (for w
		// itself: below 0x20). Borrows may flag lanes above a match, never
		// below it, so the lowest flag is exact.
		if found := ((w-lanesOf20)&^w | (quote-lanesOf01)&^quote | (bslash-lanesOf01)&^bslash) & lanesOf80; found != 0 {
			return i + bits.TrailingZeros64(found)/8
		}
	}
	for ; i < len(d); i++ {
		if c := d[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return i
}

// stringBytes consumes a string literal and returns its decoded, valid
// UTF-8 content. Without escapes the result aliases the input.
func (r *reader) stringBytes() []byte {
	return validUTF8(r.readString(true, 0))
}

// validUTF8 replaces each invalid byte with U+FFFD, as encoding/json does,
// so that both forms of a message decode alike.
func validUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	return out
}

// cutRunes keeps at most max runes of s (all when max < 0) and reports
// whether it cut.
func cutRunes(s []byte, max int) (string, bool) {
	if max < 0 || len(s) <= max { // negative: no limit; fewer bytes than max: fewer runes
		return string(s), false
	}
	n := 0
	for i := range string(s) {
		if n == max {
			return string(s[:i]), true
		}
		n++
	}
	return string(s), false
}

// truncateRunes keeps at most max runes of s, marking a cut with "…".
func truncateRunes(s []byte, max int) string {
	text, cut := cutRunes(s, max)
	if cut {
		return text + "…"
	}
	return text
}

// str reads any scalar as text: strings as decoded (truncated to
// maxString runes), numbers and booleans as their literal. Null, objects
// and arrays give "".
func (r *reader) str() string {
	switch r.peekKind() {
	case kindString:
		return truncateRunes(r.stringBytes(), r.maxString)
	case kindNumber:
		return string(r.number())
	case kindBool:
		if r.data[r.pos] == 't' {
			r.literal("true")
			return "true"
		}
		r.literal("false")
		return "false"
	}
	r.skip()
	return ""
}

// display reads any value as text for an attribute list: scalars as str
// does, objects and arrays as compact JSON. ok is false for null.
func (r *reader) display() (text string, ok bool) {
	switch r.peekKind() {
	case kindNull:
		r.skip()
		return "", false
	case kindObject, kindArray:
		raw := r.raw()
		var buf bytes.Buffer
		if r.err != nil || json.Compact(&buf, raw) != nil {
			return "", false
		}
		return truncateRunes(buf.Bytes(), r.maxString), true
	}
	return r.str(), r.err == nil
}

// int reads an integer sent as a number (42, 42.0, 4.2e1) or as a string
// ("42"). Fractions, overflow and other types give 0.
func (r *reader) int() int64 {
	switch r.peekKind() {
	case kindNumber:
		return parseInt(r.number())
	case kindString:
		return parseInt(bytes.TrimSpace(r.stringBytes()))
	}
	r.skip()
	return 0
}

// boolean reads true/false, also sent as a string ("true", "1") or a
// number (non-zero is true).
func (r *reader) boolean() bool {
	switch r.peekKind() {
	case kindBool:
		return r.str() == "true"
	case kindString:
		b, _ := strconv.ParseBool(strings.TrimSpace(string(r.stringBytes())))
		return b
	case kindNumber:
		f, _ := strconv.ParseFloat(string(r.number()), 64)
		return f != 0
	}
	r.skip()
	return false
}

// Unix seconds beyond year 9999 are not seconds; from 1e12 on they are
// taken as JavaScript milliseconds, which some hosts send.
const (
	millisecondsFrom = 1e12
	maxUnixSeconds   = 253402300800
)

// unixTime reads a timestamp sent as unix seconds (number or string), as
// JavaScript milliseconds, or as an RFC 3339 string. Anything else, and 0,
// give the zero time.
func (r *reader) unixTime() time.Time {
	var text []byte
	switch r.peekKind() {
	case kindNumber:
		text = r.number()
	case kindString:
		text = bytes.TrimSpace(r.stringBytes())
		if t, err := time.Parse(time.RFC3339Nano, string(text)); err == nil {
			return t.UTC()
		}
	default:
		r.skip()
		return time.Time{}
	}
	seconds, ok := parseDigits(text)
	if ok {
		if seconds >= millisecondsFrom {
			return unixFloat(float64(seconds) / 1000)
		}
		if seconds > 0 && seconds < maxUnixSeconds {
			return time.Unix(seconds, 0).UTC()
		}
		return time.Time{}
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		return time.Time{}
	}
	if f >= millisecondsFrom {
		f /= 1000
	}
	return unixFloat(f)
}

func unixFloat(f float64) time.Time {
	if !(f > 0 && f < maxUnixSeconds) { // also rejects NaN
		return time.Time{}
	}
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64((f-sec)*1e9)).UTC()
}

// parseInt reads a decimal integer, or a float with an integral value.
func parseInt(b []byte) int64 {
	if n, ok := parseDigits(b); ok {
		return n
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0
	}
	return int64(f)
}

// parseDigits is the allocation-free path of parseInt: an optional sign
// and up to 19 digits. ok is false for anything else; an integer beyond
// int64 is 0 (and ok).
func parseDigits(b []byte) (n int64, ok bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 19 { // 19 digits cannot overflow a uint64
		return 0, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case neg && u <= 1<<63:
		return int64(-u), true // wraps to math.MinInt64 for 1<<63
	case !neg && u <= math.MaxInt64:
		return int64(u), true
	}
	return 0, true
}
