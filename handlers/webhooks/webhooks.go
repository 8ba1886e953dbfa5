// Package webhooks receives shop platforms' signed deliveries. Each platform
// lives in a package of its own below this one (shopify, woocommerce, salla,
// zid) and exposes two functions with these shapes:
//
//	func Verify(secret string, header func(name string) string, body []byte) error
//	func Decode(header func(name string) string, body []byte) (shop.Delivery, shop.Batch, error)
//
// Verify checks the signature over the raw body bytes, in constant time,
// and returns an error wrapping ErrUnauthorized when it does not hold.
// Decode maps the platform's JSON to dashapp's records; it returns an error
// wrapping ErrUnknownTopic for a topic dashapp does not handle (answered
// 200, so that the platform does not retry forever) and ErrMalformed for a
// body it cannot read (answered 400). Neither reads SQL or writes HTML.
package webhooks

import "errors"

var (
	ErrUnauthorized = errors.New("signature or credentials do not match")
	ErrUnknownTopic = errors.New("topic not handled")
	ErrMalformed    = errors.New("malformed delivery")
)
