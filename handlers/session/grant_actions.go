package session

import (
	"crypto/subtle"
	"encoding/base64"
	"strconv"
)

// ActionGrant signs "this session was shown this customer for this
// contact in this conversation of this account": every write from the
// panel (link, note, reply) carries it, so that a session token alone
// cannot act on any conversation or customer, and verified context, which
// guards POST /context where the grant is issued, guards the writes too.
func (s *Sessions) ActionGrant(sessionID string, accountID, conversationID, contactID, customerID int64) string {
	return base64.RawURLEncoding.EncodeToString(mac(s.secrets[0], actionMessage(sessionID, accountID, conversationID, contactID, customerID)))
}

// ActionGranted reports whether grant is ActionGrant of these ids under
// any key.
func (s *Sessions) ActionGranted(sessionID string, accountID, conversationID, contactID, customerID int64, grant string) bool {
	sig, err := base64.RawURLEncoding.DecodeString(grant)
	if err != nil || sessionID == "" {
		return false
	}
	msg := actionMessage(sessionID, accountID, conversationID, contactID, customerID)
	ok := 0
	for _, secret := range s.secrets {
		ok |= subtle.ConstantTimeCompare(sig, mac(secret, msg))
	}
	return ok == 1
}

func actionMessage(sessionID string, ids ...int64) string {
	m := "action v1|" + sessionID
	for _, id := range ids {
		m += "|" + strconv.FormatInt(id, 10)
	}
	return m
}
