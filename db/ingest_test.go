package db

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

var ingestBase = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

// sar parses an amount for a fixture; fixtures' amounts are valid.
func money(t testing.TB, amount, currency string) shop.Money {
	t.Helper()
	m, err := shop.ParseAmount(amount, currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// liveOrder is a Salla-like order of one customer with two items, one
// parcel and an address.
func liveOrder(t testing.TB, number string, updated time.Time) shop.OrderRecord {
	return shop.OrderRecord{
		Number: number, Source: shop.SourceSalla, ExternalID: "ext-" + number,
		Customer: &shop.CustomerRecord{Source: shop.SourceSalla, ExternalID: "901", Name: "Reem Al-Otaibi",
			Email: " Reem@Example.com ", Phone: "+966 50 111 2222", UpdatedAt: updated},
		Status: shop.OrderShipped, PlatformStatus: "جاري التوصيل", PaymentStatus: shop.OrderPaymentPaid,
		Total: money(t, "215.50", "SAR"), PlacedAt: ingestBase.Add(-time.Hour), UpdatedAt: updated,
		ShippingAddress: &shop.Address{Name: "ريم العتيبي", Phone: "+966501112222", City: "الرياض", Country: "SA", Line: "حي الملقا"},
		AdminURL:        "https://s.salla.example/orders/" + number, CustomerURL: "https://shop.example/orders/" + number,
		Items: []shop.ItemRecord{
			{SKU: "TEA-1", Name: "Saffron tea", Quantity: 2, UnitPrice: money(t, "45.00", "SAR")},
			{SKU: "DATE-1", Name: "Ajwa dates", Quantity: 1, UnitPrice: money(t, "130.00", "SAR"), LineTotal: money(t, "125.50", "SAR")},
		},
		Shipments: []shop.ShipmentRecord{{Ref: "salla:shp-" + number, Carrier: "SMSA", TrackingNumber: "290011112222",
			TrackingURL: "https://www.smsaexpress.com/trackingdetails?tracknumbers=290011112222", Status: shop.ShipmentInTransit,
			StatusAt: ingestBase.Add(-30 * time.Minute), UpdatedAt: updated}},
	}
}

func ingest(t testing.TB, d *DB, dlv shop.Delivery, b shop.Batch) shop.IngestResult {
	t.Helper()
	res, err := d.Ingest(context.Background(), dlv, b)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return res
}

// orderByNumber finds an ingested order's detail through the panel's reads.
func orderByNumber(t testing.TB, d *DB, number string) shop.OrderDetail {
	t.Helper()
	var id, customerID int64
	if err := d.read.QueryRow(`SELECT id, customer_id FROM orders WHERE number = ?`, number).Scan(&id, &customerID); err != nil {
		t.Fatalf("order %s: %v", number, err)
	}
	detail, err := d.OrderDetail(context.Background(), customerID, id)
	if err != nil {
		t.Fatal(err)
	}
	return detail
}

func TestIngestOrderWithEverything(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	res := ingest(t, d, shop.Delivery{Source: shop.SourceSalla, ID: "d-1", Topic: "order.created"}, shop.Batch{
		Orders: []shop.OrderRecord{liveOrder(t, "S-100", ingestBase)},
		Payments: []shop.PaymentRecord{{Ref: "salla:pay-1", OrderExternalID: "ext-S-100", Kind: "charge", Method: "mada",
			CardBrand: "mada", CardLast4: "4321", Status: "succeeded", Amount: money(t, "215.50", "SAR"), CreatedAt: ingestBase.Add(-50 * time.Minute)}},
		Shipments: []shop.ShipmentRecord{{Ref: "salla:shp-2", OrderNumber: "S-100", Carrier: "Aramex", TrackingNumber: "41234567890",
			Status: shop.ShipmentLabelCreated}},
	})
	if res != (shop.IngestResult{Applied: 3}) {
		t.Errorf("result = %+v, want 3 applied", res)
	}
	detail := orderByNumber(t, d, "S-100")
	o := detail.Order
	wantAddr := shop.Address{Name: "ريم العتيبي", Phone: "+966501112222", City: "الرياض", Country: "SA", Line: "حي الملقا"}
	if o.Source != "salla" || o.ExternalID != "ext-S-100" || o.PlatformStatus != "جاري التوصيل" || o.PaymentStatus != "paid" ||
		o.Status != "shipped" || o.Total != (shop.Money{Minor: 21550, Currency: "SAR"}) || o.ItemCount != 3 ||
		o.ShippingAddress != wantAddr || !o.UpdatedAt.Equal(ingestBase) || o.AdminURL != "https://s.salla.example/orders/S-100" {
		t.Errorf("order = %+v", o)
	}
	if o.Tracking != (shop.Tracking{Status: "label_created", Carrier: "Aramex", Number: "41234567890"}) {
		t.Errorf("the order's tracking = %+v, want its newest shipment's, salla:shp-2", o.Tracking)
	}
	wantItems := []shop.Item{
		{SKU: "TEA-1", Name: "Saffron tea", Quantity: 2, UnitPrice: shop.Money{Minor: 4500, Currency: "SAR"}, LineTotal: shop.Money{Minor: 9000, Currency: "SAR"}},
		{SKU: "DATE-1", Name: "Ajwa dates", Quantity: 1, UnitPrice: shop.Money{Minor: 13000, Currency: "SAR"}, LineTotal: shop.Money{Minor: 12550, Currency: "SAR"}},
	}
	if len(detail.Items) != 2 {
		t.Fatalf("items = %+v", detail.Items)
	}
	for i := range wantItems {
		wantItems[i].ID = detail.Items[i].ID
		if detail.Items[i] != wantItems[i] {
			t.Errorf("item %d = %+v, want %+v", i, detail.Items[i], wantItems[i])
		}
	}
	if len(detail.Shipments) != 2 || detail.Shipments[0].TrackingNumber != "290011112222" || detail.Shipments[0].Status != "in_transit" ||
		!detail.Shipments[0].StatusAt.Equal(ingestBase.Add(-30*time.Minute)) || detail.Shipments[1].Ref != "salla:shp-2" {
		t.Errorf("shipments = %+v", detail.Shipments)
	}
	if len(detail.Payments) != 1 || detail.Payments[0].Ref != "salla:pay-1" || detail.Payments[0].OrderNumber != "S-100" ||
		detail.Payments[0].CustomerID != o.CustomerID {
		t.Errorf("payments = %+v", detail.Payments)
	}
	reem := matchOne(t, d, shop.Identity{Email: "reem@example.com"})
	if reem.ID != o.CustomerID || reem.Ref != "salla:901" || reem.Phone != "966501112222" || reem.Name != "Reem Al-Otaibi" {
		t.Errorf("customer = %+v", reem)
	}
	page, err := d.Orders(ctx, reem.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	listed := o // the list leaves out what only the detail shows
	listed.ExternalID, listed.AdminURL, listed.CustomerURL, listed.ShippingAddress, listed.UpdatedAt = "", "", "", shop.Address{}, time.Time{}
	if len(page.Orders) != 1 || page.Orders[0] != listed {
		t.Errorf("order list = %+v, want the detail's order %+v", page.Orders, listed)
	}
	if summary, err := d.Summary(ctx, reem.ID); err != nil || summary.OrderCount != 1 {
		t.Errorf("summary counts %d orders, %v; want the one", summary.OrderCount, err)
	}

	// Another customer's id does not open the order.
	if _, err := d.OrderDetail(ctx, reem.ID+1, o.ID); !errors.Is(err, shop.ErrNotFound) {
		t.Errorf("another customer's order: err = %v, want ErrNotFound", err)
	}
}

func TestIngestOrderingRule(t *testing.T) {
	d := openTestDB(t)
	dlv := shop.Delivery{Source: shop.SourceSalla}
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{liveOrder(t, "S-1", ingestBase)}})

	older := liveOrder(t, "S-1", ingestBase.Add(-time.Minute))
	older.Status, older.Items = shop.OrderPending, nil
	older.Shipments[0].Status = shop.ShipmentLabelCreated
	before := dumpDB(t, d)
	if res := ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{older}}); res != (shop.IngestResult{Stale: 1}) {
		t.Errorf("older delivery: %+v, want 1 stale", res)
	}
	if after := dumpDB(t, d); after != before {
		t.Errorf("an older delivery changed the database:\n%s", after)
	}
	if s := orderByNumber(t, d, "S-1").Shipments[0].Status; s != shop.ShipmentInTransit {
		t.Errorf("shipment status = %s after an older delivery", s)
	}

	newer := liveOrder(t, "S-1", ingestBase.Add(time.Minute))
	newer.Status, newer.Items, newer.ShippingAddress, newer.PaymentStatus = shop.OrderDelivered, nil, nil, ""
	newer.Shipments[0].Status, newer.Shipments[0].TrackingURL = shop.ShipmentDelivered, ""
	if res := ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{newer}}); res != (shop.IngestResult{Applied: 1}) {
		t.Errorf("newer delivery: %+v, want 1 applied", res)
	}
	got := orderByNumber(t, d, "S-1")
	// Nil items, a nil address, an empty payment status and URL keep what
	// was stored.
	if got.Order.Status != "delivered" || got.Order.ItemCount != 3 || len(got.Items) != 2 || got.Order.ShippingAddress.City != "الرياض" ||
		got.Order.PaymentStatus != "paid" || got.Shipments[0].Status != "delivered" || got.Shipments[0].TrackingURL == "" {
		t.Errorf("after a newer delivery: %+v", got)
	}

	// A zero UpdatedAt always applies, and keeps the newest time stored.
	zero := liveOrder(t, "S-1", time.Time{})
	zero.Status, zero.Items = shop.OrderReturned, []shop.ItemRecord{}
	zero.Customer.UpdatedAt, zero.Shipments = time.Time{}, nil
	if res := ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{zero}}); res.Applied != 1 {
		t.Errorf("zero updated_at: %+v", res)
	}
	got = orderByNumber(t, d, "S-1")
	if got.Order.Status != "returned" || got.Order.ItemCount != 0 || len(got.Items) != 0 || !got.Order.UpdatedAt.Equal(ingestBase.Add(time.Minute)) {
		t.Errorf("after an undated delivery with no items: %+v", got)
	}
}

