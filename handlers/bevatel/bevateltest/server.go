// Package bevateltest is a fake Bevatel (Chatwoot) API for tests: an
// httptest.Server that speaks the routes dashapp calls with the status
// codes, headers and JSON bodies of Chatwoot's swagger/ and controllers,
// keeps contacts, conversations and messages in memory, and records every
// request it receives.
package bevateltest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"dashapp/handlers/bevatel"
)

// Tokens the fake accepts: a user's, which may call every route, and an
// agent bot's, which may call only the routes Chatwoot opens to bots
// (AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS).
const (
	UserToken = "fake-user-token-0123456789"
	BotToken  = "fake-bot-token-0123456789"
)

// Chatwoot's error bodies, word for word.
const (
	// Devise, when the request carries no api_access_token.
	signInError = "You need to sign in or sign up before continuing."
	// AccessTokenAuthHelper#authenticate_access_token!, for an unknown token.
	invalidTokenError = "Invalid Access Token"
	// AccessTokenAuthHelper#validate_bot_access_token!.
	botDeniedError = "Access to this endpoint is not authorized for bots"
	// RequestExceptionHandler, for ActiveRecord::RecordNotFound.
	notFoundError = "Resource could not be found"
	// Message's content length validation, as MessagesController#create
	// renders it through render_could_not_create_error.
	contentTooLongError = "Validation failed: Content is too long (maximum is 150000 characters)"
)

// MaxContentRunes is Chatwoot's limit on a message's content
// (validates :content, length: { maximum: 150_000 }).
const MaxContentRunes = 150_000

// Request is one request as the fake received it.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	JSON   map[string]any // the body decoded (numbers as json.Number); nil when not a JSON object
}

// Server is the fake. Its zero value is not usable: call New.
type Server struct {
	*httptest.Server

	mu            sync.Mutex
	contacts      map[[2]int64]bevatel.Contact // account, contact id
	conversations map[[2]int64]*conversation   // account, display id
	requests      []Request
	nextMessageID int64
	delay         time.Duration
	failStatus    int
}

type conversation struct {
	contactID int64
	attrs     map[string]any
	messages  []bevatel.Message
}

// New starts a fake server; Close stops it.
func New() *Server {
	s := &Server{
		contacts:      map[[2]int64]bevatel.Contact{},
		conversations: map[[2]int64]*conversation{},
		nextMessageID: 1000,
	}
	mux := http.NewServeMux()
	const acc = "/api/v1/accounts/{account}"
	mux.HandleFunc("GET "+acc+"/conversations/{id}", s.route(false, s.showConversation))
	mux.HandleFunc("POST "+acc+"/conversations/{id}/messages", s.route(true, s.createMessage))
	mux.HandleFunc("POST "+acc+"/conversations/{id}/custom_attributes", s.route(true, s.setConversationAttributes))
	mux.HandleFunc("GET "+acc+"/contacts/{id}", s.route(false, s.showContact))
	mux.HandleFunc("PUT "+acc+"/contacts/{id}", s.route(false, s.updateContact))
	mux.HandleFunc("PATCH "+acc+"/contacts/{id}", s.route(false, s.updateContact))
	mux.HandleFunc("POST "+acc+"/contacts/{id}/destroy_custom_attributes", s.route(false, s.destroyContactAttributes))
	s.Server = httptest.NewServer(mux)
	return s
}

// AddContact stores a contact of account; c.ID must be set.
func (s *Server) AddContact(accountID int64, c bevatel.Contact) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.CustomAttributes = maps.Clone(c.CustomAttributes)
	if c.CustomAttributes == nil {
		c.CustomAttributes = map[string]any{}
	}
	s.contacts[[2]int64{accountID, c.ID}] = c
}

// AddConversation stores conversation id (its display id) of account,
// whose sender is contactID.
func (s *Server) AddConversation(accountID, id, contactID int64, attrs map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if attrs == nil {
		attrs = map[string]any{}
	}
	s.conversations[[2]int64{accountID, id}] = &conversation{contactID: contactID, attrs: maps.Clone(attrs)}
}

// Contact is the stored contact.
func (s *Server) Contact(accountID, id int64) (bevatel.Contact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.contacts[[2]int64{accountID, id}]
	c.CustomAttributes = maps.Clone(c.CustomAttributes)
	return c, ok
}

