package ingest

import (
	"bytes"
	"io"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"dashapp/db/shop"
)

// The fast path of Decode: a tokenizer (jsontext) reads each record into
// the same record struct that encoding/json fills, without reflection,
// and the same collector validates it. encoding/json was two thirds of
// the decoder's time and most of its garbage (BENCHMARKS.md).
//
// It only ever succeeds with the batch encoding/json would have decoded:
// on anything it does not read exactly as encoding/json would (a syntax
// error, a JSON type other than the field's, null, a name that is not
// one of the fields as spelt, since encoding/json also matches them in
// any case, a name sent twice, invalid UTF-8), and on any refusal at
// all, it gives up and Decode runs encoding/json over the body from the
// start. Every refusal, and its wording, is therefore encoding/json's
// and the validator's as before; a bad request pays for two decodes.

// splitAt is the body size from which an NDJSON body is decoded in two
// halves at once: the second core decodes while the first does, which
// takes about half the decoder's time off a 10,000-record request.
const splitAt = 256 << 10

// fastDecode reads body (trimmed, starting with "[" when array) as Decode
// does. ok is false when Decode must decode it with encoding/json.
func fastDecode(body []byte, array bool, maxRecords int) (d Decoded, ok bool) {
	if !array && len(body) >= splitAt {
		return fastDecodeHalves(body, maxRecords)
	}
	var c collector
	if !c.fastRead(body, array, maxRecords) || c.n == 0 {
		return Decoded{}, false
	}
	return c.decoded(), true
}

// fastDecodeHalves decodes NDJSON from its middle line break on in a
// goroutine while it decodes the first half. A line break may fall
// inside a record (encoding/json accepts a record over several lines):
// the first half then ends inside a value and fails, and the body goes
// to encoding/json whole. If the first half reads as whole records, the
// break was between two, and the second half starts with the next.
func fastDecodeHalves(body []byte, maxRecords int) (Decoded, bool) {
	mid := bytes.IndexByte(body[len(body)/2:], '\n')
	if mid < 0 {
		var c collector
		if !c.fastRead(body, false, maxRecords) || c.n == 0 {
			return Decoded{}, false
		}
		return c.decoded(), true
	}
	mid += len(body) / 2
	var first, second collector
	var secondOK bool
	var wg sync.WaitGroup
	wg.Go(func() { secondOK = second.fastRead(body[mid:], false, maxRecords) })
	firstOK := first.fastRead(body[:mid], false, maxRecords)
	wg.Wait()
	if !firstOK || !secondOK || first.n+second.n == 0 || first.n+second.n > maxRecords {
		return Decoded{}, false
	}
	first.append(&second)
	return first.decoded(), true
}

// fastRead reads body's records into c, and reports whether the fast path
// read all of them: false means encoding/json must decide.
func (c *collector) fastRead(body []byte, array bool, maxRecords int) bool {
	f := fastDecoder{dec: jsontext.NewDecoder(bytes.NewBuffer(body))}
	if array && !f.delim('[') {
		return false
	}
	c.presize(body, maxRecords)
	var rec record
	for i := 0; f.dec.PeekKind() == '{'; i++ {
		if i >= maxRecords {
			return false
		}
		rec = record{}
		if !f.record(&rec) || c.add(i, &rec) != nil {
			return false
		}
	}
	if array && !f.delim(']') {
		return false
	}
	_, err := f.dec.ReadToken()
	return err == io.EOF
}

type fastDecoder struct {
	dec *jsontext.Decoder
}

// delim reads one delimiter token, and reports whether it was want.
func (f *fastDecoder) delim(want jsontext.Kind) bool {
	tok, err := f.dec.ReadToken()
	return err == nil && tok.Kind() == want
}

// object reads an object, calling field for each member's name with the
// decoder before the member's value; field reads the value and reports
// whether the name was known and the value read.
func (f *fastDecoder) object(field func(name []byte) bool) bool {
	if !f.delim('{') {
		return false
	}
	for f.dec.PeekKind() == '"' {
		raw, err := f.dec.ReadValue()
		// An escaped name may spell a field: encoding/json decides.
		if err != nil || bytes.IndexByte(raw, '\\') >= 0 || !field(raw[1:len(raw)-1]) {
			return false
		}
	}
	return f.delim('}')
}

// str reads a string value into *dst.
func (f *fastDecoder) str(dst *string) bool {
	raw, err := f.dec.ReadValue()
	if err != nil || raw.Kind() != '"' {
		return false
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		*dst = string(raw[1 : len(raw)-1])
		return true
	}
	s, err := jsontext.AppendUnquote(nil, raw)
	*dst = string(s)
	return err == nil
}