func TestIngestDuplicateDelivery(t *testing.T) {
	d := openTestDB(t)
	dlv := shop.Delivery{Source: shop.SourceShopify, ID: "b5e4c7a0-webhook-id", Topic: "orders/updated"}
	first := liveOrder(t, "#1001", ingestBase)
	first.Source = "" // the delivery's source applies
	first.Customer.Source = ""
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{first}})
	before := dumpDB(t, d)

	again := liveOrder(t, "#1001", ingestBase.Add(time.Hour))
	again.Status = shop.OrderCancelled
	if res := ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{again}}); res != (shop.IngestResult{Duplicate: true}) {
		t.Errorf("second delivery: %+v, want a duplicate", res)
	}
	if after := dumpDB(t, d); after != before {
		t.Error("a duplicate delivery changed the database")
	}
	if o := orderByNumber(t, d, "#1001").Order; o.Source != "shopify" || o.Status != "shipped" {
		t.Errorf("order = %+v", o)
	}
	// The same id from another platform is another delivery.
	if res := ingest(t, d, shop.Delivery{Source: shop.SourceWooCommerce, ID: dlv.ID}, shop.Batch{Orders: []shop.OrderRecord{again}}); res.Duplicate {
		t.Error("another source's delivery with the same id was taken for a duplicate")
	}
}

