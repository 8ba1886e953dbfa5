package db

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

const (
	fixtureItems = `order_number,sku,name,quantity,unit_price,line_total
IO-1,OUD-1,Oud oil,3,3.115,
IO-1,,Gift wrap,1,3,3.000
IO-3,TEA-1,"Saffron tea, 250 g",2,45.00,89.50
`
	fixtureShipments = `shipment_ref,order_number,carrier,tracking_number,tracking_url,status,status_at
SH-1,IO-1,Aramex,41234567890,https://www.aramex.com/track/results?ShipmentNumber=41234567890,delivered,2026-10-03T12:00:00+03:00
SH-2,IO-3,SMSA,290011112222,,in_transit,
`
)

func importLive(items, shipments string) ImportSources {
	src := csvSources(fixtureCustomers, "order_number,customer_ref,status,currency,total,placed_at,item_count,payment_status,platform_status,external_id,admin_url,ship_city,ship_country\n"+
		"IO-1,K-1,delivered,KWD,12.345,2026-10-01T10:00:00Z,7,paid,تم التوصيل,55501,https://shop.example/admin/orders/55501,Hawalli,KW\nIO-2,K-1,refunded,kwd,1.5,2026-10-02T10:00:00+03:00,1,,,,,,\nIO-3,K-2,paid,SAR,149.50,2026-10-03T10:00:00Z,,,,,,,\n", "")
	if items != "" {
		src.Items = NamedReader{Name: "items.csv", R: strings.NewReader(items)}
	}
	if shipments != "" {
		src.Shipments = NamedReader{Name: "shipments.csv", R: strings.NewReader(shipments)}
	}
	return src
}

