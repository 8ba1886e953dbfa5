package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"

	"dashapp/db/shop"
)

// NamedReader is one CSV file: Name appears in errors, R nil means the file
// was not given.
type NamedReader struct {
	Name string
	R    io.Reader
}

// ImportSources are the CSV files of one import; at least one is given.
type ImportSources struct {
	Customers, Orders, Payments NamedReader
	Items, Shipments            NamedReader // import_live.go
}

// ImportCounts are the rows each file inserted or updated.
type ImportCounts struct {
	Customers, Orders, Payments int
	Items, Shipments            int
}

// ImportError locates the first bad row of an import. Line is the 1-based
// physical line (the header is line 1); Column is "" when the error is not
// about one field; Line is 0 when it is about the whole file.
type ImportError struct {
	File   string
	Line   int
	Column string
	Err    error
}

func (e *ImportError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ImportError) Unwrap() error { return e.Err }

// importColumn is one CSV column and the database column it fills.
type importColumn struct {
	header   string
	dbColumn string
	required bool
}

// importSpec describes one kind of import file. The first column is the
// key rows are upserted by. Each CSV column fills exactly one database
// column. An optional column missing from the header is left untouched by
// an update (and takes the schema's default on insert).
type importSpec struct {
	table       string
	defaultName string // names the file in errors when the caller did not
	columns     []importColumn
	returning   string // the upsert's RETURNING, "" for none
	// ownWrites marks a file whose load writes its rows itself, through
	// the rules Ingest applies (import_live.go): no upsert is built.
	ownWrites bool
	// repeats marks a file whose first column may repeat: an order's
	// lines share its number. Elsewhere the first column is the row's key.
	repeats bool
}

var (
	customerCSV = importSpec{table: "customers", defaultName: "customers.csv", returning: "id", columns: []importColumn{
		{"customer_ref", "ref", true},
		{"name", "name", true},
		{"email", "email", false},
		{"phone", "phone", false},
		{"identifier", "identifier", false},
		{"contact_id", "contact_id", false},
		{"created_at", "created_at", false},
	}}
	orderCSV = importSpec{table: "orders", defaultName: "orders.csv", returning: "id", columns: []importColumn{
		{"order_number", "number", true},
		{"customer_ref", "customer_id", true},
		{"status", "status", true},
		{"currency", "currency", true},
		{"total", "total_minor", true},
		{"placed_at", "placed_at", true},
		{"item_count", "item_count", false},
		// What live sources add (import_live.go checks them).
		{"payment_status", "payment_status", false},
		{"platform_status", "platform_status", false},
		{"external_id", "external_id", false},
		{"admin_url", "admin_url", false},
		{"customer_url", "customer_url", false},
		{"ship_name", "ship_name", false},
		{"ship_phone", "ship_phone", false},
		{"ship_city", "ship_city", false},
		{"ship_country", "ship_country", false},
		{"ship_line", "ship_line", false},
	}}
	paymentCSV = importSpec{table: "payments", defaultName: "payments.csv", columns: []importColumn{
		{"payment_ref", "ref", true},
		{"customer_ref", "customer_id", true},
		{"order_number", "order_id", false},
		{"kind", "kind", true},
		{"method", "method", false},
		{"card_brand", "card_brand", false},
		{"card_last4", "card_last4", false},
		{"status", "status", true},
		{"amount", "amount_minor", true},
		{"currency", "currency", true},
		{"created_at", "created_at", true},
	}}
)

// Import upserts the rows of the given CSV files by their ref (customers,
// payments) or number (orders): customers first, then orders, then
// payments, so that each may refer to rows of the same import or already
// in the database. Everything happens in one transaction: on any bad row
// nothing is imported and the error is an *ImportError.
func Import(ctx context.Context, d *DB, src ImportSources) (ImportCounts, error) {
	if src.Customers.R == nil && src.Orders.R == nil && src.Payments.R == nil && src.Items.R == nil && src.Shipments.R == nil {
		return ImportCounts{}, errors.New("import: no file given")
	}
	var counts ImportCounts
	err := d.inBulkWriteTx(ctx, func(tx *sql.Tx) error {
		im, err := newImporter(ctx, tx)
		if err != nil {
			return err
		}
		defer im.close()
		im.live = d.newIngester(ctx, tx, &shop.Batch{})
		defer im.live.close()
		files := []struct {
			src   NamedReader
			spec  importSpec
			load  func(context.Context, *csvFile) error
			count *int
		}{
			{src.Customers, customerCSV, im.customer, &counts.Customers},
			{src.Orders, orderCSV, im.order, &counts.Orders},
			{src.Payments, paymentCSV, im.payment, &counts.Payments},
			{src.Items, itemCSV, im.item, &counts.Items},
			{src.Shipments, shipmentCSV, im.shipment, &counts.Shipments},
		}
		for _, f := range files {
			if f.src.R == nil {
				continue
			}
			n, err := im.importFile(ctx, f.src, f.spec, f.load)
			if err != nil {
				return err
			}
			*f.count = n
		}
		if err := im.live.refreshTracking(); err != nil { // the shipments file's
			return err
		}
		return im.live.items.flush(ctx) // the items file's, with the orders' item counts
	})
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) {
			return ImportCounts{}, err // already names file, line and column
		}
		return ImportCounts{}, fmt.Errorf("import: %w", err)
	}
	return counts, nil
}

