package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

const sample = `[
{"type":"customer","ref":"C-2001","name":"Noura Al-Qahtani","email":"noura@example.com","phone":"+966 55 000 0009","identifier":"cust-2001","contact_id":42,"updated_at":"2026-11-01T09:00:00+03:00"},
{"type":"order","number":"A-1001","external_id":"778","customer_ref":"C-2001","status":"shipped","platform_status":"Out with courier","payment_status":"paid","currency":"KWD","total":"12.345","placed_at":"2026-11-01T09:30:00+03:00","updated_at":"2026-11-01T10:00:00Z","admin_url":"https://shop.example/admin/orders/778","customer_url":"https://shop.example/orders/778","shipping_address":{"name":"Noura","phone":"+96555000009","city":"Kuwait City","country":"KW","line":"Block 3, Street 12"},"items":[{"sku":"MUG-1","name":"Mug","quantity":3,"unit_price":"4.115"},{"sku":"BAG","name":"Bag","quantity":1,"unit_price":"0.000","line_total":"0.000"}]},
{"type":"payment","ref":"P-9","customer_ref":"C-2001","order_number":"A-1001","kind":"charge","method":"card","card_brand":"visa","card_last4":"4242","status":"succeeded","currency":"KWD","amount":"12.345","created_at":"2026-11-01T09:31:00+03:00"},
{"type":"shipment","ref":"S-1","order_number":"A-1001","carrier":"Aramex","tracking_number":"AX123","tracking_url":"https://aramex.example/track/AX123","status":"in_transit","status_at":"2026-11-01T12:00:00Z"}
]`

func TestDecodeEveryType(t *testing.T) {
	d, err := Decode([]byte(sample), "application/json", 100)
	if err != nil {
		t.Fatal(err)
	}
	b := d.Batch
	if len(b.Customers) != 1 || len(b.Orders) != 1 || len(b.Payments) != 1 || len(b.Shipments) != 1 {
		t.Fatalf("batch %+v", b)
	}
	c := b.Customers[0]
	if c != (shop.CustomerRecord{Ref: "C-2001", Source: shop.SourceAPI, Name: "Noura Al-Qahtani", Email: "noura@example.com",
		Phone: "+966 55 000 0009", Identifier: "cust-2001", ContactID: 42, UpdatedAt: c.UpdatedAt}) || !c.UpdatedAt.Equal(time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("customer %+v", c)
	}
	o := b.Orders[0]
	if o.Number != "A-1001" || o.ExternalID != "778" || o.CustomerRef != "C-2001" || o.Status != shop.OrderShipped ||
		o.PlatformStatus != "Out with courier" || o.PaymentStatus != shop.OrderPaymentPaid || o.Source != shop.SourceAPI ||
		o.Total != (shop.Money{Minor: 12345, Currency: "KWD"}) || o.AdminURL != "https://shop.example/admin/orders/778" ||
		o.CustomerURL != "https://shop.example/orders/778" || o.Customer != nil {
		t.Errorf("order %+v", o)
	}
	if !o.PlacedAt.Equal(time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)) || !o.UpdatedAt.Equal(time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("order times %v %v", o.PlacedAt, o.UpdatedAt)
	}
	if a := o.ShippingAddress; a == nil || *a != (shop.Address{Name: "Noura", Phone: "+96555000009", City: "Kuwait City", Country: "KW", Line: "Block 3, Street 12"}) {
		t.Errorf("address %+v", o.ShippingAddress)
	}
	wantItems := []shop.ItemRecord{
		{SKU: "MUG-1", Name: "Mug", Quantity: 3, UnitPrice: shop.Money{Minor: 4115, Currency: "KWD"}, LineTotal: shop.Money{Minor: 12345, Currency: "KWD"}},
		{SKU: "BAG", Name: "Bag", Quantity: 1, UnitPrice: shop.Money{Currency: "KWD"}, LineTotal: shop.Money{Currency: "KWD"}},
	}
	if fmt.Sprint(o.Items) != fmt.Sprint(wantItems) {
		t.Errorf("items %+v, want %+v (a missing line_total is unit_price × quantity)", o.Items, wantItems)
	}
	p := b.Payments[0]
	if p.Ref != "P-9" || p.CustomerRef != "C-2001" || p.OrderNumber != "A-1001" || p.Kind != shop.KindCharge || p.Method != "card" ||
		p.CardBrand != "visa" || p.CardLast4 != "4242" || p.Status != shop.PaymentSucceeded || p.Amount.Minor != 12345 || p.Source != shop.SourceAPI ||
		!p.CreatedAt.Equal(time.Date(2026, 11, 1, 6, 31, 0, 0, time.UTC)) {
		t.Errorf("payment %+v", p)
	}
	s := b.Shipments[0]
	if s.Ref != "S-1" || s.OrderNumber != "A-1001" || s.Carrier != "Aramex" || s.TrackingNumber != "AX123" ||
		s.TrackingURL != "https://aramex.example/track/AX123" || s.Status != shop.ShipmentInTransit || s.Source != shop.SourceAPI ||
		!s.StatusAt.Equal(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("shipment %+v", s)
	}
}

