package appcontext

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"dashapp/handlers/runes"
)

// cursor walks one JSON document with jsontext's streaming decoder, from the
// prototype of the standard library's encoding/json/jsontext (jsonv2).
// Decode, Check and Tree read the host's message through it rather than
// unmarshal it because every field is tolerant (a wrong type reads as an
// absent value, not an error), nesting is counted as containers are
// entered (so hostile input fails before any deep recursion), and a 20 KB
// message is read in one pass without reflection.
//
// Errors are sticky: after the first one every method is a no-op returning
// zero values, so callers check c.err once at the end.
type cursor struct {
	dec       jsontext.Decoder
	source    bytes.Buffer // what dec reads: a bytes.Buffer is parsed in place, so values alias input
	input     []byte
	maxDepth  int    // containers nested deeper than this fail with a depthError
	maxString int    // runes kept by str() and display(); negative keeps everything
	text      []byte // scratch for unescaping strings
	err       error
}

// readOptions accept what JSON.parse accepts and RFC 8259 permits: a name
// repeated in an object (the decoder's callers let the last one win) and
// invalid UTF-8 or lone surrogates, which decode to U+FFFD as in
// encoding/json.
var readOptions = []jsontext.Options{jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true)}

// cursors are reused: a decoder's state and the scratch buffer are worth
// keeping between requests.
var cursors = sync.Pool{New: func() any { return new(cursor) }}

func newCursor(input []byte, maxDepth, maxString int) *cursor {
	c := cursors.Get().(*cursor)
	c.source = *bytes.NewBuffer(input)
	c.dec.Reset(&c.source, readOptions...)
	c.input, c.maxDepth, c.maxString, c.err = input, maxDepth, maxString, nil
	return c
}

// release returns c to the pool, detached from its input; c is unusable
// after.
func (c *cursor) release() {
	c.source = bytes.Buffer{}
	c.dec.Reset(&c.source)
	c.input = nil
	if cap(c.text) > 64<<10 { // one long string must not pin its buffer
		c.text = nil
	}
	cursors.Put(c)
}

// depthError is nesting beyond the cursor's limit.
type depthError struct {
	limit  int
	offset int64
}

func (e *depthError) Error() string {
	return fmt.Sprintf("nesting exceeds %d levels (at byte %d)", e.limit, e.offset)
}

// errTrailing is a second value after the top-level one; describe words it.
var errTrailing = errors.New("data after top-level value")

