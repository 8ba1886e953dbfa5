package handlers

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
)

// TokenHeader carries the session token on every data request; the bridge
// sends it on its fetch and on htmx requests. A header, not a cookie: a
// framed app's cookies are third-party and browsers block them.
const TokenHeader = "X-Dashapp-Token"

// DefaultSessionTTL is how long a session token opened by the access key
// stays valid: a working day. The dashboard reloads the frame on every
// conversation switch, so most tokens live minutes.
const DefaultSessionTTL = 12 * time.Hour

const localSession = "session-id"

func sessionOf(c *fiber.Ctx) string {
	s, _ := c.Locals(localSession).(string)
	return s
}

var (
	errNoToken      = errors.New("no session token")
	errBadToken     = errors.New("session token is not valid")
	errExpiredToken = errors.New("session token expired")
)

// sessions checks access keys and issues and verifies session tokens. Each
// key derives its own signing secret: tokens are signed with the first
// key's, and accepted under any key's, so a rotation ("new,old" then "new")
// never logs anyone out mid-conversation.
type sessions struct {
	keyDigests [][]byte // HMAC of each key under a fixed label: fixed length, so comparing leaks no length
	secrets    [][]byte // token signing secret per key; secrets[0] signs
	ttl        time.Duration
	now        func() time.Time
}

func newSessions(keys []string, ttl time.Duration, now func() time.Time) *sessions {
	if len(keys) == 0 {
		return nil
	}
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	s := &sessions{ttl: ttl, now: now}
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

// validKey compares key against every configured key in constant time,
// without stopping at the first match.
func (s *sessions) validKey(key string) bool {
	given := mac([]byte("dashapp access key v1"), key)
	ok := 0
	for _, d := range s.keyDigests {
		ok |= subtle.ConstantTimeCompare(given, d)
	}
	return ok == 1 && key != ""
}

// issue makes a token "sessionID.expiryUnix.signature" for a new session.
func (s *sessions) issue() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("session id: %w", err)
	}
	payload := hex.EncodeToString(b[:]) + "." + strconv.FormatInt(s.now().Add(s.ttl).Unix(), 10)
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac(s.secrets[0], payload)), nil
}

// verify returns the token's session id when a configured key signed it and
// it has not expired.
func (s *sessions) verify(token string) (string, error) {
	if token == "" {
		return "", errNoToken
	}
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", errBadToken
	}
	payload := token[:i]
	sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
	if err != nil {
		return "", errBadToken
	}
	ok := 0
	for _, secret := range s.secrets {
		ok |= subtle.ConstantTimeCompare(sig, mac(secret, payload))
	}
	if ok != 1 {
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

// errKeyRequired is the 401 of the app page: it says what to configure.
var errKeyRequired = problem(fiber.StatusUnauthorized, "problem.key_required")

// requireSession guards every route that returns customer data: without a
// valid, unexpired token it answers 401 (a fragment for the bridge and
// htmx, through the central error handler). Without keys (development) it
// lets everything through.
func requireSession(s *sessions) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if s == nil {
			return c.Next()
		}
		id, err := s.verify(c.Get(TokenHeader))
		if err != nil {
			if errors.Is(err, errExpiredToken) {
				return problem(fiber.StatusUnauthorized, "problem.session_expired")
			}
			return problem(fiber.StatusUnauthorized, "problem.session_missing")
		}
		c.Locals(localSession, id)
		return c.Next()
	}
}

// grant signs "this session was shown this customer": load-more links carry
// it, so a session token alone cannot page through any customer id, and
// verified context (which guards POST /context) also guards the pages after
// the first.
func (s *sessions) grant(sessionID string, customerID int64) string {
	return base64.RawURLEncoding.EncodeToString(mac(s.secrets[0], grantMessage(sessionID, customerID)))
}

func (s *sessions) granted(sessionID string, customerID int64, grant string) bool {
	sig, err := base64.RawURLEncoding.DecodeString(grant)
	if err != nil || sessionID == "" {
		return false
	}
	ok := 0
	for _, secret := range s.secrets {
		ok |= subtle.ConstantTimeCompare(sig, mac(secret, grantMessage(sessionID, customerID)))
	}
	return ok == 1
}

func grantMessage(sessionID string, customerID int64) string {
	return "load-more v1|" + sessionID + "|" + strconv.FormatInt(customerID, 10)
}

// errNotGranted refuses a load-more link that this session was not given.
var errNotGranted = problem(fiber.StatusForbidden, "problem.not_granted")