// ndjson turns the sample array into one record a line.
func ndjson(t testing.TB) string {
	t.Helper()
	s := strings.TrimSpace(sample)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	return strings.ReplaceAll(s, "},\n{", "}\n{")
}

func TestDecodeNDJSONMatchesArray(t *testing.T) {
	array, err := Decode([]byte(sample), "application/json", 100)
	if err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct{ body, contentType string }{
		"by media type":        {ndjson(t), "application/x-ndjson; charset=utf-8"},
		"sniffed":              {ndjson(t), ""},
		"sniffed, blank lines": {"\n" + strings.ReplaceAll(ndjson(t), "\n", "\n\n") + "\n", "application/json"},
	} {
		d, err := Decode([]byte(tt.body), tt.contentType, 100)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(d.Batch, array.Batch) {
			t.Errorf("%s: batch differs from the array's", name)
		}
	}
}

// record builds a one-record body from the sample's i-th line with edit applied.
func sampleLine(t *testing.T, i int) string {
	t.Helper()
	return strings.Split(ndjson(t), "\n")[i]
}

func TestDecodeRefusals(t *testing.T) {
	order := sampleLine(t, 1)
	customer := sampleLine(t, 0)
	tests := []struct {
		name  string
		body  string
		index int
		field string
	}{
		{"amount as a float", customer + "\n" + strings.Replace(order, `"total":"12.345"`, `"total":12.345`, 1), 1, "total"},
		{"more decimals than KWD has", strings.Replace(order, `"total":"12.345"`, `"total":"12.3456"`, 1), 0, "total"},
		{"amount not a number", strings.Replace(order, `"total":"12.345"`, `"total":"12,345"`, 1), 0, "total"},
		{"unknown currency", strings.Replace(order, `"currency":"KWD"`, `"currency":"XXQ"`, 1), 0, "total"},
		{"missing total", strings.Replace(order, `"total":"12.345",`, ``, 1), 0, "total"},
		{"time not RFC 3339", strings.Replace(order, `"placed_at":"2026-11-01T09:30:00+03:00"`, `"placed_at":"01/11/2026"`, 1), 0, "placed_at"},
		{"unknown status", strings.Replace(order, `"status":"shipped"`, `"status":"sent"`, 1), 0, "status"},
		{"unknown payment status", strings.Replace(order, `"payment_status":"paid"`, `"payment_status":"ok"`, 1), 0, "payment_status"},
		{"missing number", strings.Replace(order, `"number":"A-1001",`, ``, 1), 0, "number"},
		{"item quantity 0", strings.Replace(order, `"quantity":1`, `"quantity":0`, 1), 0, "items[1].quantity"},
		{"item price a float", strings.Replace(order, `"unit_price":"4.115"`, `"unit_price":4.115`, 1), 0, "items.unit_price"},
		{"item without name", strings.Replace(order, `"name":"Bag",`, ``, 1), 0, "items[1].name"},
		{"unknown field", strings.Replace(order, `"total":`, `"totl":"1","total":`, 1), 0, "totl"},
		{"a payment's field on an order", strings.Replace(order, `"total":`, `"amount":"1","total":`, 1), 0, "amount"},
		{"unknown type", `{"type":"invoice","ref":"I-1"}`, 0, "type"},
		{"no type", `{"ref":"C-1"}`, 0, "type"},
		{"javascript link", strings.Replace(sampleLine(t, 3), `https://aramex.example/track/AX123`, `javascript:alert(1)`, 1), 0, "tracking_url"},
		{"shipment status", strings.Replace(sampleLine(t, 3), `"in_transit"`, `"moving"`, 1), 0, "status"},
		{"payment kind", strings.Replace(sampleLine(t, 2), `"charge"`, `"gift"`, 1), 0, "kind"},
		{"negative contact id", strings.Replace(customer, `"contact_id":42`, `"contact_id":-1`, 1), 0, "contact_id"},
		{"third record broken JSON", customer + "\n" + customer + "\n" + `{"type":"customer","ref":`, 2, ""},
		{"garbage after the array", "[" + customer + "] x", 1, ""},
		{"an array sent as NDJSON", "[" + customer + "]", 0, ""},
		{"no records", "[]", 0, ""},
		{"not JSON at all", "ref,name\nC-1,Noura", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contentType := "application/json"
			if tt.name == "an array sent as NDJSON" {
				contentType = NDJSON
			}
			_, err := Decode([]byte(tt.body), contentType, 100)
			var rec *shop.RecordError
			if !errors.As(err, &rec) {
				t.Fatalf("Decode: %v, want a *shop.RecordError", err)
			}
			if rec.Index != tt.index || rec.Field != tt.field {
				t.Errorf("record %d, field %q (%v); want record %d, field %q", rec.Index, rec.Field, rec.Err, tt.index, tt.field)
			}
		})
	}
}

