package handlers

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/maphash"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/handlers/session"
	"dashapp/handlers/web"
)

// HeaderVersion carries the panel's version: the server sets it on every
// panel it renders, and the bridge sends it back with the next context.
// Real agents re-ask on every focus, so most contexts repeat the last one;
// the version lets the server answer 204 "unchanged" and the bridge leave
// the DOM (loaded pages, open details, scroll, focus) alone.
const HeaderVersion = "X-Dashapp-Version"

// DataVersioner is optional on the store: a number that changes whenever
// shop data is committed (db.DB and db.Live have it). Without it every
// context is rendered, and "unchanged" is decided by comparing the render.
type DataVersioner interface {
	DataVersion(ctx context.Context) (uint64, error)
}

// panelVersions issues and checks versions. A version is
//
//	p1.<account>.<conversation>.<contact>.<content>.<mac>
//
// content is a hash of the rendered panel (without its fetched-at time):
// two renders are equal when their bytes are. mac binds, under a key of
// this process, everything else that decides the render: the exact body
// (so its contact, conversation, attributes and theme-free fields), the
// language, the agent's time zone, the page size, the session (whose
// grants the load-more links carry), the data version, and the ids. A
// matching mac therefore means "the same render as last time" without
// decoding, reading or rendering anything; the ids it vouches for are the
// ones this body decoded to, so verification runs on them exactly as on a
// full request. The key and the hash seed are new at every start: versions
// of an older process simply miss.
type panelVersions struct {
	key      []byte
	seed     maphash.Seed
	data     DataVersioner // nil: no fast path
	pageSize int
}

func newPanelVersions(store CustomerStore, pageSize int) *panelVersions {
	v := &panelVersions{key: make([]byte, 32), seed: maphash.MakeSeed(), pageSize: pageSize}
	rand.Read(v.key) // never fails (crypto/rand)
	v.data, _ = store.(DataVersioner)
	return v
}

// version is one parsed X-Dashapp-Version.
type version struct {
	account, conversation, contact int64
	content                        string
	mac                            string
}

func parseVersion(s string) (version, bool) {
	f := strings.Split(s, ".")
	if len(f) != 6 || f[0] != "p1" || len(f[4]) != 16 {
		return version{}, false
	}
	var v version
	var err1, err2, err3 error
	v.account, err1 = strconv.ParseInt(f[1], 10, 64)
	v.conversation, err2 = strconv.ParseInt(f[2], 10, 64)
	v.contact, err3 = strconv.ParseInt(f[3], 10, 64)
	v.content, v.mac = f[4], f[5]
	return v, err1 == nil && err2 == nil && err3 == nil
}

// stamp is what decides the render besides the ids, for this request; ok
// is false when the store cannot say its data version.
func (p *panelVersions) stamp(c *fiber.Ctx) (stamp []byte, ok bool) {
	if p.data == nil {
		return nil, false
	}
	data, err := p.data.DataVersion(c.UserContext())
	if err != nil {
		return nil, false // the full path reports the store's fault
	}
	body := sha256.Sum256(c.Body())
	b := make([]byte, 0, 128)
	b = append(b, "panel v1|"...)
	b = append(b, body[:]...)
	b = binary.BigEndian.AppendUint64(b, data)
	b = binary.BigEndian.AppendUint64(b, uint64(p.pageSize))
	for _, s := range []string{web.Lang(c), c.Query("tz"), session.Of(c)} {
		b = strconv.AppendQuote(b, s)
	}
	return b, true
}

func (p *panelVersions) mac(stamp []byte, v version) string {
	m := hmac.New(sha256.New, p.key)
	m.Write(stamp)
	var ids [24]byte
	binary.BigEndian.PutUint64(ids[0:], uint64(v.account))
	binary.BigEndian.PutUint64(ids[8:], uint64(v.conversation))
	binary.BigEndian.PutUint64(ids[16:], uint64(v.contact))
	m.Write(ids[:])
	m.Write([]byte(v.content))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// unchanged reads the request's version and reports whether it vouches for
// this very render; data then holds the ids to verify. stamp is this
// request's, read before any data (nil when the store cannot say), for
// issue: data committed while the panel is built then changes the next
// stamp, never hides behind this one.
func (p *panelVersions) unchanged(c *fiber.Ctx) (data appcontext.Context, sent version, stamp []byte, ok bool) {
	stamp, _ = p.stamp(c)
	sent, parsed := parseVersion(c.Get(HeaderVersion))
	if !parsed || stamp == nil || !hmac.Equal([]byte(p.mac(stamp, sent)), []byte(sent.mac)) {
		return data, sent, stamp, false
	}
	data.Conversation.AccountID, data.Conversation.ID = sent.account, sent.conversation
	data.Contact.ID = sent.contact
	return data, sent, stamp, true
}

// content hashes a rendered panel, leaving out its fetched-at time, which
// differs every time and is not what the agent reads.
func (p *panelVersions) content(html []byte) string {
	var h maphash.Hash
	h.SetSeed(p.seed)
	const attr = `data-fetched-at="`
	if i := bytes.Index(html, []byte(attr)); i >= 0 {
		j := i + len(attr)
		j += bytes.IndexByte(html[j:], '"') + 1
		h.Write(html[:i])
		html = html[j:]
	}
	h.Write(html)
	return strconv.FormatUint(h.Sum64()|1<<63, 16) // always 16 digits
}

// issue is the version of a panel rendered for data, whose bytes hash to
// content, under the request's stamp; with no stamp the version names the
// content only, and never takes the fast path.
func (p *panelVersions) issue(stamp []byte, data appcontext.Context, content string) string {
	contact, _ := data.Customer()
	v := version{account: data.Conversation.AccountID, conversation: data.Conversation.ID, contact: contact.ID, content: content}
	mac := "-"
	if stamp != nil {
		mac = p.mac(stamp, v)
	}
	return "p1." + strconv.FormatInt(v.account, 10) + "." + strconv.FormatInt(v.conversation, 10) + "." +
		strconv.FormatInt(v.contact, 10) + "." + content + "." + mac
}