func TestIngestBadRecordWritesNothing(t *testing.T) {
	good := func(t *testing.T) shop.Batch {
		return shop.Batch{
			Customers: []shop.CustomerRecord{{Ref: "api:c1", Name: "Sara", Email: "sara@example.com"}},
			Orders:    []shop.OrderRecord{liveOrder(t, "A-1", ingestBase), liveOrder(t, "A-2", ingestBase)},
			Payments: []shop.PaymentRecord{{Ref: "api:p1", OrderNumber: "A-1", Kind: "charge", Status: "succeeded",
				Amount: money(t, "215.50", "SAR"), CreatedAt: ingestBase}},
			Shipments: []shop.ShipmentRecord{{Ref: "api:s1", OrderNumber: "A-2", Status: "delivered"}},
		}
	}
	tests := []struct {
		name  string
		spoil func(b *shop.Batch)
		index int
		kind  string
		field string
	}{
		{"customer without ref or contact", func(b *shop.Batch) { b.Customers[0] = shop.CustomerRecord{Name: "Nobody"} }, 0, "customer", "ref"},
		{"bad email", func(b *shop.Batch) { b.Customers[0].Email = "not-an-address" }, 0, "customer", "email"},
		{"unknown status", func(b *shop.Batch) { b.Orders[1].Status = "lost_in_space" }, 2, "order", "status"},
		{"no number", func(b *shop.Batch) { b.Orders[0].Number = " " }, 1, "order", "number"},
		{"unknown currency", func(b *shop.Batch) { b.Orders[0].Total.Currency = "XXY" }, 1, "order", "total"},
		{"negative total", func(b *shop.Batch) { b.Orders[0].Total.Minor = -1 }, 1, "order", "total"},
		{"item in another currency", func(b *shop.Batch) { b.Orders[1].Items[1].UnitPrice.Currency = "KWD" }, 2, "order", "items[1].unit_price"},
		{"item quantity", func(b *shop.Batch) { b.Orders[1].Items[0].Quantity = 0 }, 2, "order", "items[0].quantity"},
		{"javascript tracking link", func(b *shop.Batch) { b.Orders[0].Shipments[0].TrackingURL = "javascript:alert(1)" }, 1, "order", "shipments[0].tracking_url"},
		{"nested customer's phone", func(b *shop.Batch) { b.Orders[0].Customer.Phone = "12" }, 1, "order", "customer.phone"},
		{"customer ref disagrees", func(b *shop.Batch) { b.Orders[0].CustomerRef = "salla:902" }, 1, "order", "customer_ref"},
		{"unknown customer", func(b *shop.Batch) { b.Orders[1].Customer, b.Orders[1].CustomerRef = nil, "salla:404" }, 2, "order", "customer_ref"},
		{"relative admin url", func(b *shop.Batch) { b.Orders[1].AdminURL = "/admin/orders/1" }, 2, "order", "admin_url"},
		{"payment of an unknown order", func(b *shop.Batch) { b.Payments[0].OrderNumber = "A-404" }, 3, "payment", "order_number"},
		{"payment of an unknown platform id", func(b *shop.Batch) { b.Payments[0].OrderNumber, b.Payments[0].OrderExternalID = "", "nope" }, 3, "payment", "order_external_id"},
		{"payment for another customer's order", func(b *shop.Batch) { b.Payments[0].CustomerRef = "api:c1" }, 3, "payment", "customer_ref"},
		{"card last 4", func(b *shop.Batch) { b.Payments[0].CardLast4 = "12a4" }, 3, "payment", "card_last4"},
		{"shipment status", func(b *shop.Batch) { b.Shipments[0].Status = "teleported" }, 4, "shipment", "status"},
		{"shipment without order", func(b *shop.Batch) { b.Shipments[0].OrderNumber = "" }, 4, "shipment", "order_number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openTestDB(t)
			importFixtures(t, d) // something to keep
			before := dumpDB(t, d)
			b := good(t)
			tt.spoil(&b)
			dlv := shop.Delivery{Source: shop.SourceAPI, ID: "req-1"}
			_, err := d.Ingest(context.Background(), dlv, b)
			var re *shop.RecordError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a RecordError", err)
			}
			if re.Index != tt.index || re.Kind != tt.kind || re.Field != tt.field {
				t.Errorf("error at record %d (%s) field %q, want %d (%s) %q: %v", re.Index, re.Kind, re.Field, tt.index, tt.kind, tt.field, err)
			}
			if after := dumpDB(t, d); after != before {
				t.Error("a bad record left part of its batch written")
			}
			// The refused delivery's id is not used up: the fixed batch applies.
			if res := ingest(t, d, dlv, good(t)); res.Applied != 5 {
				t.Errorf("the fixed batch: %+v, want 5 applied", res)
			}
		})
	}
}

