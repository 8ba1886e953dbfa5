package session

// SearchGrant signs "this session was shown the panel of this contact in
// this conversation of this account": the panel's search form carries it,
// so a session token alone cannot search the shop's customers. The panel
// is rendered only after POST /context's check, so with verified context
// (a Verifier) a search is always on behalf of a conversation the host
// confirmed, and a search result's "Link" may be granted for its contact.
func (s *Sessions) SearchGrant(sessionID string, accountID, conversationID, contactID int64) string {
	return s.sign(grantMessage("search v2", sessionID, accountID, conversationID, contactID))
}

// SearchGranted reports whether grant is SearchGrant of these ids under
// any key.
func (s *Sessions) SearchGranted(sessionID string, accountID, conversationID, contactID int64, grant string) bool {
	return sessionID != "" && conversationID > 0 && s.signedByAny(grantMessage("search v2", sessionID, accountID, conversationID, contactID), grant)
}