// describe words a cursor error for developers. Syntax errors are worded
// as encoding/json words them, which Go developers recognise and which
// the tests pin; jsontext's own wording is the fallback.
func describe(input []byte, err error) string {
	var deep *depthError
	if errors.As(err, &deep) {
		return deep.Error()
	}
	var syntax *json.SyntaxError
	if errors.As(json.Unmarshal(input, new(json.RawMessage)), &syntax) {
		return fmt.Sprintf("%s (at byte %d)", syntax, syntax.Offset)
	}
	return err.Error()
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

func (c *cursor) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// failRead records why the decoder could not read on; the end of input
// inside a value is an error, never a clean io.EOF.
func (c *cursor) failRead(err error) {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	c.fail(err)
}

func (c *cursor) peekKind() valueKind {
	if c.err != nil {
		return kindInvalid
	}
	switch c.dec.PeekKind() {
	case '{':
		return kindObject
	case '[':
		return kindArray
	case '"':
		return kindString
	case '0':
		return kindNumber
	case 't', 'f':
		return kindBool
	case 'n':
		return kindNull
	}
	// The decoder holds an error for the next read (or the input ended).
	if _, err := c.dec.ReadToken(); err != nil {
		c.failRead(err)
	} else {
		c.fail(errors.New("a value is missing"))
	}
	return kindInvalid
}

// typeName names the next value's JSON type the way the schema report
// does: an integer literal is "integer", any other number "number".
func (c *cursor) typeName() string {
	switch c.peekKind() {
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
		// The number is not read yet: its literal starts the unread input,
		// after the separator and whitespace before it.
		rest := bytes.TrimLeft(c.dec.UnreadBuffer(), ":, \t\r\n")
		end := 0
		for end < len(rest) && strings.IndexByte("+-0123456789.eE", rest[end]) >= 0 {
			end++
		}
		if bytes.ContainsAny(rest[:end], ".eE") {
			return "number"
		}
		return "integer"
	}
	return "invalid"
}

// end checks that only whitespace follows the top-level value.
func (c *cursor) end() {
	if c.err != nil {
		return
	}
	if c.dec.PeekKind() != 0 {
		c.fail(errTrailing)
		return
	}
	if _, err := c.dec.ReadToken(); err != io.EOF {
		c.fail(err)
	}
}

// token reads one token, a delimiter or a scalar.
func (c *cursor) token() jsontext.Kind {
	tok, err := c.dec.ReadToken()
	if err != nil {
		c.failRead(err)
		return 0
	}
	return tok.Kind()
}

// enter reads the opening delimiter at the cursor, failing beyond maxDepth.
func (c *cursor) enter() bool {
	c.token()
	if depth := c.dec.StackDepth(); c.err == nil && depth > c.maxDepth {
		c.fail(&depthError{limit: c.maxDepth, offset: c.dec.InputOffset() - 1})
	}
	return c.err == nil
}

// object calls fn for each member of the object at the cursor; fn must
// consume exactly one value. A value of another type is skipped: for a
// tolerant decoder the wrong type is simply an absent object.
func (c *cursor) object(fn func(key []byte)) {
	c.container(kindObject, '}', func() {
		name := c.read()
		if c.err == nil {
			// An escaped name gets its own memory: fn reads further
			// strings while it still holds the key.
			fn(unquote(nil, name))
		}
	})
}

// array calls fn for each element of the array at the cursor; fn must
// consume exactly one value. A value of another type is skipped.
func (c *cursor) array(fn func()) {
	c.container(kindArray, ']', fn)
}

// container enters the container of kind at the cursor, calls next until
// the closing delimiter, and reads that.
func (c *cursor) container(kind valueKind, closing jsontext.Kind, next func()) {
	if c.peekKind() != kind {
		c.skip()
		return
	}
	if !c.enter() {
		return
	}
	for c.err == nil {
		if c.dec.PeekKind() == closing {
			c.token()
			return
		}
		next()
	}
}

// skip validates and consumes one value of any type. A container is read
// whole by the decoder, and its nesting bounded by the brackets it holds;
// only when that bound or the decoder fails is it walked again, token by
// token, to find which limit or error comes first.
func (c *cursor) skip() {
	kind := c.peekKind()
	if kind != kindObject && kind != kindArray {
		if kind != kindInvalid {
			c.read()
		}
		return
	}
	depth := c.dec.StackDepth()
	start := c.dec.InputOffset()
	value, err := c.dec.ReadValue()
	if err == nil && depth+bytes.Count(value, []byte("{"))+bytes.Count(value, []byte("[")) <= c.maxDepth {
		return
	}
	if problem := firstProblem(c.input[start:], start, depth, c.maxDepth); problem != nil {
		c.fail(problem)
		return
	}
	c.failRead(err)
}

// firstProblem walks the value that starts input (after separators), at
// offset base of the whole document and nesting depth, and returns its
// first syntax error or container beyond maxDepth, whichever comes first;
// nil when there is neither.
func firstProblem(input []byte, base int64, depth, maxDepth int) error {
	rest := bytes.TrimLeft(input, ":, \t\r\n")
	base += int64(len(input) - len(rest))
	dec := jsontext.NewDecoder(bytes.NewBuffer(rest), readOptions...)
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if kind := tok.Kind(); (kind == '{' || kind == '[') && depth+dec.StackDepth() > maxDepth {
			return &depthError{limit: maxDepth, offset: base + dec.InputOffset() - 1}
		}
		if dec.StackDepth() == 0 {
			return nil
		}
	}
}

// read consumes one scalar or name and returns its raw text, which aliases
// the input.
func (c *cursor) read() []byte {
	v, err := c.dec.ReadValue()
	if err != nil {
		c.failRead(err)
		return nil
	}
	return v
}

// raw consumes one value and returns its bytes as received.
func (c *cursor) raw() []byte {
	start := c.dec.InputOffset()
	c.skip()
	if c.err != nil {
		return nil
	}
	// Between the previous token and this value lie only a separator and
	// whitespace.
	return bytes.TrimLeft(c.input[start:c.dec.InputOffset()], ":, \t\r\n")
}

