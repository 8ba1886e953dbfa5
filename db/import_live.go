package db

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"dashapp/db/shop"
)

// The items and shipments files of an import. Their rows are checked and
// written by the same code as Ingest's records (ingest_check.go and the
// ingester), so that a CSV row and a webhook obey one set of rules; a bad
// field is reported at its line and column.
var (
	itemCSV = importSpec{table: "order_items", defaultName: "items.csv", ownWrites: true, repeats: true, columns: []importColumn{
		{"order_number", "order_id", true},
		{"name", "name", true},
		{"quantity", "quantity", true},
		{"unit_price", "unit_minor", true},
		{"sku", "sku", false},
		{"line_total", "line_minor", false},
	}}
	shipmentCSV = importSpec{table: "shipments", defaultName: "shipments.csv", ownWrites: true, columns: []importColumn{
		{"shipment_ref", "ref", true},
		{"order_number", "order_id", true},
		{"status", "status", true},
		{"carrier", "carrier", false},
		{"tracking_number", "tracking_number", false},
		{"tracking_url", "tracking_url", false},
		{"status_at", "status_at", false},
	}}
)

// csvColumnOf maps a record check's field to the CSV column holding it.
var csvColumnOf = map[string]string{"ref": "shipment_ref"}

// failField locates a record check's error at its column.
func (f *csvFile) failField(err *fieldError) error {
	column := err.field
	if c, ok := csvColumnOf[column]; ok {
		column = c
	}
	return f.fail(column, err.err)
}

// setLiveOrderColumns checks and sets an orders file's optional columns
// that live sources also send, with Ingest's checks.
func setLiveOrderColumns(f *csvFile) error {
	if v, ok := f.get("payment_status"); ok {
		if v != "" {
			if fe := checkOneOf("payment_status", &v, shop.OrderPaymentStatuses); fe != nil {
				return f.failField(fe)
			}
		}
		f.set("payment_status", v)
	}
	for _, column := range []string{"admin_url", "customer_url"} {
		if v, ok := f.get(column); ok {
			if fe := checkWebURL(column, &v); fe != nil {
				return f.failField(fe)
			}
			f.set(column, v)
		}
	}
	if v, ok := f.get("external_id"); ok {
		f.set("external_id", nullIfEmpty(v))
	}
	for _, column := range []string{"platform_status", "ship_name", "ship_phone", "ship_city", "ship_country", "ship_line"} {
		if v, ok := f.get(column); ok {
			f.set(column, v)
		}
	}
	return nil
}

// item collects one line of an order. Every order the file names gets
// exactly the file's lines, in file order, and its item count from them.
func (im *importer) item(ctx context.Context, f *csvFile) error {
	number, _ := f.get("order_number")
	order, err := im.live.orderByNumber("order_number", number)
	if fe, ok := err.(*fieldError); ok {
		return f.failField(fe)
	} else if err != nil {
		return f.fail("order_number", err)
	}
	it := shop.ItemRecord{}
	it.SKU, _ = f.get("sku")
	it.Name, _ = f.get("name")
	raw, _ := f.get("quantity")
	if it.Quantity, err = strconv.Atoi(raw); err != nil {
		return f.fail("quantity", fmt.Errorf("quantity %q is not a whole number", raw))
	}
	raw, _ = f.get("unit_price")
	if it.UnitPrice, err = shop.ParseAmount(raw, order.currency); err != nil {
		return f.fail("unit_price", err)
	}
	if raw, ok := f.get("line_total"); ok && raw != "" {
		if it.LineTotal, err = shop.ParseAmount(raw, order.currency); err != nil {
			return f.fail("line_total", err)
		}
	}
	if fe := checkItem(&it, order.currency); fe != nil {
		return f.failField(fe)
	}
	im.live.items.add(order.id, it)
	return nil
}

func (im *importer) shipment(ctx context.Context, f *csvFile) error {
	s := shop.ShipmentRecord{Source: shop.SourceCSV}
	s.Ref, _ = f.get("shipment_ref")
	s.OrderNumber, _ = f.get("order_number")
	s.Status, _ = f.get("status")
	s.Carrier, _ = f.get("carrier")
	s.TrackingNumber, _ = f.get("tracking_number")
	s.TrackingURL, _ = f.get("tracking_url")
	if raw, ok := f.get("status_at"); ok && raw != "" {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			return f.fail("status_at", fmt.Errorf("time %q is not RFC 3339, such as 2026-11-01T09:00:00Z", raw))
		}
		s.StatusAt = t
	}
	if fe := checkShipment(&s, shop.SourceCSV, ""); fe != nil {
		return f.failField(fe)
	}
	if _, err := im.live.shipment(&s); err != nil {
		if fe, ok := err.(*fieldError); ok {
			return f.failField(fe)
		}
		return f.fail("", err)
	}
	return nil
}