func TestDecodeRecordLimit(t *testing.T) {
	body := strings.Repeat(sampleLine(t, 0)+"\n", 3)
	if _, err := Decode([]byte(body), NDJSON, 3); err != nil {
		t.Errorf("3 records, limit 3: %v", err)
	}
	if _, err := Decode([]byte(body), NDJSON, 2); !errors.Is(err, ErrTooManyRecords) {
		t.Errorf("3 records, limit 2: %v, want ErrTooManyRecords", err)
	}
}

func TestRequestIndex(t *testing.T) {
	// Sent: shipment, order, customer, payment, customer.
	lines := []string{sampleLine(t, 3), sampleLine(t, 1), sampleLine(t, 0), sampleLine(t, 2), strings.Replace(sampleLine(t, 0), "C-2001", "C-2002", 1)}
	d, err := Decode([]byte(strings.Join(lines, "\n")), NDJSON, 100)
	if err != nil {
		t.Fatal(err)
	}
	// Batch order: customers (sent 2, 4), orders (1), payments (3), shipments (0).
	for batch, want := range []int{2, 4, 1, 3, 0} {
		if got := d.Request(batch); got != want {
			t.Errorf("Request(%d) = %d, want %d", batch, got, want)
		}
	}
}

// batchOf builds an NDJSON body of n records in the proportions of a
// shop's export: per 10 records, 2 customers, 4 orders of 3 items, 2
// payments and 2 shipments.
func batchOf(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		c := i / 10
		switch i % 10 {
		case 0, 1:
			fmt.Fprintf(&b, `{"type":"customer","ref":"C-%d-%d","name":"Customer %d","email":"c%d-%d@example.com","phone":"+9665%08d","updated_at":"2026-11-01T09:00:00+03:00"}`+"\n", c, i%10, i, c, i%10, i)
		case 2, 3, 4, 5:
			fmt.Fprintf(&b, `{"type":"order","number":"A-%d","customer_ref":"C-%d-0","status":"paid","payment_status":"paid","currency":"SAR","total":"449.50","placed_at":"2026-11-01T09:30:00+03:00","updated_at":"2026-11-01T10:00:00Z","shipping_address":{"name":"Customer","phone":"+966500000001","city":"Riyadh","country":"SA","line":"King Fahd Rd 1"},"items":[{"sku":"MUG-1","name":"Mug","quantity":2,"unit_price":"49.75"},{"sku":"BAG-2","name":"Bag","quantity":1,"unit_price":"250.00"},{"sku":"PEN-3","name":"Pen","quantity":10,"unit_price":"10.00"}]}`+"\n", i, c)
		case 6, 7:
			fmt.Fprintf(&b, `{"type":"payment","ref":"P-%d","customer_ref":"C-%d-0","order_number":"A-%d","kind":"charge","method":"card","card_brand":"visa","card_last4":"4242","status":"succeeded","currency":"SAR","amount":"449.50","created_at":"2026-11-01T09:31:00+03:00"}`+"\n", i, c, c*10+2)
		default:
			fmt.Fprintf(&b, `{"type":"shipment","ref":"S-%d","order_number":"A-%d","carrier":"Aramex","tracking_number":"AX%d","tracking_url":"https://aramex.example/track/AX%d","status":"in_transit","status_at":"2026-11-01T12:00:00Z"}`+"\n", i, c*10+2, i, i)
		}
	}
	return []byte(b.String())
}