func TestImportItemsAndShipments(t *testing.T) {
	ctx := context.Background()
	d := openTestDB(t)
	counts, err := Import(ctx, d, importLive(fixtureItems, fixtureShipments))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportCounts{Customers: 2, Orders: 3, Items: 3, Shipments: 2}); counts != want {
		t.Errorf("counts = %+v, want %+v", counts, want)
	}
	io1 := orderByNumber(t, d, "IO-1")
	// The items file's lines give the item count, whatever item_count said.
	if io1.Order.ItemCount != 4 || len(io1.Items) != 2 {
		t.Fatalf("IO-1 = %+v", io1)
	}
	if o := io1.Order; o.PaymentStatus != "paid" || o.PlatformStatus != "تم التوصيل" || o.ExternalID != "55501" || o.Source != "csv" ||
		o.AdminURL != "https://shop.example/admin/orders/55501" || o.ShippingAddress != (shop.Address{City: "Hawalli", Country: "KW"}) {
		t.Errorf("IO-1's live columns = %+v", o)
	}
	if it := io1.Items[0]; it.Name != "Oud oil" || it.SKU != "OUD-1" || it.UnitPrice != (shop.Money{Minor: 3115, Currency: "KWD"}) ||
		it.LineTotal != (shop.Money{Minor: 9345, Currency: "KWD"}) {
		t.Errorf("IO-1 line 1 = %+v", it)
	}
	if it := io1.Items[1]; it.SKU != "" || it.LineTotal.Minor != 3000 {
		t.Errorf("IO-1 line 2 = %+v", it)
	}
	if s := io1.Shipments; len(s) != 1 || s[0].Carrier != "Aramex" || s[0].Status != "delivered" || s[0].Source != "csv" ||
		!s[0].StatusAt.Equal(time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC)) || !strings.HasSuffix(s[0].TrackingURL, "=41234567890") {
		t.Errorf("IO-1 shipments = %+v", s)
	}
	// An order the items file does not name keeps its item_count column.
	if io2 := orderByNumber(t, d, "IO-2"); io2.Order.ItemCount != 1 || len(io2.Items) != 0 {
		t.Errorf("IO-2 = %+v", io2.Order)
	}
	io3 := orderByNumber(t, d, "IO-3")
	if io3.Order.ItemCount != 2 || io3.Items[0].LineTotal.Minor != 8950 || io3.Order.Tracking.Number != "290011112222" ||
		!io3.Shipments[0].StatusAt.IsZero() {
		t.Errorf("IO-3 = %+v", io3)
	}

	// Importing an order's lines again replaces them; a shipment is updated
	// by its ref, an empty tracking URL keeping the stored one.
	_, err = Import(ctx, d, ImportSources{
		Items:     NamedReader{Name: "items.csv", R: strings.NewReader("order_number,name,quantity,unit_price\nIO-1,Oud oil,1,3.115\n")},
		Shipments: NamedReader{Name: "shipments.csv", R: strings.NewReader("shipment_ref,order_number,status\nSH-1,IO-1,returned\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	io1 = orderByNumber(t, d, "IO-1")
	if io1.Order.ItemCount != 1 || len(io1.Items) != 1 || io1.Shipments[0].Status != "returned" || io1.Shipments[0].TrackingURL == "" {
		t.Errorf("IO-1 after the second import = %+v", io1)
	}
	if n := tableCounts(t, d)["shipments"]; n != 2 {
		t.Errorf("%d shipments, want 2", n)
	}
}

func TestImportItemsAndShipmentsErrors(t *testing.T) {
	const itemsHeader = "order_number,sku,name,quantity,unit_price,line_total\n"
	const shipmentsHeader = "shipment_ref,order_number,carrier,tracking_number,tracking_url,status,status_at\n"
	tests := []struct {
		name                     string
		orders, items, shipments string
		file                     string
		line                     int
		column, wantMsg          string
	}{
		{name: "quantity not a number", items: itemsHeader + "IO-1,A,Oud,1,1.000,\nIO-1,B,Wrap,two,1.000,\n",
			file: "items.csv", line: 3, column: "quantity", wantMsg: `quantity "two" is not a whole number`},
		{name: "quantity zero", items: itemsHeader + "IO-1,A,Oud,0,1.000,\n",
			file: "items.csv", line: 2, column: "quantity", wantMsg: "not positive"},
		{name: "a fourth decimal for KWD", items: itemsHeader + "IO-1,A,Oud,1,1.2345,\n",
			file: "items.csv", line: 2, column: "unit_price", wantMsg: "KWD allows 3"},
		{name: "line total in too many decimals", items: itemsHeader + "IO-3,A,Tea,1,1.00,1.005\n",
			file: "items.csv", line: 2, column: "line_total", wantMsg: "SAR allows 2"},
		{name: "item of an unknown order", items: itemsHeader + "IO-404,A,Oud,1,1.000,\n",
			file: "items.csv", line: 2, column: "order_number", wantMsg: `order "IO-404": not found`},
		{name: "item without a name", items: itemsHeader + "IO-1,A, ,1,1.000,\n",
			file: "items.csv", line: 2, column: "name", wantMsg: "value is empty"},
		{name: "shipment status", shipments: shipmentsHeader + "SH-1,IO-1,DHL,123,,lost,\n",
			file: "shipments.csv", line: 2, column: "status", wantMsg: `"lost" is not one of label_created`},
		{name: "script as tracking link", shipments: shipmentsHeader + "SH-1,IO-1,DHL,123,javascript:alert(1),delivered,\n",
			file: "shipments.csv", line: 2, column: "tracking_url", wantMsg: "is not an http(s) URL"},
		{name: "shipment of an unknown order", shipments: shipmentsHeader + "SH-1,IO-9,DHL,123,,delivered,\n",
			file: "shipments.csv", line: 2, column: "order_number", wantMsg: "not found"},
		{name: "shipment time", shipments: shipmentsHeader + "SH-1,IO-1,DHL,123,,delivered,yesterday\n",
			file: "shipments.csv", line: 2, column: "status_at", wantMsg: "is not RFC 3339"},
		{name: "shipment without ref", shipments: shipmentsHeader + " ,IO-1,DHL,123,,delivered,\n",
			file: "shipments.csv", line: 2, column: "shipment_ref", wantMsg: "value is empty"},
		{name: "order payment status", orders: "order_number,customer_ref,status,currency,total,placed_at,payment_status\nIO-1,K-1,paid,KWD,1.000,2026-10-01T10:00:00Z,maybe\n",
			file: "orders.csv", line: 2, column: "payment_status", wantMsg: `"maybe" is not one of pending, paid`},
		{name: "order admin link", orders: "order_number,customer_ref,status,currency,total,placed_at,admin_url\nIO-1,K-1,paid,KWD,1.000,2026-10-01T10:00:00Z,javascript:x\n",
			file: "orders.csv", line: 2, column: "admin_url", wantMsg: "http(s)"},
		{name: "missing columns", items: "order_number,name\nIO-1,Oud\n",
			file: "items.csv", line: 1, wantMsg: `missing required columns "quantity", "unit_price"`},
		// Good items, then a bad shipment: the items must not remain.
		{name: "a bad shipment rolls back the items", items: itemsHeader + "IO-1,A,Oud,1,1.000,\n",
			shipments: shipmentsHeader + "SH-1,IO-1,DHL,123,,delivered,\nSH-2,IO-1,DHL,124,ftp://x,delivered,\n",
			file:      "shipments.csv", line: 3, column: "tracking_url", wantMsg: "http(s)"},
	}
	ctx := context.Background()
	d := openTestDB(t)
	importFixtures(t, d)
	before := dumpDB(t, d)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := csvSources("", tt.orders, "")
			if tt.items != "" {
				src.Items = NamedReader{Name: "items.csv", R: strings.NewReader(tt.items)}
			}
			if tt.shipments != "" {
				src.Shipments = NamedReader{Name: "shipments.csv", R: strings.NewReader(tt.shipments)}
			}
			counts, err := Import(ctx, d, src)
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *ImportError", err, err)
			}
			if ie.File != tt.file || ie.Line != tt.line || ie.Column != tt.column {
				t.Errorf("error at %s line %d column %q, want %s line %d column %q (%v)", ie.File, ie.Line, ie.Column, tt.file, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if counts != (ImportCounts{}) {
				t.Errorf("counts = %+v after a failed import", counts)
			}
			if after := dumpDB(t, d); after != before {
				t.Error("a failed import changed the database")
			}
		})
	}
}