// integer reads a number that is an integer, as encoding/json reads one
// into an int field (strconv.ParseInt of the literal).
func (f *fastDecoder) integer(dst *int64) bool {
	raw, err := f.dec.ReadValue()
	if err != nil || raw.Kind() != '0' {
		return false
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	*dst = n
	return err == nil
}

func (f *fastDecoder) record(r *record) bool {
	return f.object(func(name []byte) bool {
		switch string(name) {
		case "type":
			return f.str(&r.Type)
		case "ref":
			return f.str(&r.Ref)
		case "name":
			return f.str(&r.Name)
		case "email":
			return f.str(&r.Email)
		case "phone":
			return f.str(&r.Phone)
		case "identifier":
			return f.str(&r.Identifier)
		case "contact_id":
			return f.integer(&r.ContactID)
		case "number":
			return f.str(&r.Number)
		case "external_id":
			return f.str(&r.ExternalID)
		case "customer_ref":
			return f.str(&r.CustomerRef)
		case "status":
			return f.str(&r.Status)
		case "platform_status":
			return f.str(&r.PlatformStatus)
		case "payment_status":
			return f.str(&r.PaymentStatus)
		case "currency":
			return f.str(&r.Currency)
		case "total":
			return f.str(&r.Total)
		case "placed_at":
			return f.str(&r.PlacedAt)
		case "shipping_address":
			if r.ShippingAddress != nil { // sent twice: encoding/json would merge the two
				return false
			}
			r.ShippingAddress = new(address)
			return f.address(r.ShippingAddress)
		case "admin_url":
			return f.str(&r.AdminURL)
		case "customer_url":
			return f.str(&r.CustomerURL)
		case "items":
			return r.Items == nil && f.items(&r.Items)
		case "order_number":
			return f.str(&r.OrderNumber)
		case "kind":
			return f.str(&r.Kind)
		case "method":
			return f.str(&r.Method)
		case "card_brand":
			return f.str(&r.CardBrand)
		case "card_last4":
			return f.str(&r.CardLast4)
		case "amount":
			return f.str(&r.Amount)
		case "created_at":
			return f.str(&r.CreatedAt)
		case "carrier":
			return f.str(&r.Carrier)
		case "tracking_number":
			return f.str(&r.TrackingNumber)
		case "tracking_url":
			return f.str(&r.TrackingURL)
		case "status_at":
			return f.str(&r.StatusAt)
		case "updated_at":
			return f.str(&r.UpdatedAt)
		}
		return false
	})
}

func (f *fastDecoder) address(a *address) bool {
	return f.object(func(name []byte) bool {
		switch string(name) {
		case "name":
			return f.str(&a.Name)
		case "phone":
			return f.str(&a.Phone)
		case "city":
			return f.str(&a.City)
		case "country":
			return f.str(&a.Country)
		case "line":
			return f.str(&a.Line)
		}
		return false
	})
}

// items reads an array of items; an empty array is an empty list, not
// nil, as with encoding/json (it replaces the order's items with none).
func (f *fastDecoder) items(dst **[]item) bool {
	if !f.delim('[') {
		return false
	}
	list := make([]item, 0, 4)
	for f.dec.PeekKind() == '{' {
		list = append(list, item{})
		if !f.item(&list[len(list)-1]) {
			return false
		}
	}
	*dst = &list
	return f.delim(']')
}

func (f *fastDecoder) item(it *item) bool {
	return f.object(func(name []byte) bool {
		switch string(name) {
		case "sku":
			return f.str(&it.SKU)
		case "name":
			return f.str(&it.Name)
		case "quantity":
			var q int64
			ok := f.integer(&q)
			it.Quantity = int(q)
			return ok
		case "unit_price":
			return f.str(&it.UnitPrice)
		case "line_total":
			return f.str(&it.LineTotal)
		}
		return false
	})
}

// typeKey starts the type of a record written compactly, as exporters do.
var typeKey = []byte(`"type":"`)

// presize makes room in c for the records of each type body holds,
// counted by their compact "type" key, at most limit of each: the lists
// grown by doubling were half the decoder's garbage. A body written
// otherwise only grows its lists as before.
func (c *collector) presize(body []byte, limit int) {
	var customers, orders, payments, shipments int
	for rest := body; ; {
		i := bytes.Index(rest, typeKey)
		if i < 0 {
			break
		}
		rest = rest[i+len(typeKey):]
		switch {
		case bytes.HasPrefix(rest, []byte(TypeCustomer+`"`)):
			customers++
		case bytes.HasPrefix(rest, []byte(TypeOrder+`"`)):
			orders++
		case bytes.HasPrefix(rest, []byte(TypePayment+`"`)):
			payments++
		case bytes.HasPrefix(rest, []byte(TypeShipment+`"`)):
			shipments++
		}
	}
	c.batch.Customers, c.customers = room[shop.CustomerRecord](customers, limit), room[int](customers, limit)
	c.batch.Orders, c.orders = room[shop.OrderRecord](orders, limit), room[int](orders, limit)
	c.batch.Payments, c.pays = room[shop.PaymentRecord](payments, limit), room[int](payments, limit)
	c.batch.Shipments, c.s = room[shop.ShipmentRecord](shipments, limit), room[int](shipments, limit)
}

// room is an empty list with room for n of at most limit elements; nil for
// none, as the lists of a type the body does not send stay.
func room[T any](n, limit int) []T {
	if n == 0 {
		return nil
	}
	return make([]T, 0, min(n, limit))
}