// ConversationAttributes are the stored conversation's custom attributes.
func (s *Server) ConversationAttributes(accountID, id int64) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if conv, ok := s.conversations[[2]int64{accountID, id}]; ok {
		return maps.Clone(conv.attrs)
	}
	return nil
}

// Messages are the messages created in a conversation, oldest first.
func (s *Server) Messages(accountID, conversationID int64) []bevatel.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if conv, ok := s.conversations[[2]int64{accountID, conversationID}]; ok {
		return slices.Clone(conv.messages)
	}
	return nil
}

// Requests are every request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// SetDelay makes every later answer wait d after the request was carried
// out, as a slow Bevatel does: a client that gives up first leaves the
// change made. Zero answers at once.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// FailWith makes every later request (past authentication) answer status
// without being carried out, as a failing Bevatel or its proxy does. Zero
// restores normal answers.
func (s *Server) FailWith(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failStatus = status
}

// handler answers one authenticated request for a known account; it
// runs with s.mu held.
type handler func(r *http.Request, req Request, account int64) (int, any)

// route records the request, authenticates it as Chatwoot's
// Api::BaseController does, then runs h. botAllowed says whether an agent
// bot's token may call it.
func (s *Server) route(botAllowed bool, h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := record(r)
		s.mu.Lock()
		s.requests = append(s.requests, req)
		status, body := s.answer(r, req, botAllowed, h)
		delay := s.delay
		s.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		writeJSON(w, status, body)
	}
}

func (s *Server) answer(r *http.Request, req Request, botAllowed bool, h handler) (int, any) {
	switch token := r.Header.Get(bevatel.TokenHeader); {
	case token == "":
		return http.StatusUnauthorized, errorBody(signInError)
	case token != UserToken && token != BotToken:
		return http.StatusUnauthorized, errorBody(invalidTokenError)
	case token == BotToken && !botAllowed:
		return http.StatusUnauthorized, errorBody(botDeniedError)
	}
	if s.failStatus != 0 {
		return s.failStatus, map[string]any{"status": s.failStatus, "error": http.StatusText(s.failStatus)}
	}
	account, err := strconv.ParseInt(r.PathValue("account"), 10, 64)
	if err != nil || !s.knowsAccount(account) {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	if len(req.Body) > 0 && req.JSON == nil {
		// Rails answers a body it cannot parse as JSON with 400.
		return http.StatusBadRequest, map[string]any{"status": 400, "error": "Bad Request"}
	}
	return h(r, req, account)
}

func (s *Server) knowsAccount(account int64) bool {
	for k := range s.contacts {
		if k[0] == account {
			return true
		}
	}
	for k := range s.conversations {
		if k[0] == account {
			return true
		}
	}
	return false
}

func (s *Server) conversation(r *http.Request, account int64) (*conversation, int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, 0, false
	}
	conv, ok := s.conversations[[2]int64{account, id}]
	return conv, id, ok
}

func (s *Server) contact(r *http.Request, account int64) (bevatel.Contact, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return bevatel.Contact{}, false
	}
	c, ok := s.contacts[[2]int64{account, id}]
	return c, ok
}

