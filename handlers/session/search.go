package session

import (
	"strconv"
)

// SearchGrant signs "this session was shown the panel of this
// conversation": the panel's search form carries it, so a session token
// alone cannot search the shop's customers. The panel is rendered only
// after POST /context's check, so with verified context (a Verifier) a
// search is always on behalf of a conversation the host confirmed.
func (s *Sessions) SearchGrant(sessionID string, conversationID int64) string {
	return s.sign(searchMessage(sessionID, conversationID))
}

// SearchGranted reports whether grant is SearchGrant(sessionID,
// conversationID) under any key.
func (s *Sessions) SearchGranted(sessionID string, conversationID int64, grant string) bool {
	return sessionID != "" && conversationID > 0 && s.signedByAny(searchMessage(sessionID, conversationID), grant)
}

func searchMessage(sessionID string, conversationID int64) string {
	return "search v1|" + sessionID + "|" + strconv.FormatInt(conversationID, 10)
}
