package appcontext

import (
	"testing"

	"dashapp/db/shop"
)

func TestCustomerAndIdentity(t *testing.T) {
	laylaSender := `"conversation":{"meta":{"sender":{"id":1,"name":"Layla Al-Harbi","email":"layla@example.com","phone_number":"+966 50 000 0001","identifier":"cust-1001"}}}`
	laylaIdentity := shop.Identity{ContactID: 1, Identifier: "cust-1001", Email: "layla@example.com", Phone: "966500000001"}
	tests := []struct {
		name           string
		body           []byte
		wantName       string
		wantFromSender bool
		want           shop.Identity
	}{
		{"layla", readFixture(t, "layla_string.json"), "Layla Al-Harbi", false, laylaIdentity},
		{"james: mixed-case email, no identifier", readFixture(t, "james.json"), "James Carter", false,
			shop.Identity{ContactID: 2, Email: "james.carter@example.com", Phone: "14155550102"}},
		{"anonymous: only the contact id", readFixture(t, "anonymous.json"), "Anonymous visitor", false, shop.Identity{ContactID: 3}},
		{"contact {} falls back to meta.sender", readFixture(t, "empty_contact.json"), "Layla Al-Harbi", true, laylaIdentity},
		{"contact missing", message(`{` + laylaSender + `}`), "Layla Al-Harbi", true, laylaIdentity},
		{"contact null", message(`{"contact":null,` + laylaSender + `}`), "Layla Al-Harbi", true, laylaIdentity},
		{"contact of the wrong type", message(`{"contact":"Layla",` + laylaSender + `}`), "Layla Al-Harbi", true, laylaIdentity},
		{"contact with only blanks", message(`{"contact":{"id":0,"name":"  ","email":""},` + laylaSender + `}`), "Layla Al-Harbi", true, laylaIdentity},
		{"contact with only an id wins over the sender", message(`{"contact":{"id":"9"},` + laylaSender + `}`), "", false,
			shop.Identity{ContactID: 9}},
		{"contact with only an email wins", message(`{"contact":{"email":" Someone@Example.COM "},` + laylaSender + `}`), "", false,
			shop.Identity{Email: "someone@example.com"}},
		{"neither identifies anyone", message(`{"contact":{},"conversation":{"meta":{"sender":{}}}}`), "", false, shop.Identity{}},
		{"negative id is no id", message(`{"contact":{"id":-4,"identifier":" c-4 "}}`), "", false, shop.Identity{Identifier: "c-4"}},
		{"linked customer ref from the contact's custom attribute", message(`{"contact":{"id":5,"custom_attributes":{"shop_customer_ref":" C-1002 ","plan":"gold"}}}`),
			"", false, shop.Identity{CustomerRef: "C-1002", ContactID: 5}},
		{"a numeric customer ref is its text", message(`{"contact":{"id":5,"custom_attributes":{"shop_customer_ref":1002}}}`), "", false,
			shop.Identity{CustomerRef: "1002", ContactID: 5}},
		{"a null customer ref is none", message(`{"contact":{"id":5,"custom_attributes":{"shop_customer_ref":null}}}`), "", false,
			shop.Identity{ContactID: 5}},
		{"the sender's customer ref when the contact is {}", message(`{"contact":{},"conversation":{"meta":{"sender":{"id":6,"custom_attributes":{"shop_customer_ref":"C-1003"}}}}}`),
			"", true, shop.Identity{CustomerRef: "C-1003", ContactID: 6}},
		{"a conversation attribute is not the contact's", message(`{"contact":{"id":5},"conversation":{"custom_attributes":{"shop_customer_ref":"C-1003"}}}`),
			"", false, shop.Identity{ContactID: 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := mustDecode(t, tt.body)
			contact, fromSender := msg.Data.Customer()
			if contact.Name != tt.wantName || fromSender != tt.wantFromSender {
				t.Errorf("Customer() = %q, fromSender %v; want %q, %v", contact.Name, fromSender, tt.wantName, tt.wantFromSender)
			}
			if got := msg.Data.Identity(); got != tt.want {
				t.Errorf("Identity() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestPrefix(t *testing.T) {
	if got := FetchInfoMessage(DefaultPrefix); got != "bevatel-dashboard-app:fetch-info" {
		t.Errorf("FetchInfoMessage = %q", got)
	}
	if got := FetchInfoMessage("chatwoot"); got != "chatwoot-dashboard-app:fetch-info" {
		t.Errorf("FetchInfoMessage = %q", got)
	}
	tests := map[string]bool{
		"bevatel":                           true,
		"chatwoot":                          true,
		"my-brand-2":                        true,
		"a":                                 true,
		"abcdefghijklmnopqrstuvwxyz012345":  true, // 32
		"abcdefghijklmnopqrstuvwxyz0123456": false,
		"":                                  false,
		"Bevatel":                           false,
		"bevatel:x":                         false,
		"bev atel":                          false,
		"بيفاتل":                            false,
		`x"><script>`:                       false,
	}
	for prefix, want := range tests {
		if got := ValidPrefix(prefix); got != want {
			t.Errorf("ValidPrefix(%q) = %v, want %v", prefix, got, want)
		}
	}
}
