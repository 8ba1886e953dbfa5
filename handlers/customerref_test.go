package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dashapp/handlers/session"
)

// A website visitor can write their own contact's custom attributes
// through Chatwoot's widget API, so an unsigned shop_customer_ref must not
// choose the customer when access keys are on: only one dashapp signed for
// this contact does.
func TestCustomerRefMustBeSignedForTheContact(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, withKeys(clk, keyNew, keyOld))
	_, token := openPage(t, app, keyNew)
	panelFor := func(ref string) response {
		body := `{"event":"appContext","data":{"conversation":{"id":7},"currentAgent":{"id":1,"name":"A"},` +
			`"contact":{"id":1,"email":"layla@example.com","custom_attributes":{"shop_customer_ref":"` + ref + `"}}}}`
		req := httptest.NewRequest(http.MethodPost, "/context", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return do(t, app, withToken(req, token))
	}
	forged := panelFor("C-1002") // James's ref, set by the visitor of contact 1 (Layla)
	if forged.status != http.StatusOK || !strings.Contains(forged.body, `data-matched-by="contact_id"`) || strings.Contains(forged.body, "James") {
		t.Errorf("an unsigned ref chose the customer: %d %.400s", forged.status, forged.body)
	}
	signedForOther := panelFor(session.New([]string{keyNew}, 0, clk.now).LinkValue(2, "C-1002"))
	if !strings.Contains(signedForOther.body, `data-matched-by="contact_id"`) || strings.Contains(signedForOther.body, "James") {
		t.Errorf("a ref signed for another contact chose the customer: %.400s", signedForOther.body)
	}
	for _, key := range []string{keyNew, keyOld} { // either key of a rotation signs
		signed := panelFor(session.New([]string{key}, 0, clk.now).LinkValue(1, "C-1002"))
		if !strings.Contains(signed.body, "James") || !strings.Contains(signed.body, `data-matched-by="customer_ref"`) {
			t.Errorf("a ref signed with %s for this contact did not link: %.400s", key, signed.body)
		}
	}
}