// unquote decodes a string literal into dst: escapes resolved, invalid
// UTF-8 and lone surrogates replaced with U+FFFD. Without escapes and
// with valid UTF-8 the result aliases literal.
func unquote(dst, literal []byte) []byte {
	content := literal[1 : len(literal)-1]
	if bytes.IndexByte(content, '\\') < 0 && utf8.Valid(content) {
		return content
	}
	// The decoder has validated the literal: the only errors left are the
	// replaced invalid UTF-8 and surrogates, and the text is complete.
	dst, _ = jsontext.AppendUnquote(dst[:0], literal)
	return dst
}

// stringBytes consumes a string and returns its decoded, valid UTF-8
// content, valid until the next call.
func (c *cursor) stringBytes() []byte {
	literal := c.read()
	if c.err != nil {
		return nil
	}
	return c.unquoted(literal)
}

// unquoted decodes a string literal of this input, into the scratch when
// it has escapes; the result is valid until the next call.
func (c *cursor) unquoted(literal []byte) []byte {
	text := unquote(c.text, literal)
	// Keep the result as scratch only when it is the scratch: a string
	// without escapes aliases the input, which the next unescape must not
	// overwrite.
	if len(literal) > 2 && len(text) > 0 && &text[0] != &literal[1] {
		c.text = text
	}
	return text
}

// str reads any scalar as text: strings as decoded (truncated to
// maxString runes), numbers and booleans as their literal. Null, objects
// and arrays give "".
func (c *cursor) str() string {
	switch c.peekKind() {
	case kindString, kindNumber, kindBool:
		if literal := c.read(); c.err == nil {
			return c.scalarText(literal)
		}
		return ""
	}
	c.skip()
	return ""
}

// scalarText is str for the literal of a string, number or boolean that
// this cursor has read.
func (c *cursor) scalarText(literal []byte) string {
	switch literal[0] {
	case '"':
		return runes.Truncate(c.unquoted(literal), c.maxString)
	case 't':
		return "true"
	case 'f':
		return "false"
	}
	return string(literal)
}

// display reads any value as text for an attribute list: scalars as str
// does, objects and arrays as compact JSON. ok is false for null.
func (c *cursor) display() (text string, ok bool) {
	switch c.peekKind() {
	case kindNull:
		c.skip()
		return "", false
	case kindObject, kindArray:
		raw := c.raw()
		var buf bytes.Buffer
		if c.err != nil || json.Compact(&buf, raw) != nil {
			return "", false
		}
		return runes.Truncate(buf.Bytes(), c.maxString), true
	}
	return c.str(), c.err == nil
}

// int reads an integer sent as a number (42, 42.0, 4.2e1) or as a string
// ("42"). Fractions, overflow and other types give 0.
func (c *cursor) int() int64 {
	switch c.peekKind() {
	case kindNumber:
		return parseInt(string(c.read()))
	case kindString:
		return parseInt(string(bytes.TrimSpace(c.stringBytes())))
	}
	c.skip()
	return 0
}

// boolean reads true/false, also sent as a string ("true", "1") or a
// number (non-zero is true).
func (c *cursor) boolean() bool {
	switch c.peekKind() {
	case kindBool:
		return c.str() == "true"
	case kindString:
		b, _ := strconv.ParseBool(strings.TrimSpace(string(c.stringBytes())))
		return b
	case kindNumber:
		f, _ := strconv.ParseFloat(string(c.read()), 64)
		return f != 0
	}
	c.skip()
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
func (c *cursor) unixTime() time.Time {
	var text string
	switch c.peekKind() {
	case kindNumber:
		text = string(c.read())
	case kindString:
		text = string(bytes.TrimSpace(c.stringBytes()))
		if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
			return t.UTC()
		}
	default:
		c.skip()
		return time.Time{}
	}
	if seconds, err := strconv.ParseInt(text, 10, 64); err == nil {
		if seconds >= millisecondsFrom {
			return unixFloat(float64(seconds) / 1000)
		}
		if seconds > 0 && seconds < maxUnixSeconds {
			return time.Unix(seconds, 0).UTC()
		}
		return time.Time{}
	}
	f, err := strconv.ParseFloat(text, 64)
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

// parseInt reads a decimal integer, or a float with an integral value;
// anything else, and integers beyond int64, give 0.
func parseInt(s string) int64 {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return 0
	}
	return int64(f)
}
