package db

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"dashapp/db/shop"
)

// This file holds the checks every source's records pass before anything
// is written (Ingest and, where its columns say the same, the CSV import):
// each normalises a record in place or says which field is wrong.

// fieldError is a bad field of a record, before the record's place in the
// batch is known.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.field + ": " + e.err.Error() }

func badField(field string, format string, args ...any) *fieldError {
	return &fieldError{field: field, err: fmt.Errorf(format, args...)}
}

// within prefixes the field of a nested record's error with its place.
func within(prefix string, err *fieldError) *fieldError {
	if err == nil {
		return nil
	}
	return &fieldError{field: prefix + "." + err.field, err: err.err}
}

// checkOneOf lower-cases v and checks it is one of allowed.
func checkOneOf(field string, v *string, allowed []string) *fieldError {
	*v = strings.ToLower(strings.TrimSpace(*v))
	if !slices.Contains(allowed, *v) {
		return badField(field, "%q is not one of %s", *v, strings.Join(allowed, ", "))
	}
	return nil
}

// checkMoney checks a currency is known and an amount not negative. The
// minor units are exact already: sources parse decimals with
// shop.ParseAmount, which refuses more decimals than the currency has.
func checkMoney(field string, m *shop.Money) *fieldError {
	m.Currency = strings.ToUpper(strings.TrimSpace(m.Currency))
	if _, err := shop.Decimals(m.Currency); err != nil {
		return &fieldError{field: field, err: err}
	}
	if m.Minor < 0 {
		return badField(field, "amount %s %s is negative; a refund is a positive amount of kind refund", m.Decimal(), m.Currency)
	}
	return nil
}

// checkWebURL accepts "" or an absolute http(s) URL: these become links in
// the panel, where javascript: or a relative path must never arrive.
func checkWebURL(field string, s *string) *fieldError {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return nil
	}
	u, err := url.Parse(*s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return badField(field, "%q is not an http(s) URL", *s)
	}
	return nil
}

func checkRequired(field string, s *string) *fieldError {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		return badField(field, "value is empty")
	}
	return nil
}

// checkEmail normalises an address; "" stays "".
func checkEmail(field string, s *string) *fieldError {
	*s = shop.NormalizeEmail(*s)
	if *s != "" && !strings.Contains(*s, "@") {
		return badField(field, "email %q has no @", *s)
	}
	return nil
}

// checkPhone normalises a phone to its E.164 digits; "" stays "".
func checkPhone(field string, s *string) *fieldError {
	raw := *s
	*s = shop.NormalizePhone(raw)
	if strings.TrimSpace(raw) != "" && *s == "" {
		return badField(field, "phone %q has fewer than 6 digits", raw)
	}
	return nil
}

// checkSource defaults a record's source to the delivery's.
func checkSource(s *string, deliverySource string) *fieldError {
	*s = strings.ToLower(strings.TrimSpace(*s))
	if *s == "" {
		*s = deliverySource
	}
	if *s == "" {
		return badField("source", "value is empty")
	}
	return nil
}

// normalRef trims a ref and normalises a guest's ("<source>:guest:…"), so
// that a ref a source built from a raw email names the same customer.
func normalRef(source, ref string) string {
	ref = strings.TrimSpace(ref)
	if rest, ok := strings.CutPrefix(ref, source+":guest:"); ok {
		if strings.Contains(rest, "@") {
			return shop.GuestRef(source, rest, "")
		}
		if guest := shop.GuestRef(source, "", rest); guest != "" {
			return guest
		}
	}
	return ref
}

func checkCustomer(c *shop.CustomerRecord, deliverySource string) *fieldError {
	if err := checkSource(&c.Source, deliverySource); err != nil {
		return err
	}
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	c.Name = strings.TrimSpace(c.Name)
	c.Identifier = strings.TrimSpace(c.Identifier)
	if err := checkEmail("email", &c.Email); err != nil {
		return err
	}
	if err := checkPhone("phone", &c.Phone); err != nil {
		return err
	}
	if c.ContactID < 0 {
		return badField("contact_id", "contact id %d is not positive", c.ContactID)
	}
	c.Ref = normalRef(c.Source, c.Ref)
	switch {
	case c.Ref != "":
	case c.ExternalID != "":
		c.Ref = c.Source + ":" + c.ExternalID
	default:
		if c.Ref = shop.GuestRef(c.Source, c.Email, c.Phone); c.Ref == "" {
			return badField("ref", "a customer without a ref or an external id is a guest, and a guest needs an email or a phone")
		}
	}
	return nil
}

func checkItem(it *shop.ItemRecord, currency string) *fieldError {
	it.SKU = strings.TrimSpace(it.SKU)
	if err := checkRequired("name", &it.Name); err != nil {
		return err
	}
	if it.Quantity <= 0 {
		return badField("quantity", "quantity %d is not positive", it.Quantity)
	}
	if err := checkMoney("unit_price", &it.UnitPrice); err != nil {
		return err
	}
	if it.UnitPrice.Currency != currency {
		return badField("unit_price", "currency %s is not the order's %s", it.UnitPrice.Currency, currency)
	}
	if it.LineTotal == (shop.Money{}) { // not sent: the product
		it.LineTotal = shop.Money{Minor: it.UnitPrice.Minor * int64(it.Quantity), Currency: currency}
	}
	if err := checkMoney("line_total", &it.LineTotal); err != nil {
		return err
	}
	if it.LineTotal.Currency != currency {
		return badField("line_total", "currency %s is not the order's %s", it.LineTotal.Currency, currency)
	}
	return nil
}