// showConversation renders the conversation partial: the display id, the
// account, custom_attributes and meta.sender, the contact.
func (s *Server) showConversation(r *http.Request, _ Request, account int64) (int, any) {
	conv, id, ok := s.conversation(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	sender := s.contacts[[2]int64{account, conv.contactID}]
	sender.ID = conv.contactID
	return http.StatusOK, map[string]any{
		"id":                id,
		"account_id":        account,
		"inbox_id":          1,
		"status":            "open",
		"custom_attributes": conv.attrs,
		"messages":          []any{},
		"meta":              map[string]any{"sender": contactJSON(sender), "channel": "Channel::WebWidget"},
	}
}

// createMessage is MessagesController#create through Messages::MessageBuilder.
func (s *Server) createMessage(r *http.Request, req Request, account int64) (int, any) {
	conv, id, ok := s.conversation(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	messageType := 1 // MessageBuilder's default: outgoing
	if v, ok := req.JSON["message_type"]; ok {
		types := map[string]int{"incoming": 0, "outgoing": 1, "activity": 2, "template": 3}
		name, _ := v.(string)
		if messageType, ok = types[name]; !ok {
			return http.StatusUnprocessableEntity, errorBody(fmt.Sprintf("'%v' is not a valid message_type", v))
		}
	}
	content, _ := req.JSON["content"].(string)
	if utf8.RuneCountInString(content) > MaxContentRunes {
		return http.StatusUnprocessableEntity, errorBody(contentTooLongError)
	}
	private, _ := req.JSON["private"].(bool)
	s.nextMessageID++
	m := bevatel.Message{
		ID: s.nextMessageID, Content: content, ConversationID: id, MessageType: messageType,
		Private: private, CreatedAt: time.Now().Unix(),
	}
	conv.messages = append(conv.messages, m)
	return http.StatusOK, map[string]any{
		"id": m.ID, "content": m.Content, "inbox_id": 1, "echo_id": nil, "conversation_id": m.ConversationID,
		"message_type": m.MessageType, "content_type": "text", "content_attributes": map[string]any{},
		"created_at": m.CreatedAt, "private": m.Private,
		"sender": map[string]any{"id": 1, "name": "API user", "type": "user"},
	}
}

// setConversationAttributes is ConversationsController#custom_attributes:
// a plain assignment of the hash received, which replaces the stored one.
func (s *Server) setConversationAttributes(r *http.Request, req Request, account int64) (int, any) {
	conv, _, ok := s.conversation(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	attrs, _ := req.JSON["custom_attributes"].(map[string]any)
	conv.attrs = attrs
	return http.StatusOK, map[string]any{"custom_attributes": conv.attrs}
}

func (s *Server) showContact(r *http.Request, _ Request, account int64) (int, any) {
	c, ok := s.contact(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	return http.StatusOK, map[string]any{"payload": contactJSON(c)}
}

// updateContact is ContactsController#update: custom_attributes are
// merged into the stored ones (contact_custom_attributes), the other
// permitted fields assigned, and a bad email is a RecordInvalid, which
// render_record_invalid answers with {"message", "attributes"}.
func (s *Server) updateContact(r *http.Request, req Request, account int64) (int, any) {
	c, ok := s.contact(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	if email, ok := req.JSON["email"].(string); ok {
		if email != "" && !validEmail(email) {
			return http.StatusUnprocessableEntity, map[string]any{"message": "Email Invalid email", "attributes": []string{"email"}}
		}
		c.Email = email
	}
	if name, ok := req.JSON["name"].(string); ok {
		c.Name = name
	}
	if identifier, ok := req.JSON["identifier"].(string); ok {
		c.Identifier = identifier
	}
	if attrs, ok := req.JSON["custom_attributes"].(map[string]any); ok {
		c.CustomAttributes = maps.Clone(c.CustomAttributes)
		maps.Copy(c.CustomAttributes, attrs)
	}
	s.contacts[[2]int64{account, c.ID}] = c
	return http.StatusOK, map[string]any{"payload": contactJSON(c)}
}

// destroyContactAttributes is ContactsController#destroy_custom_attributes:
// custom_attributes.excluding(the keys received).
func (s *Server) destroyContactAttributes(r *http.Request, req Request, account int64) (int, any) {
	c, ok := s.contact(r, account)
	if !ok {
		return http.StatusNotFound, errorBody(notFoundError)
	}
	keys, _ := req.JSON["custom_attributes"].([]any)
	c.CustomAttributes = maps.Clone(c.CustomAttributes)
	for _, k := range keys {
		if key, ok := k.(string); ok {
			delete(c.CustomAttributes, key)
		}
	}
	s.contacts[[2]int64{account, c.ID}] = c
	return http.StatusOK, map[string]any{"payload": contactJSON(c)}
}

// contactJSON renders a contact as api/v1/models/_contact.json.jbuilder
// does, with null for the strings Chatwoot leaves unset.
func contactJSON(c bevatel.Contact) map[string]any {
	orNull := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	attrs := c.CustomAttributes
	if attrs == nil {
		attrs = map[string]any{}
	}
	return map[string]any{
		"id": c.ID, "name": c.Name, "email": orNull(c.Email), "phone_number": orNull(c.PhoneNumber),
		"identifier": orNull(c.Identifier), "thumbnail": "", "availability_status": "offline",
		"additional_attributes": map[string]any{}, "custom_attributes": attrs, "blocked": false,
	}
}

func validEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1
}

func errorBody(message string) map[string]any { return map[string]any{"error": message} }

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func record(r *http.Request) Request {
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	req := Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body.Bytes()}
	if body.Len() > 0 {
		dec := json.NewDecoder(bytes.NewReader(req.Body))
		dec.UseNumber()
		var m map[string]any
		if dec.Decode(&m) == nil {
			req.JSON = m
		}
	}
	return req
}