func TestBatchOfDecodes(t *testing.T) {
	d, err := Decode(batchOf(1000), NDJSON, DefaultMaxRecords)
	if err != nil {
		t.Fatal(err)
	}
	if b := d.Batch; len(b.Customers) != 200 || len(b.Orders) != 400 || len(b.Payments) != 200 || len(b.Shipments) != 200 || len(b.Orders[7].Items) != 3 {
		t.Errorf("batch of %d customers, %d orders, %d payments, %d shipments", len(b.Customers), len(b.Orders), len(b.Payments), len(b.Shipments))
	}
}

// BenchmarkDecodeNDJSON10k measures the decoder alone on a 10,000-record
// NDJSON batch; records/s is the figure the /ingest target is set in.
func BenchmarkDecodeNDJSON10k(b *testing.B) {
	body := batchOf(DefaultMaxRecords)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(body, NDJSON, DefaultMaxRecords); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(DefaultMaxRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// FuzzDecode: any body is either a batch the store can take or a refusal
// that names a record; never a panic.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(sample), "application/json")
	f.Add([]byte(ndjson(f)), NDJSON)
	f.Add([]byte(`[{"type":"order","items":[{"quantity":-1}]}]`), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		d, err := Decode(body, contentType, 50)
		// The fast path may give up, but what it decodes is encoding/json's.
		if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 {
			if fast, ok := fastDecode(trimmed, trimmed[0] == '[', 50); ok {
				if std, err := decodeStd(trimmed, trimmed[0] == '[', 50); err != nil || !reflect.DeepEqual(fast, std) {
					t.Fatalf("fast path decoded %+v, encoding/json %+v, %v", fast.Batch, std.Batch, err)
				}
			}
		}
		if err != nil {
			var rec *shop.RecordError
			if !errors.As(err, &rec) && !errors.Is(err, ErrTooManyRecords) {
				t.Fatalf("error %v is neither a RecordError nor ErrTooManyRecords", err)
			}
			return
		}
		if d.Batch.Len() == 0 || d.Batch.Len() > 50 {
			t.Fatalf("accepted %d records", d.Batch.Len())
		}
		seen := map[int]bool{}
		for i := range d.Batch.Len() {
			j := d.Request(i)
			if j < 0 || j >= d.Batch.Len() || seen[j] {
				t.Fatalf("batch record %d maps to request record %d", i, j)
			}
			seen[j] = true
		}
		for _, o := range d.Batch.Orders {
			if o.Number == "" || o.CustomerRef == "" || o.Total.Currency == "" {
				t.Fatalf("accepted order %+v", o)
			}
		}
	})
}

// TestFastDecodeAgrees: the fast path either gives up or decodes exactly
// what encoding/json decodes, and Decode's answer is encoding/json's in
// both cases, refusals included.
func TestFastDecodeAgrees(t *testing.T) {
	customer, order := sampleLine(t, 0), sampleLine(t, 1)
	tests := []struct {
		name string
		body string
		fast bool // the fast path takes it
	}{
		{"the sample array", sample, true},
		{"the sample as NDJSON", ndjson(t), true},
		{"a bench-sized batch", string(batchOf(1000)), true},
		{"escapes in values", strings.Replace(customer, `"Noura Al-Qahtani"`, `"Noura \"N\" Al-Qahtani \u0646\ud83d\ude00"`, 1), true},
		{"records with no newline between", customer + order, true},
		{"no items, an empty list", strings.Replace(order, `"items":[{"sku":"MUG-1","name":"Mug","quantity":3,"unit_price":"4.115"},{"sku":"BAG","name":"Bag","quantity":1,"unit_price":"0.000","line_total":"0.000"}]`, `"items":[]`, 1), true},
		{"a name in other case", strings.Replace(customer, `"name":`, `"Name":`, 1), false},
		{"an escaped name", strings.Replace(customer, `"name":`, `"n\u0061me":`, 1), false},
		{"a name sent twice", strings.Replace(customer, `"name":"Noura Al-Qahtani"`, `"name":"A","name":"B"`, 1), false},
		{"an address sent twice", strings.Replace(order, `"shipping_address":`, `"shipping_address":{"city":"Jahra"},"shipping_address":`, 1), false},
		{"null", strings.Replace(customer, `"name":"Noura Al-Qahtani"`, `"name":null`, 1), false},
		{"null items", strings.Replace(order, `"items":[`, `"items":null,"x":[`, 1), false},
		{"invalid UTF-8", strings.Replace(customer, "Noura", "No\xffura", 1), false},
		{"a float contact id", strings.Replace(customer, `"contact_id":42`, `"contact_id":42.0`, 1), false},
		{"a string contact id", strings.Replace(customer, `"contact_id":42`, `"contact_id":"42"`, 1), false},
		{"an unknown field", strings.Replace(customer, `"name":`, `"nickname":"N","name":`, 1), false},
		{"a bad amount", strings.Replace(order, `"total":"12.345"`, `"total":"12.3456"`, 1), false},
		{"a number as a record", customer + "\n5", false},
		{"a bracket after NDJSON", customer + "]", false},
		{"too many records", strings.Repeat(customer+"\n", 1001), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			trimmed := []byte(strings.TrimLeft(tt.body, " \t\r\n"))
			array := trimmed[0] == '['
			fast, ok := fastDecode(trimmed, array, 1000)
			if ok != tt.fast {
				t.Fatalf("fast path took it: %v, want %v", ok, tt.fast)
			}
			std, stdErr := decodeStd(trimmed, array, 1000)
			if ok && (stdErr != nil || !reflect.DeepEqual(fast, std)) {
				t.Fatalf("fast path decoded %+v, encoding/json %+v, %v", fast.Batch, std.Batch, stdErr)
			}
			got, err := Decode([]byte(tt.body), "", 1000)
			if fmt.Sprint(err) != fmt.Sprint(stdErr) || !reflect.DeepEqual(got, std) {
				t.Errorf("Decode: %v, encoding/json: %v", err, stdErr)
			}
		})
	}
}

