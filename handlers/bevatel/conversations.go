package bevatel

import (
	"context"
	"fmt"
	"net/http"
)

// Conversation is a conversation as GET …/conversations/{id} renders it
// (conversations/partials/_conversation.json.jbuilder), with the fields
// dashapp reads. ID is the display id the dashboard shows and every route
// takes; Meta.Sender is the conversation's contact.
type Conversation struct {
	ID               int64          `json:"id"`
	AccountID        int64          `json:"account_id"`
	InboxID          int64          `json:"inbox_id"`
	Status           string         `json:"status"`
	CustomAttributes map[string]any `json:"custom_attributes"`
	Meta             struct {
		Sender Contact `json:"sender"`
	} `json:"meta"`
}

func conversationPath(accountID, conversationID int64) string {
	return fmt.Sprintf("%s/conversations/%d", accountPath(accountID), conversationID)
}

// Conversation reads one conversation:
// GET /api/v1/accounts/{account}/conversations/{id}.
func (c *Client) Conversation(ctx context.Context, accountID, conversationID int64) (Conversation, error) {
	var conv Conversation
	op := fmt.Sprintf("read conversation %d of account %d", conversationID, accountID)
	if err := c.do(ctx, op, http.MethodGet, conversationPath(accountID, conversationID), nil, &conv); err != nil {
		return Conversation{}, err
	}
	return conv, nil
}

// MergeConversationAttributes sets attrs among the conversation's custom
// attributes and keeps every other one: it reads the conversation and,
// when a value differs, sends
// POST /api/v1/accounts/{account}/conversations/{id}/custom_attributes
// with {"custom_attributes": <the merged whole>}.
//
// That route replaces the whole hash: ConversationsController#custom_attributes
// is a plain assignment (@conversation.custom_attributes =
// params.permit(custom_attributes: {})[:custom_attributes]), so sending
// only attrs would erase the others. An attribute another client writes
// between the read and the write is lost; Chatwoot offers no merge.
// It returns the attributes as Bevatel stored them.
func (c *Client) MergeConversationAttributes(ctx context.Context, accountID, conversationID int64, attrs map[string]any) (map[string]any, error) {
	conv, err := c.Conversation(ctx, accountID, conversationID)
	if err != nil {
		return nil, err
	}
	merged, changed := merge(conv.CustomAttributes, attrs)
	if !changed {
		return merged, nil
	}
	var out struct {
		CustomAttributes map[string]any `json:"custom_attributes"`
	}
	op := fmt.Sprintf("set attributes of conversation %d of account %d", conversationID, accountID)
	body := map[string]any{"custom_attributes": merged}
	if err := c.do(ctx, op, http.MethodPost, conversationPath(accountID, conversationID)+"/custom_attributes", body, &out); err != nil {
		return nil, err
	}
	return out.CustomAttributes, nil
}
