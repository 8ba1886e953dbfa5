package session

import "strconv"

// ActionGrant signs "this session was shown this customer for this
// contact in this conversation of this account": every write from the
// panel (link, note, reply) carries it, so that a session token alone
// cannot act on any conversation or customer, and verified context, which
// guards POST /context where the grant is issued, guards the writes too.
func (s *Sessions) ActionGrant(sessionID string, accountID, conversationID, contactID, customerID int64) string {
	return s.sign(grantMessage("action v1", sessionID, accountID, conversationID, contactID, customerID))
}

// ActionGranted reports whether grant is ActionGrant of these ids under
// any key.
func (s *Sessions) ActionGranted(sessionID string, accountID, conversationID, contactID, customerID int64, grant string) bool {
	return sessionID != "" && s.signedByAny(grantMessage("action v1", sessionID, accountID, conversationID, contactID, customerID), grant)
}

// grantMessage is what a grant signs: its purpose (with its version), the
// session, and the ids it is for, so that no grant passes for another.
func grantMessage(purpose, sessionID string, ids ...int64) string {
	m := purpose + "|" + sessionID
	for _, id := range ids {
		m += "|" + strconv.FormatInt(id, 10)
	}
	return m
}