// A large NDJSON body is decoded in two halves at once; whatever the
// break between them falls on, the answer is encoding/json's.
func TestFastDecodeHalves(t *testing.T) {
	body := batchOf(1000)
	if len(body) < splitAt {
		t.Fatalf("the batch is %d bytes, under the %d that are split", len(body), splitAt)
	}
	multiline := bytes.ReplaceAll(body, []byte(`,"`), []byte(",\n\""))
	for name, tt := range map[string]struct {
		body []byte
		max  int
	}{
		"one record a line":               {body, 1000},
		"records over several lines":      {multiline, 1000},
		"one record more than the limit":  {body, 999},
		"a bad record in the second half": {bytes.Replace(body, []byte(`"S-999"`), []byte(`"S-999","nickname":"x"`), 1), 1000},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Decode(tt.body, NDJSON, tt.max)
			want, wantErr := decodeStd(tt.body, false, tt.max)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
				t.Errorf("Decode: %v; encoding/json: %v (or the batches differ)", err, wantErr)
			}
		})
	}
	d, err := Decode(body, NDJSON, 1000)
	if err != nil {
		t.Fatal(err)
	}
	// The second half's records keep their places in the request.
	last := len(d.Batch.Customers) + len(d.Batch.Orders) + len(d.Batch.Payments) + len(d.Batch.Shipments) - 1
	if got := d.Request(last); got != 999 || d.Batch.Shipments[len(d.Batch.Shipments)-1].Ref != "S-999" {
		t.Errorf("the last shipment is request record %d (%s), want 999 (S-999)", got, d.Batch.Shipments[len(d.Batch.Shipments)-1].Ref)
	}
}

// TestFastDecodeAgreesOnMutations is FuzzDecode's check, run on every
// test: 20,000 bodies mutated from the sample at random (seeded), each
// either left to encoding/json or decoded exactly as it decodes them.
func TestFastDecodeAgreesOnMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 50_000))
	seeds := [][]byte{[]byte(sample), []byte(ndjson(t))}
	const alphabet = "{}[]:,\"\\ \n0-1.eEtnulAZaz_u\xff"
	fast := 0
	for range 20_000 {
		body := bytes.Clone(seeds[rng.IntN(len(seeds))])
		for range 1 + rng.IntN(3) {
			i, c := rng.IntN(len(body)), alphabet[rng.IntN(len(alphabet))]
			switch rng.IntN(3) {
			case 0:
				body[i] = c
			case 1:
				body = append(body[:i], body[i+1:]...)
			default:
				body = append(body[:i], append([]byte{c}, body[i:]...)...)
			}
		}
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if len(trimmed) == 0 {
			continue
		}
		got, ok := fastDecode(trimmed, trimmed[0] == '[', 100)
		if !ok {
			continue
		}
		fast++
		if want, err := decodeStd(trimmed, trimmed[0] == '[', 100); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("body %q: the fast path decoded %+v, encoding/json %+v, %v", body, got.Batch, want.Batch, err)
		}
	}
	if fast == 0 {
		t.Error("the fast path took none of the mutated bodies: the test checks nothing")
	}
	t.Logf("the fast path took %d of the mutated bodies", fast)
}
