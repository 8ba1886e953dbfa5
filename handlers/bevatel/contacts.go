package bevatel

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"reflect"
)

// Contact is a Bevatel contact as GET …/contacts/{id} renders it
// (api/v1/models/_contact.json.jbuilder), with the fields dashapp reads.
type Contact struct {
	ID               int64          `json:"id"`
	Name             string         `json:"name"`
	Email            string         `json:"email"`
	PhoneNumber      string         `json:"phone_number"`
	Identifier       string         `json:"identifier"`
	CustomAttributes map[string]any `json:"custom_attributes"`
}

// contactEnvelope is the {"payload": contact} every contact route answers.
type contactEnvelope struct {
	Payload Contact `json:"payload"`
}

func contactPath(accountID, contactID int64) string {
	return fmt.Sprintf("%s/contacts/%d", accountPath(accountID), contactID)
}

// Contact reads one contact: GET /api/v1/accounts/{account}/contacts/{id}.
func (c *Client) Contact(ctx context.Context, accountID, contactID int64) (Contact, error) {
	var env contactEnvelope
	op := fmt.Sprintf("read contact %d of account %d", contactID, accountID)
	if err := c.do(ctx, op, http.MethodGet, contactPath(accountID, contactID), nil, &env); err != nil {
		return Contact{}, err
	}
	return env.Payload, nil
}

// MergeContactAttributes sets attrs among the contact's custom attributes
// and keeps every other one. It reads the contact, and when a value
// differs, sends PUT /api/v1/accounts/{account}/contacts/{id} with
// {"custom_attributes": <the merged whole>} and nothing else: never
// identifier, which the website widget uses for identity verification.
//
// Chatwoot's ContactsController#update merges what it receives into the
// stored hash (contact_custom_attributes:
// @contact.custom_attributes.merge(permitted_params[:custom_attributes])),
// so sending only attrs would be enough there; the whole merged hash is
// sent so that a deployment whose update replaces the hash keeps the
// other attributes too. It returns the contact as Bevatel stored it.
func (c *Client) MergeContactAttributes(ctx context.Context, accountID, contactID int64, attrs map[string]any) (Contact, error) {
	contact, err := c.Contact(ctx, accountID, contactID)
	if err != nil {
		return Contact{}, err
	}
	merged, changed := merge(contact.CustomAttributes, attrs)
	if !changed {
		return contact, nil
	}
	var env contactEnvelope
	op := fmt.Sprintf("update contact %d of account %d", contactID, accountID)
	body := map[string]any{"custom_attributes": merged}
	if err := c.do(ctx, op, http.MethodPut, contactPath(accountID, contactID), body, &env); err != nil {
		return Contact{}, err
	}
	return env.Payload, nil
}

// RemoveContactAttributes deletes keys from the contact's custom
// attributes: POST /api/v1/accounts/{account}/contacts/{id}/destroy_custom_attributes
// with {"custom_attributes": [keys]}. PUT cannot do it, since Chatwoot's
// update merges and so keeps a key that is left out.
func (c *Client) RemoveContactAttributes(ctx context.Context, accountID, contactID int64, keys ...string) (Contact, error) {
	var env contactEnvelope
	op := fmt.Sprintf("remove attributes of contact %d of account %d", contactID, accountID)
	body := map[string]any{"custom_attributes": keys}
	if err := c.do(ctx, op, http.MethodPost, contactPath(accountID, contactID)+"/destroy_custom_attributes", body, &env); err != nil {
		return Contact{}, err
	}
	return env.Payload, nil
}

// merge returns stored with attrs set, and whether any value changed.
// stored is not modified.
func merge(stored, attrs map[string]any) (map[string]any, bool) {
	merged := maps.Clone(stored)
	if merged == nil {
		merged = map[string]any{}
	}
	changed := false
	for k, v := range attrs {
		if old, ok := merged[k]; !ok || !reflect.DeepEqual(old, v) {
			merged[k] = v
			changed = true
		}
	}
	return merged, changed
}
