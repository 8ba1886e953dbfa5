package bevatel

import (
	"context"
	"fmt"
	"net/http"
)

// Message is a message as POST …/messages answers it
// (conversations/messages/create.json.jbuilder), with the fields dashapp
// reads. MessageType is Chatwoot's integer: 0 incoming, 1 outgoing, 2
// activity, 3 template.
type Message struct {
	ID             int64  `json:"id"`
	Content        string `json:"content"`
	ConversationID int64  `json:"conversation_id"`
	MessageType    int    `json:"message_type"`
	Private        bool   `json:"private"`
	CreatedAt      int64  `json:"created_at"` // unix seconds
}

// newMessage is conversation_message_create_payload: content,
// message_type and private.
type newMessage struct {
	Content     string `json:"content"`
	MessageType string `json:"message_type"`
	Private     bool   `json:"private"`
}

// CreateMessage posts content to a conversation as the token's user:
// POST /api/v1/accounts/{account}/conversations/{conversation}/messages
// with message_type "outgoing". private true makes a note only agents
// see; false sends it to the customer.
func (c *Client) CreateMessage(ctx context.Context, accountID, conversationID int64, content string, private bool) (Message, error) {
	kind := "reply"
	if private {
		kind = "private note"
	}
	op := fmt.Sprintf("add a %s to conversation %d of account %d", kind, conversationID, accountID)
	var m Message
	body := newMessage{Content: content, MessageType: "outgoing", Private: private}
	if err := c.do(ctx, op, http.MethodPost, conversationPath(accountID, conversationID)+"/messages", body, &m); err != nil {
		return Message{}, err
	}
	if m.ID <= 0 {
		return Message{}, &Error{Kind: KindBadResponse, Op: op, Status: http.StatusOK, Err: fmt.Errorf("the answer has no message id")}
	}
	return m, nil
}