// orderRef is what a payment needs to know about the order it names.
type orderRef struct{ id, customerID int64 }

// importer holds the transaction's statements and the ids of the rows
// seen so far, so that each reference is looked up at most once.
type importer struct {
	tx        *sql.Tx
	customers map[string]int64
	orders    map[string]orderRef
	findCust  *sql.Stmt
	findOrder *sql.Stmt
	upsert    *sql.Stmt // the current file's, built from its header
	live      *ingester // writes items and shipments as Ingest does
}

func newImporter(ctx context.Context, tx *sql.Tx) (*importer, error) {
	im := &importer{tx: tx, customers: map[string]int64{}, orders: map[string]orderRef{}}
	var err error
	if im.findCust, err = tx.PrepareContext(ctx, `SELECT id FROM customers WHERE ref = ?`); err != nil {
		return nil, err
	}
	if im.findOrder, err = tx.PrepareContext(ctx, `SELECT id, customer_id FROM orders WHERE number = ?`); err != nil {
		im.close()
		return nil, err
	}
	return im, nil
}

func (im *importer) close() {
	for _, s := range []*sql.Stmt{im.findCust, im.findOrder, im.upsert} {
		if s != nil {
			s.Close()
		}
	}
}

// importFile reads one CSV file and upserts each row once load has
// checked it and set its values.
func (im *importer) importFile(ctx context.Context, src NamedReader, spec importSpec, load func(context.Context, *csvFile) error) (int, error) {
	name := src.Name
	if name == "" {
		name = spec.defaultName
	}
	f, err := openCSV(name, src.R, spec)
	if err != nil {
		return 0, err
	}
	if im.upsert != nil {
		im.upsert.Close()
		im.upsert = nil
	}
	if !spec.ownWrites {
		if im.upsert, err = im.tx.PrepareContext(ctx, f.upsertSQL()); err != nil {
			return 0, fmt.Errorf("%s: prepare upsert: %w", name, err)
		}
	}
	rows := 0
	key := spec.columns[0].header
	seen := map[string]int{} // key → line: a key twice in one file is a mistake, not an update
	for {
		ok, err := f.next()
		if err != nil {
			return 0, err
		}
		if !ok {
			return rows, nil
		}
		if k, _ := f.get(key); k != "" && !spec.repeats {
			line, _ := f.r.FieldPos(0)
			if first, dup := seen[k]; dup {
				return 0, f.fail(key, fmt.Errorf("%s %q is on line %d and on line %d; give each once", key, k, first, line))
			}
			seen[k] = line
		}
		if err := load(ctx, f); err != nil {
			return 0, err
		}
		rows++
	}
}

func (im *importer) customer(ctx context.Context, f *csvFile) error {
	ref, err := f.required("customer_ref")
	if err != nil {
		return err
	}
	f.set("customer_ref", ref)
	name, err := f.required("name")
	if err != nil {
		return err
	}
	f.set("name", name)
	if email, ok := f.get("email"); ok {
		email = shop.NormalizeEmail(email)
		if email != "" && !strings.Contains(email, "@") {
			return f.fail("email", fmt.Errorf("email %q has no @", email))
		}
		f.set("email", nullIfEmpty(email))
	}
	if raw, ok := f.get("phone"); ok {
		phone := shop.NormalizePhone(raw)
		if raw != "" && phone == "" {
			return f.fail("phone", fmt.Errorf("phone %q is not a phone number: write it with its country code (+966 50 111 2222) or as a local number of the default region (DASHAPP_DEFAULT_REGION)", raw))
		}
		f.set("phone", nullIfEmpty(phone))
	}
	if identifier, ok := f.get("identifier"); ok {
		f.set("identifier", nullIfEmpty(identifier))
	}
	if raw, ok := f.get("contact_id"); ok {
		var contactID int64
		if raw != "" {
			if contactID, err = strconv.ParseInt(raw, 10, 64); err != nil || contactID <= 0 {
				return f.fail("contact_id", fmt.Errorf("contact id %q is not a positive integer", raw))
			}
		}
		f.set("contact_id", nullIfZero(contactID))
	}
	if _, ok := f.get("created_at"); ok {
		if err := f.setTime("created_at"); err != nil {
			return err
		}
	}
	var id int64
	if err := im.upsert.QueryRowContext(ctx, f.args()...).Scan(&id); err != nil {
		return rowError(f, err)
	}
	im.customers[ref] = id
	return nil
}

