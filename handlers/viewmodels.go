package handlers

import (
	"strconv"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// This file maps host payloads and store rows onto the flat view models the
// templates read.

func contactCard(c appcontext.Contact, fromSender bool) views.ContactCard {
	card := views.ContactCard{
		ContactID:    c.ID,
		Name:         c.Name,
		Email:        c.Email,
		Phone:        c.PhoneNumber,
		Identifier:   c.Identifier,
		Company:      c.CompanyName,
		ThumbnailURL: views.WebURL(c.Thumbnail),
		FromSender:   fromSender,
	}
	for _, p := range c.SocialProfiles {
		if u := views.WebURL(p.URL); u != "" {
			card.Social = append(card.Social, views.Link{Label: p.Network, URL: u})
		} else if p.URL != "" {
			card.Attributes = append(card.Attributes, views.Attribute{Key: p.Network, Value: p.URL})
		}
	}
	for _, a := range c.CustomAttributes {
		card.Attributes = append(card.Attributes, views.Attribute{Key: a.Key, Value: a.Value})
	}
	for _, a := range c.AdditionalAttributes {
		card.Attributes = append(card.Attributes, views.Attribute{Key: a.Key, Value: a.Value})
	}
	return card
}

func searchedKeys(id shop.Identity) []views.SearchedKey {
	var keys []views.SearchedKey
	add := func(k shop.MatchKey, v string) {
		if v != "" {
			keys = append(keys, views.SearchedKey{Key: string(k), Value: v})
		}
	}
	add(shop.KeyCustomerRef, id.CustomerRef)
	if id.ContactID > 0 {
		add(shop.KeyContactID, strconv.FormatInt(id.ContactID, 10))
	}
	add(shop.KeyIdentifier, id.Identifier)
	add(shop.KeyEmail, id.Email)
	add(shop.KeyPhone, shop.E164(id.Phone))
	return keys
}

func customerCard(c shop.Customer) views.CustomerCard {
	return views.CustomerCard{ID: c.ID, Ref: c.Ref, Name: c.Name, Email: c.Email, Phone: shop.E164(c.Phone), Identifier: c.Identifier, Since: c.CreatedAt}
}

// summaryView is the summary over the first page of orders, whose first
// row is the newest order.
func summaryView(s shop.Summary, orders views.OrderList) views.Summary {
	v := views.Summary{
		LifetimeSpend:  s.LifetimeSpend,
		OrderCount:     s.OrderCount,
		RefundCount:    s.RefundCount,
		Refunded:       s.Refunded,
		FailedPayments: s.FailedPayments,
	}
	if len(orders.Rows) > 0 {
		v.LastOrder = &orders.Rows[0]
	}
	return v
}

func orderRow(o shop.Order) views.OrderRow {
	return views.OrderRow{ID: o.ID, Number: o.Number, PlacedAt: o.PlacedAt, Status: o.Status, Items: o.ItemCount, Total: o.Total,
		TrackingURL: o.Tracking.URL, TrackingCarrier: o.Tracking.Carrier, TrackingNumber: o.Tracking.Number}
}

func paymentRow(p shop.Payment) views.PaymentRow {
	return views.PaymentRow{
		Ref: p.Ref, CreatedAt: p.CreatedAt, Kind: p.Kind, Method: p.Method, CardBrand: p.CardBrand,
		CardLast4: p.CardLast4, Status: p.Status, Amount: p.Amount, OrderNumber: p.OrderNumber,
	}
}