func TestIngestErrorIndexFollowsRequestOrder(t *testing.T) {
	d := openTestDB(t)
	// The request sent the order first, then the customer.
	b := shop.Batch{
		Customers: []shop.CustomerRecord{{Ref: "api:c1", Email: "broken"}},
		Orders:    []shop.OrderRecord{liveOrder(t, "A-1", ingestBase)},
		Sent:      []int{1, 0},
	}
	_, err := d.Ingest(context.Background(), shop.Delivery{Source: shop.SourceAPI}, b)
	var re *shop.RecordError
	if !errors.As(err, &re) || re.Index != 1 || re.Field != "email" {
		t.Errorf("err = %v, want record 1's email", err)
	}
}

func TestIngestGuestCustomers(t *testing.T) {
	d := openTestDB(t)
	dlv := shop.Delivery{Source: shop.SourceWooCommerce}
	guestOrder := func(number string, c shop.CustomerRecord) shop.OrderRecord {
		o := liveOrder(t, number, ingestBase)
		o.Source = "" // the delivery's, for the order and its customer
		c.Name = "Guest Shopper"
		o.Customer = &c
		return o
	}
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{
		guestOrder("W-1", shop.CustomerRecord{Email: "Guest.Shopper@Example.com"}),
		guestOrder("W-2", shop.CustomerRecord{Email: "guest.shopper@example.com ", Phone: "+971 50 123 4567"}),
		guestOrder("W-3", shop.CustomerRecord{Phone: "00971-50-765-4321"}),
	}})
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{
		guestOrder("W-4", shop.CustomerRecord{Phone: "+971 50 765 4321"}),
	}})
	byEmail := matchOne(t, d, shop.Identity{Email: "guest.shopper@example.com"})
	if byEmail.Ref != "woocommerce:guest:guest.shopper@example.com" || byEmail.Phone != "971501234567" {
		t.Errorf("guest by email = %+v", byEmail)
	}
	byPhone := matchOne(t, d, shop.Identity{Phone: "971507654321"})
	if byPhone.Ref != "woocommerce:guest:971507654321" {
		t.Errorf("guest by phone = %+v", byPhone)
	}
	if n := tableCounts(t, d)["customers"]; n != 2 {
		t.Errorf("%d customers, want 2 guests", n)
	}
	for number, want := range map[string]int64{"W-1": byEmail.ID, "W-2": byEmail.ID, "W-3": byPhone.ID, "W-4": byPhone.ID} {
		if got := orderByNumber(t, d, number).Order.CustomerID; got != want {
			t.Errorf("order %s belongs to customer %d, want %d", number, got, want)
		}
	}
	// A ref a source built from the raw address names the same guest.
	if got := normalRef("woocommerce", "woocommerce:guest:Guest.Shopper@EXAMPLE.com"); got != byEmail.Ref {
		t.Errorf("normalRef = %q, want %q", got, byEmail.Ref)
	}
}