func (im *importer) order(ctx context.Context, f *csvFile) error {
	number, err := f.required("order_number")
	if err != nil {
		return err
	}
	f.set("order_number", number)
	customerID, err := im.lookupCustomer(ctx, f)
	if err != nil {
		return err
	}
	if err := f.setOneOf("status", shop.OrderStatuses); err != nil {
		return err
	}
	if err := f.setAmount("total"); err != nil {
		return err
	}
	if err := f.setTime("placed_at"); err != nil {
		return err
	}
	if raw, ok := f.get("item_count"); ok {
		count, err := strconv.Atoi(raw)
		if raw == "" {
			count, err = 0, nil
		}
		if err != nil || count < 0 {
			return f.fail("item_count", fmt.Errorf("item count %q is not a whole number", raw))
		}
		f.set("item_count", count)
	}
	if err := setLiveOrderColumns(f); err != nil {
		return err
	}
	var id int64
	if err := im.upsert.QueryRowContext(ctx, f.args()...).Scan(&id); err != nil {
		return rowError(f, err)
	}
	im.orders[number] = orderRef{id: id, customerID: customerID}
	return nil
}

var (
	paymentKinds    = []string{shop.KindCharge, shop.KindRefund}
	paymentStatuses = []string{shop.PaymentSucceeded, shop.PaymentFailed, shop.PaymentPending}
)

func (im *importer) payment(ctx context.Context, f *csvFile) error {
	ref, err := f.required("payment_ref")
	if err != nil {
		return err
	}
	f.set("payment_ref", ref)
	customerID, err := im.lookupCustomer(ctx, f)
	if err != nil {
		return err
	}
	if number, ok := f.get("order_number"); ok {
		var orderID int64
		if number != "" {
			order, err := im.lookupOrder(ctx, number)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				return f.fail("order_number", fmt.Errorf("unknown order %q", number))
			case err != nil:
				return fmt.Errorf("look up order %q: %w", number, err)
			case order.customerID != customerID:
				return f.fail("order_number", fmt.Errorf("order %q belongs to another customer", number))
			}
			orderID = order.id
		}
		f.set("order_number", nullIfZero(orderID))
	}
	for _, column := range []string{"method", "card_brand"} {
		if v, ok := f.get(column); ok {
			f.set(column, v)
		}
	}
	if last4, ok := f.get("card_last4"); ok {
		if last4 != "" && (len(last4) != 4 || strings.Trim(last4, "0123456789") != "") {
			return f.fail("card_last4", fmt.Errorf("card last 4 %q is not 4 digits", last4))
		}
		f.set("card_last4", last4)
	}
	if err := f.setOneOf("kind", paymentKinds); err != nil {
		return err
	}
	if err := f.setOneOf("status", paymentStatuses); err != nil {
		return err
	}
	if err := f.setAmount("amount"); err != nil {
		return err
	}
	if err := f.setTime("created_at"); err != nil {
		return err
	}
	if _, err := im.upsert.ExecContext(ctx, f.args()...); err != nil {
		return rowError(f, err)
	}
	return nil
}

// rowError blames the current row for a constraint it breaks; any other
// database error (a full disk, a corrupt file, a lost lock) is the
// database's, and naming a CSV line would send the operator to the wrong
// place.
func rowError(f *csvFile, err error) error {
	if primaryCode(err) == sqlite3.SQLITE_CONSTRAINT {
		return f.fail("", err)
	}
	return fmt.Errorf("database: %w", err)
}

// lookupCustomer resolves and sets the row's customer_ref, from this import or
// the database.
func (im *importer) lookupCustomer(ctx context.Context, f *csvFile) (int64, error) {
	ref, err := f.required("customer_ref")
	if err != nil {
		return 0, err
	}
	id, ok := im.customers[ref]
	if !ok {
		switch err := im.findCust.QueryRowContext(ctx, ref).Scan(&id); {
		case errors.Is(err, sql.ErrNoRows):
			return 0, f.fail("customer_ref", fmt.Errorf("unknown customer %q", ref))
		case err != nil:
			return 0, fmt.Errorf("look up customer %q: %w", ref, err)
		}
		im.customers[ref] = id
	}
	f.set("customer_ref", id)
	return id, nil
}

// lookupOrder resolves an order number, from this import or the database.
func (im *importer) lookupOrder(ctx context.Context, number string) (orderRef, error) {
	if o, ok := im.orders[number]; ok {
		return o, nil
	}
	var o orderRef
	if err := im.findOrder.QueryRowContext(ctx, number).Scan(&o.id, &o.customerID); err != nil {
		return orderRef{}, err
	}
	im.orders[number] = o
	return o, nil
}
