// Package session is dashapp's authentication: the access key in the
// registered URL opens a page, which gets an HMAC-signed session token for
// its data requests, and load-more links carry a grant for one customer.
// No cookies: a framed app's cookies are third-party, and browsers block them.
package session

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/web"
)

// TokenHeader carries the session token on every data request; the bridge
// sends it on its fetch and on htmx requests. A header, not a cookie: a
// framed app's cookies are third-party and browsers block them.
const TokenHeader = "X-Dashapp-Token"

// DefaultTTL is how long a session token opened by the access key
// stays valid: a working day. The dashboard reloads the frame on every
// conversation switch, so most tokens live minutes.
const DefaultTTL = 12 * time.Hour

const localSession = "session-id"

// Of is the session id of a request that passed Require; "" in
// development or before it.
func Of(c *fiber.Ctx) string {
	s, _ := c.Locals(localSession).(string)
	return s
}

var (
	errNoToken      = errors.New("no session token")
	errBadToken     = errors.New("session token is not valid")
	errExpiredToken = errors.New("session token expired")
)

// Sessions checks access keys and issues and verifies session tokens. Each
// key derives its own signing secret: tokens are signed with the first
// key's, and accepted under any key's, so a rotation ("new,old" then "new")
// never logs anyone out mid-conversation.
type Sessions struct {
	keyDigests [][]byte // HMAC of each key under a fixed label: fixed length, so comparing leaks no length
	secrets    [][]byte // token signing secret per key; secrets[0] signs
	ttl        time.Duration
	now        func() time.Time
}

// New returns the sessions of keys, the first of which signs; nil when
// there are none: development mode, where Require and RequireKey let
// everything through.
func New(keys []string, ttl time.Duration, now func() time.Time) *Sessions {
	if len(keys) == 0 {
		return nil
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	s := &Sessions{ttl: ttl, now: now}
	for _, k := range keys {
		s.keyDigests = append(s.keyDigests, mac([]byte("dashapp access key v1"), k))
		s.secrets = append(s.secrets, mac([]byte(k), "dashapp session secret v1"))
	}
	return s
}

func mac(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}

// sign is msg's signature under the newest key, as URL-safe base64.
func (s *Sessions) sign(msg string) string {
	return base64.RawURLEncoding.EncodeToString(mac(s.secrets[0], msg))
}

// signedByAny reports whether sig (URL-safe base64) signs msg under any
// configured key, comparing with every key in constant time, so that a key
// rotation keeps the older key's tokens and grants valid.
func (s *Sessions) signedByAny(msg, sig string) bool {
	given, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	ok := 0
	for _, secret := range s.secrets {
		ok |= subtle.ConstantTimeCompare(given, mac(secret, msg))
	}
	return ok == 1
}

// ValidKey compares key against every configured key in constant time,
// without stopping at the first match.
func (s *Sessions) ValidKey(key string) bool {
	given := mac([]byte("dashapp access key v1"), key)
	ok := 0
	for _, d := range s.keyDigests {
		ok |= subtle.ConstantTimeCompare(given, d)
	}
	return ok == 1 && key != ""
}

// Issue makes a token "sessionID.expiryUnix.signature" for a new session.
func (s *Sessions) Issue() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	payload := hex.EncodeToString(b[:]) + "." + strconv.FormatInt(s.now().Add(s.ttl).Unix(), 10)
	return payload + "." + s.sign(payload), nil
}

// verify returns the token's session id when a configured key signed it and
// it has not expired.
func (s *Sessions) verify(token string) (string, error) {
	if token == "" {
		return "", errNoToken
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", errBadToken
	}
	payload := token[:i]
	if !s.signedByAny(payload, token[i+1:]) {
		return "", errBadToken
	}
	id, expiry, found := strings.Cut(payload, ".")
	exp, err := strconv.ParseInt(expiry, 10, 64)
	if !found || err != nil {
		return "", errBadToken
	}
	if !s.now().Before(time.Unix(exp, 0)) {
		return "", errExpiredToken
	}
	// A copy: the token points into fasthttp's request buffer, reused by the
	// next request, and the id becomes a rate limiter's map key.
	return strings.Clone(id), nil
}

// ErrKeyRequired is the 401 of the app page: it says what to configure.
var ErrKeyRequired = web.Problem(fiber.StatusUnauthorized, "problem.key_required")

// Require guards every route that returns customer data: without a
// valid, unexpired token it answers 401 (a fragment for the bridge and
// htmx, through the central error handler). Without keys (development) it
// lets everything through.
func Require(s *Sessions) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s == nil {
			return c.Next()
		}
		id, err := s.verify(c.Get(TokenHeader))
		if err != nil {
			if errors.Is(err, errExpiredToken) {
				return web.Problem(fiber.StatusUnauthorized, "problem.session_expired")
			}
			return web.Problem(fiber.StatusUnauthorized, "problem.session_missing")
		}
		c.Locals(localSession, id)
		return c.Next()
	}
}

// Grant signs "this session was shown this customer": load-more links carry
// it, so a session token alone cannot page through any customer id, and
// verified context (which guards POST /context) also guards the pages after
// the first.
func (s *Sessions) Grant(sessionID string, customerID int64) string {
	return s.sign(grantMessage("load-more v1", sessionID, customerID))
}

// Granted reports whether grant is Grant(sessionID, customerID) under any key.
func (s *Sessions) Granted(sessionID string, customerID int64, grant string) bool {
	return sessionID != "" && s.signedByAny(grantMessage("load-more v1", sessionID, customerID), grant)
}

// ErrNotGranted refuses a load-more link that this session was not given.
var ErrNotGranted = web.Problem(fiber.StatusForbidden, "problem.not_granted")

// RequireKey guards pages that open with the access key itself (the
// simulator shows the shop's customers too); without keys it lets
// everything through.
func RequireKey(s *Sessions) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s != nil && !s.ValidKey(c.Query("key")) {
			return ErrKeyRequired
		}
		return c.Next()
	}
}

// LinkValue is what dashapp writes into a contact's shop_customer_ref
// attribute: the customer's ref and a signature that binds it to this
// contact, "REF~SIGNATURE". A website visitor can set their own contact's
// custom attributes through Chatwoot's widget API, but cannot sign one.
// Every replica and every new database with the same key reads it back.
func (s *Sessions) LinkValue(contactID int64, ref string) string {
	if s == nil {
		return ref
	}
	return ref + "~" + s.sign(linkMessage(contactID, ref))
}

// LinkedRef is the ref a shop_customer_ref attribute links contactID to:
// a LinkValue signed for this contact under any key, or "" for anything
// else. In development (no keys) nothing is authenticated, so the plain
// ref is taken as it is.
func (s *Sessions) LinkedRef(contactID int64, value string) string {
	ref, sig, signed := strings.Cut(value, "~")
	if s == nil {
		return ref
	}
	if !signed || contactID <= 0 || ref == "" || !s.signedByAny(linkMessage(contactID, ref), sig) {
		return ""
	}
	return ref
}

func linkMessage(contactID int64, ref string) string {
	return "customer-link v1|" + strconv.FormatInt(contactID, 10) + "|" + ref
}