func TestIngestKuwaitiDinars(t *testing.T) {
	d := openTestDB(t)
	o := liveOrder(t, "K-1", ingestBase)
	o.Total = money(t, "12.345", "KWD")
	o.Items = []shop.ItemRecord{
		{Name: "Oud oil", Quantity: 3, UnitPrice: money(t, "3.115", "KWD")},
		{Name: "Gift wrap", Quantity: 1, UnitPrice: money(t, "3", "kwd"), LineTotal: money(t, "3.000", "KWD")},
	}
	o.Shipments = nil
	ingest(t, d, shop.Delivery{Source: shop.SourceZid}, shop.Batch{
		Orders: []shop.OrderRecord{o},
		Payments: []shop.PaymentRecord{{Ref: "zid:p1", OrderNumber: "K-1", Kind: "refund", Status: "succeeded",
			Amount: shop.Money{Minor: 1, Currency: "kwd"}, CreatedAt: ingestBase}},
	})
	detail := orderByNumber(t, d, "K-1")
	if detail.Order.Total != (shop.Money{Minor: 12345, Currency: "KWD"}) || detail.Order.Total.Decimal() != "12.345" {
		t.Errorf("total = %+v", detail.Order.Total)
	}
	if it := detail.Items[0]; it.UnitPrice.Minor != 3115 || it.LineTotal != (shop.Money{Minor: 9345, Currency: "KWD"}) {
		t.Errorf("item = %+v", it)
	}
	if p := detail.Payments[0]; p.Amount != (shop.Money{Minor: 1, Currency: "KWD"}) || p.Amount.Decimal() != "0.001" {
		t.Errorf("refund = %+v", p.Amount)
	}
	// Sources parse with shop.ParseAmount, which refuses a fourth decimal.
	if _, err := shop.ParseAmount("1.2345", "KWD"); err == nil {
		t.Error("1.2345 KWD parsed")
	}
}

