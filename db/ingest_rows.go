package db

import (
	"errors"
	"fmt"
	"strings"

	"dashapp/db/shop"
)

// A batch's payments and shipments are upserted many rows to a statement,
// like its customers and orders (ingest_upsert.go): one statement a record
// was a third of a 10,000-record /ingest batch's time. Each record's order
// and customer are resolved first, in the batch's order, so a bad record
// is named as before; nothing is written by then that the transaction
// keeps. A batch that names one ref twice takes the statement a record
// path, so that each record's applied-or-stale count stays exact.

// multiRow turns a one-row upsert ("… VALUES (?, …)\nON CONFLICT …")
// into one of rows rows that returns the id and ref of each row written.
func multiRow(single string, rows int) string {
	head, rest, _ := strings.Cut(single, "VALUES (")
	row, conflict, _ := strings.Cut(rest, ")\nON CONFLICT")
	values := strings.TrimSuffix(strings.Repeat("("+row+"),", rows), ",")
	return head + "VALUES " + values + "\nON CONFLICT" + conflict + "\nRETURNING id, ref"
}

// upsertPayments writes the batch's payments; offset is the first one's
// place in the batch, for errors.
func (in *ingester) upsertPayments(offset int) error {
	payments := in.b.Payments
	if repeatsRef(len(payments), func(i int) string { return payments[i].Ref }) {
		for i := range payments {
			applied, err := in.payment(&payments[i])
			if fe := (*fieldError)(nil); errors.As(err, &fe) {
				return recordError(in.b, shop.RecordPayment, offset+i, fe)
			} else if err != nil {
				return fmt.Errorf("payment %q: %w", payments[i].Ref, err)
			}
			in.count(applied)
		}
		return nil
	}
	rows := make([][]any, len(payments))
	for i := range payments {
		args, err := in.paymentArgs(&payments[i])
		if fe := (*fieldError)(nil); errors.As(err, &fe) {
			return recordError(in.b, shop.RecordPayment, offset+i, fe)
		} else if err != nil {
			return fmt.Errorf("payment %q: %w", payments[i].Ref, err)
		}
		rows[i] = args
	}
	written, err := in.upsertRows(upsertPaymentSQL, rows)
	if err != nil {
		return fmt.Errorf("payments: %w", err)
	}
	for i := range payments {
		in.count(written[payments[i].Ref])
	}
	return nil
}

// upsertShipments writes the batch's own shipments (an order's nested
// ones go with it); offset is the first one's place in the batch.
func (in *ingester) upsertShipments(offset int) error {
	shipments := in.b.Shipments
	if repeatsRef(len(shipments), func(i int) string { return shipments[i].Ref }) {
		for i := range shipments {
			applied, err := in.shipment(&shipments[i])
			if fe := (*fieldError)(nil); errors.As(err, &fe) {
				return recordError(in.b, shop.RecordShipment, offset+i, fe)
			} else if err != nil {
				return fmt.Errorf("shipment %q: %w", shipments[i].Ref, err)
			}
			in.count(applied)
		}
		return nil
	}
	rows := make([][]any, len(shipments))
	orders := make([]orderInfo, len(shipments))
	for i := range shipments {
		args, order, err := in.shipmentArgs(&shipments[i])
		if fe := (*fieldError)(nil); errors.As(err, &fe) {
			return recordError(in.b, shop.RecordShipment, offset+i, fe)
		} else if err != nil {
			return fmt.Errorf("shipment %q: %w", shipments[i].Ref, err)
		}
		rows[i], orders[i] = args, order
	}
	written, err := in.upsertRows(upsertShipmentSQL, rows)
	if err != nil {
		return fmt.Errorf("shipments: %w", err)
	}
	for i := range shipments {
		applied := written[shipments[i].Ref]
		in.count(applied)
		if applied {
			in.retrack[orders[i].id] = true
		}
	}
	return nil
}

// upsertRows runs single's multi-row form over rows, batchRows to a
// statement, and reports the refs written.
func (in *ingester) upsertRows(single string, rows [][]any) (map[string]bool, error) {
	got := map[string]int64{}
	var args []any
	full := ""
	for start := 0; start < len(rows); start += batchRows {
		chunk := rows[start:min(start+batchRows, len(rows))]
		args = args[:0]
		for _, r := range chunk {
			args = append(args, r...)
		}
		query := full
		if len(chunk) != batchRows || full == "" {
			query = multiRow(single, len(chunk))
			if len(chunk) == batchRows {
				full = query
			}
		}
		if err := in.returned(query, args, got); err != nil {
			return nil, err
		}
	}
	written := make(map[string]bool, len(got))
	for ref := range got {
		written[ref] = true
	}
	return written, nil
}

// repeatsRef reports whether two of n records share a ref.
func repeatsRef(n int, ref func(int) string) bool {
	seen := make(map[string]bool, n)
	for i := range n {
		if seen[ref(i)] {
			return true
		}
		seen[ref(i)] = true
	}
	return false
}