// checkShipment checks a shipment; orderNumber is set for one nested in
// an order, whose number it may only repeat.
func checkShipment(s *shop.ShipmentRecord, deliverySource, orderNumber string) *fieldError {
	if err := checkSource(&s.Source, deliverySource); err != nil {
		return err
	}
	if err := checkRequired("ref", &s.Ref); err != nil {
		return err
	}
	s.OrderNumber, s.OrderExternalID = strings.TrimSpace(s.OrderNumber), strings.TrimSpace(s.OrderExternalID)
	switch {
	case orderNumber != "" && s.OrderNumber != "" && s.OrderNumber != orderNumber:
		return badField("order_number", "%q is not the number of the order it is in, %q", s.OrderNumber, orderNumber)
	case orderNumber != "":
		s.OrderNumber, s.OrderExternalID = orderNumber, ""
	case s.OrderNumber == "" && s.OrderExternalID == "":
		return badField("order_number", "a shipment names its order by order_number or order_external_id")
	}
	s.Carrier, s.TrackingNumber = strings.TrimSpace(s.Carrier), strings.TrimSpace(s.TrackingNumber)
	if err := checkWebURL("tracking_url", &s.TrackingURL); err != nil {
		return err
	}
	return checkOneOf("status", &s.Status, shop.ShipmentStatuses)
}

func checkOrder(o *shop.OrderRecord, deliverySource string) *fieldError {
	if err := checkSource(&o.Source, deliverySource); err != nil {
		return err
	}
	if err := checkRequired("number", &o.Number); err != nil {
		return err
	}
	o.ExternalID = strings.TrimSpace(o.ExternalID)
	o.CustomerRef = normalRef(o.Source, o.CustomerRef)
	if o.Customer != nil {
		if err := within("customer", checkCustomer(o.Customer, o.Source)); err != nil {
			return err
		}
		if o.CustomerRef == "" {
			o.CustomerRef = o.Customer.Ref
		} else if o.CustomerRef != o.Customer.Ref {
			return badField("customer_ref", "%q is not the ref of the order's customer, %q", o.CustomerRef, o.Customer.Ref)
		}
	}
	if o.CustomerRef == "" {
		return badField("customer_ref", "value is empty")
	}
	if err := checkOneOf("status", &o.Status, shop.OrderStatuses); err != nil {
		return err
	}
	o.PlatformStatus = strings.TrimSpace(o.PlatformStatus)
	if o.PaymentStatus = strings.ToLower(strings.TrimSpace(o.PaymentStatus)); o.PaymentStatus != "" {
		if err := checkOneOf("payment_status", &o.PaymentStatus, shop.OrderPaymentStatuses); err != nil {
			return err
		}
	}
	if err := checkMoney("total", &o.Total); err != nil {
		return err
	}
	if o.PlacedAt.IsZero() {
		return badField("placed_at", "value is empty")
	}
	for _, u := range []struct {
		field string
		s     *string
	}{{"admin_url", &o.AdminURL}, {"customer_url", &o.CustomerURL}} {
		if err := checkWebURL(u.field, u.s); err != nil {
			return err
		}
	}
	if a := o.ShippingAddress; a != nil {
		for _, s := range []*string{&a.Name, &a.Phone, &a.City, &a.Country, &a.Line} {
			*s = strings.TrimSpace(*s)
		}
	}
	for i := range o.Items {
		if err := within(fmt.Sprintf("items[%d]", i), checkItem(&o.Items[i], o.Total.Currency)); err != nil {
			return err
		}
	}
	for i := range o.Shipments {
		if err := within(fmt.Sprintf("shipments[%d]", i), checkShipment(&o.Shipments[i], o.Source, o.Number)); err != nil {
			return err
		}
	}
	return nil
}

func checkPayment(p *shop.PaymentRecord, deliverySource string) *fieldError {
	if err := checkSource(&p.Source, deliverySource); err != nil {
		return err
	}
	if err := checkRequired("ref", &p.Ref); err != nil {
		return err
	}
	p.CustomerRef = normalRef(p.Source, p.CustomerRef)
	p.OrderNumber, p.OrderExternalID = strings.TrimSpace(p.OrderNumber), strings.TrimSpace(p.OrderExternalID)
	if p.CustomerRef == "" && p.OrderNumber == "" && p.OrderExternalID == "" {
		return badField("customer_ref", "a payment names its customer, its order, or both")
	}
	if err := checkOneOf("kind", &p.Kind, paymentKinds); err != nil {
		return err
	}
	if err := checkOneOf("status", &p.Status, paymentStatuses); err != nil {
		return err
	}
	p.Method, p.CardBrand = strings.TrimSpace(p.Method), strings.TrimSpace(p.CardBrand)
	if p.CardLast4 = strings.TrimSpace(p.CardLast4); p.CardLast4 != "" && (len(p.CardLast4) != 4 || strings.Trim(p.CardLast4, "0123456789") != "") {
		return badField("card_last4", "card last 4 %q is not 4 digits", p.CardLast4)
	}
	if err := checkMoney("amount", &p.Amount); err != nil {
		return err
	}
	if p.CreatedAt.IsZero() {
		return badField("created_at", "value is empty")
	}
	return nil
}

// unixOrZero stores a time as unix seconds, the zero time as 0 ("the
// source did not say").
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