func TestLogDeliveryAndSourceStatuses(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	at := ingestBase
	log := func(source, id, outcome, reason string) {
		t.Helper()
		at = at.Add(time.Second)
		if err := d.LogDelivery(ctx, shop.DeliveryLog{Source: source, DeliveryID: id, Topic: "orders/updated", Outcome: outcome,
			Reason: reason, Records: 1, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range DeliveryLogKeep + 15 {
		log("shopify", "ok-"+string(rune('a'+i%26)), shop.OutcomeAccepted, "")
	}
	log("shopify", "bad-1", shop.OutcomeRefused, "signature mismatch")
	log("shopify", "ok-last", shop.OutcomeAccepted, "")
	log("shopify", "dup", shop.OutcomeDuplicate, "")
	log("zid", "z-1", shop.OutcomeMalformed, strings.Repeat("é", 400))
	if err := d.LogDelivery(ctx, shop.DeliveryLog{Source: "zid", Outcome: "exploded"}); err == nil {
		t.Error("an unknown outcome was logged")
	}

	statuses, err := d.SourceStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(statuses) != 2 || statuses[0].Source != "shopify" || statuses[1].Source != "zid" {
		t.Fatalf("statuses = %+v", statuses)
	}
	s := statuses[0]
	if s.Counts["accepted"] != DeliveryLogKeep+16 || s.Counts["refused"] != 1 || s.Counts["duplicate"] != 1 {
		t.Errorf("shopify counts = %v", s.Counts)
	}
	if s.LastAccepted == nil || s.LastAccepted.DeliveryID != "ok-last" || s.LastAccepted.Topic != "orders/updated" {
		t.Errorf("last accepted = %+v", s.LastAccepted)
	}
	if s.LastRefused == nil || s.LastRefused.DeliveryID != "bad-1" || s.LastRefused.Reason != "signature mismatch" ||
		!s.LastRefused.At.Equal(ingestBase.Add(time.Duration(DeliveryLogKeep+16)*time.Second)) {
		t.Errorf("last refused = %+v", s.LastRefused)
	}
	z := statuses[1]
	if z.LastAccepted != nil || z.LastRefused == nil || z.LastRefused.Outcome != "malformed" || len(z.LastRefused.Reason) > maxReasonBytes ||
		!strings.HasPrefix(z.LastRefused.Reason, "éé") || strings.ContainsRune(z.LastRefused.Reason, '\uFFFD') {
		t.Errorf("zid = %+v", z)
	}
	// The log is bounded: the oldest accepted deliveries are gone.
	var kept int
	if err := d.read.QueryRow(`SELECT count(*) FROM delivery_log WHERE source = 'shopify' AND outcome = 'accepted'`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != DeliveryLogKeep {
		t.Errorf("%d accepted deliveries kept, want %d", kept, DeliveryLogKeep)
	}
}

// A batch larger than one statement's rows, with stale records and runs of
// orders with and without items and addresses, counts and writes each
// record as a batch of one would.
func TestIngestLargeBatch(t *testing.T) {
	d := openTestDB(t)
	const n = 2*batchRows + 44
	first := ingestBatch(2*n, "L", ingestBase)
	if res := ingest(t, d, shop.Delivery{Source: shop.SourceAPI}, first); res != (shop.IngestResult{Applied: 2 * n}) {
		t.Fatalf("first batch: %+v", res)
	}
	second := ingestBatch(2*n, "L", ingestBase.Add(time.Minute))
	stale := 0
	for i := range second.Orders {
		o := &second.Orders[i]
		o.Status = shop.OrderDelivered
		switch i % 5 {
		case 0: // older than stored: nothing changes
			o.UpdatedAt = ingestBase.Add(-time.Minute)
			second.Customers[i].UpdatedAt = o.UpdatedAt
			stale += 2
		case 1:
			o.Items = nil
		case 2:
			o.ShippingAddress = nil
		}
	}
	// The same order twice: the later record wins.
	dup := second.Orders[3]
	dup.Status = shop.OrderReturned
	second.Orders = append(second.Orders, dup)
	res := ingest(t, d, shop.Delivery{Source: shop.SourceAPI}, second)
	if res != (shop.IngestResult{Applied: 2*n + 1 - stale, Stale: stale}) {
		t.Errorf("second batch: %+v, want %d applied, %d stale", res, 2*n+1-stale, stale)
	}
	for i, o := range second.Orders[:n] {
		got := orderByNumber(t, d, o.Number)
		want := shop.OrderDelivered
		switch {
		case i%5 == 0:
			want = shop.OrderPaid
		case i == 3:
			want = shop.OrderReturned
		}
		if got.Order.Status != want || got.Order.ItemCount != 4 || len(got.Items) != 3 || got.Order.ShippingAddress.City != "Riyadh" {
			t.Fatalf("order %d (%s): status %s, %d items counted, %d stored, address %+v; want %s with 3 items",
				i, o.Number, got.Order.Status, got.Order.ItemCount, len(got.Items), got.Order.ShippingAddress, want)
		}
	}
	if c := tableCounts(t, d); c["customers"] != n || c["orders"] != n || c["order_items"] != 3*n {
		t.Errorf("rows = %v, want %d customers and orders, %d items", c, n, 3*n)
	}
}

// A batch that updates an order and inserts others replaces the stored
// order's items and writes the new orders' (whose items it need not
// delete: they had none), also when a new order comes twice.
func TestIngestItemsOfNewAndStoredOrders(t *testing.T) {
	d := openTestDB(t)
	dlv := shop.Delivery{Source: shop.SourceSalla}
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{liveOrder(t, "S-1", ingestBase)}})

	stored := liveOrder(t, "S-1", ingestBase.Add(time.Minute))
	stored.Items = stored.Items[1:]
	fresh := liveOrder(t, "S-2", ingestBase)
	again := liveOrder(t, "S-2", ingestBase.Add(time.Minute))
	again.Items = again.Items[:1]
	again.Shipments = nil
	ingest(t, d, dlv, shop.Batch{Orders: []shop.OrderRecord{fresh, stored, again}})
	for number, want := range map[string]string{"S-1": "DATE-1", "S-2": "TEA-1"} {
		got := orderByNumber(t, d, number)
		if len(got.Items) != 1 || got.Items[0].SKU != want || got.Order.ItemCount != got.Items[0].Quantity {
			t.Errorf("order %s: items %+v, item count %d; want only %s", number, got.Items, got.Order.ItemCount, want)
		}
	}
}
