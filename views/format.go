package views

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/a-h/templ"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"dashapp/db/shop"
)

// numberSymbols are the parts of a locale's number format around its
// grouped digits, which x/text writes.
type numberSymbols struct {
	decimal string // "." in both en and ar-u-nu-latn
	minus   string // "-" in en, LRM + "-" in ar, so the sign stays left of the digits
}

// symbols are read once from x/text: it keeps CLDR's symbol tables
// internal, so we ask its formatter and keep what surrounds the digits.
var symbols = map[string]numberSymbols{
	English: probeSymbols(printers[English]),
	Arabic:  probeSymbols(printers[Arabic]),
}

func probeSymbols(p *message.Printer) numberSymbols {
	one := p.Sprint(number.Decimal(1))
	zero := p.Sprint(number.Decimal(0))
	oneZero := p.Sprint(number.Decimal(1, number.MinFractionDigits(1))) // "1.0"
	return numberSymbols{
		decimal: strings.TrimSuffix(strings.TrimPrefix(oneZero, one), zero),
		minus:   strings.TrimSuffix(p.Sprint(number.Decimal(-1)), one),
	}
}

// currencyFormat is what formatting an amount needs to know about a
// currency; looking it up in CLDR costs more than formatting the amount,
// so it is kept per code (known ISO codes only, so the cache is bounded).
type currencyFormat struct {
	decimals int
	scale    uint64 // 10^decimals
	symbol   map[string]string
}

var currencyFormats sync.Map // ISO code → *currencyFormat

func currencyFormatOf(code string) *currencyFormat {
	if f, ok := currencyFormats.Load(code); ok {
		return f.(*currencyFormat)
	}
	f := &currencyFormat{decimals: 2, symbol: map[string]string{English: code, Arabic: code}} // unknown code: shown as is, as shop.Money.Decimal does
	unit, err := currency.ParseISO(code)
	if err == nil {
		f.decimals, _ = shop.Decimals(code)
		f.symbol[English] = unit.String()
		f.symbol[Arabic] = printers[Arabic].Sprint(currency.Symbol(unit))
	}
	f.scale = 1
	for range f.decimals {
		f.scale *= 10
	}
	if err == nil {
		currencyFormats.Store(code, f)
	}
	return f
}

// formatMoney renders m exactly from its integer minor units: the whole
// part with the locale's grouping, then the fraction padded to the
// currency's decimals. x/text's currency formatter would round through a
// float64, so it is only used for the symbol.
//
// English shows the ISO code before the amount ("SAR 1,234.50", "-SAR
// 20.00"): several currencies share "$", and CLDR's English has no symbol
// for the Gulf currencies anyway. Arabic shows the CLDR Arabic symbol after
// the amount ("1,234.50 ر.س."), the way Gulf shops print prices; in a
// right-to-left line the amount reads first.
func formatMoney(lang string, m shop.Money) string {
	lang = NormalizeLang(lang)
	sym := symbols[lang]
	f := currencyFormatOf(strings.ToUpper(strings.TrimSpace(m.Currency)))
	magnitude := uint64(m.Minor)
	if m.Minor < 0 {
		magnitude = uint64(-m.Minor) // also right for math.MinInt64, whose negation wraps to itself
	}
	b := make([]byte, 0, 48)
	if m.Minor < 0 {
		b = append(b, sym.minus...)
	}
	if lang == English {
		b = append(append(b, f.symbol[lang]...), ' ')
	}
	if whole := magnitude / f.scale; whole < uint64(len(smallNumbers[lang])) {
		b = append(b, smallNumbers[lang][whole]...)
	} else {
		b = appendDecimal(b, lang, whole)
	}
	if f.decimals > 0 {
		b = append(b, sym.decimal...)
		frac := strconv.AppendUint(make([]byte, 0, 20), magnitude%f.scale, 10)
		for range f.decimals - len(frac) {
			b = append(b, '0')
		}
		b = append(b, frac...)
	}
	if lang == Arabic {
		// The symbol is isolate-wrapped (FSI … PDI): a Latin symbol such as
		// "US$" would otherwise render as "$US" in a right-to-left line.
		b = append(append(append(b, " \u2068"...), f.symbol[lang]...), "\u2069"...)
	}
	return string(b)
}

// formatCount renders a count with the locale's grouping.
func formatCount(lang string, n int) string {
	if n >= 0 && n < len(smallNumbers[English]) {
		return smallNumbers[NormalizeLang(lang)][n]
	}
	return string(appendDecimal(nil, lang, n))
}

// smallNumbers are x/text's own renderings of 0 to 999 in each language,
// made once: item counts and most amounts' whole parts are below a
// thousand, and the formatter costs about a microsecond a number.
var smallNumbers = map[string][]string{English: renderSmall(English), Arabic: renderSmall(Arabic)}

func renderSmall(lang string) []string {
	out := make([]string, 1000)
	for i := range out {
		out[i] = string(appendDecimal(nil, lang, i))
	}
	return out
}

// appendDecimal appends n with lang's grouping, as
// printer(lang).Sprint(number.Decimal(n)) writes it. x/text's formatter
// writes into a numberState rather than through a message.Printer: Sprint
// builds a printer and a catalog context per call, which cost as much as
// the formatting itself, and a panel formats some sixty numbers.
func appendDecimal(b []byte, lang string, n any) []byte {
	s := &numberState{buf: b, tag: numberTags[NormalizeLang(lang)]}
	number.Decimal(n).Format(s, 'v')
	return s.buf
}

// numberState is the fmt.State, with a language, that x/text's number
// formatter writes to; it has no width, precision or flags, as in Sprint.
type numberState struct {
	buf []byte
	tag language.Tag
}

func (s *numberState) Write(p []byte) (int, error) { s.buf = append(s.buf, p...); return len(p), nil }
func (s *numberState) Width() (int, bool)          { return 0, false }
func (s *numberState) Precision() (int, bool)      { return 0, false }
func (s *numberState) Flag(int) bool               { return false }
func (s *numberState) Language() language.Tag      { return s.tag }

// arabicMonths are the month names used in Saudi Arabia and the Gulf. A
// table is needed because x/text has no date formatting; Go's time package
// only knows English names.
var arabicMonths = [12]string{"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"}

// formatDateTime renders t in loc: "24 Nov 2026, 14:05" or
// "24 نوفمبر 2026، 14:05". The <time datetime> beside it carries the
// instant and the panel names the zone, so the bridge can re-format it with
// the browser's Intl in the same zone.
func formatDateTime(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if NormalizeLang(lang) == Arabic {
		return fmt.Sprintf("%s، %02d:%02d", formatDate(lang, t, loc), t.Hour(), t.Minute())
	}
	return t.Format("2 Jan 2006, 15:04")
}

// formatDate renders the day of t in loc: "24 Nov 2026" or "24 نوفمبر 2026".
func formatDate(lang string, t time.Time, loc *time.Location) string {
	t = t.In(loc)
	if NormalizeLang(lang) == Arabic {
		return fmt.Sprintf("%d %s %d", t.Day(), arabicMonths[t.Month()-1], t.Year())
	}
	return t.Format("2 Jan 2006")
}

// signedAmount is the amount as the agent should read it: refunds are money
// going back to the customer, so they show as negative whichever sign the
// store recorded.
func signedAmount(r PaymentRow) shop.Money {
	m := r.Amount
	if r.Kind == shop.KindRefund && m.Minor > 0 {
		m.Minor = -m.Minor
	}
	return m
}

// paymentMethod describes how a payment was made: "Visa •••• 4242" for a
// card, "Apple Pay · Mastercard •••• 8431" for a wallet holding a card,
// "Bank transfer" otherwise.
func paymentMethod(lang string, r PaymentRow) string {
	method := tOr(lang, "method."+r.Method, humanize(r.Method))
	if r.CardLast4 == "" {
		return method
	}
	card := "•••• " + r.CardLast4
	if r.CardBrand != "" {
		card = tOr(lang, "brand."+strings.ToLower(r.CardBrand), r.CardBrand) + " " + card
	}
	if r.Method == "" || r.Method == "card" || strings.EqualFold(r.Method, r.CardBrand) {
		return card
	}
	return method + " · " + card
}

// column is a paged table's column: the catalog key of its header, and
// whether it holds numbers (aligned to the end).
type column struct {
	label   string
	numeric bool
}

// tableColumns are the columns of each paged table, in the order its rows
// (OrderRows, PaymentRows) write their cells.
var tableColumns = map[string][]column{
	"orders":   {{"col.order", false}, {"col.date", false}, {"col.status", false}, {"col.items", true}, {"col.total", true}},
	"payments": {{"col.date", false}, {"col.kind", false}, {"col.method", false}, {"col.status", false}, {"col.amount", true}, {"col.order", false}},
}

// moreColumns is how many columns a paged table has: its more-row spans
// them all.
func moreColumns(table string) int { return len(tableColumns[table]) }

// humanize turns an unknown identifier such as "cash_on_delivery" into
// "cash on delivery".
func humanize(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "_", " "))
}

// initials are the avatar placeholder: the first letters of the first and
// last words of a name.
func initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return ""
	}
	first := []rune(words[0])[:1]
	if len(words) == 1 {
		return strings.ToUpper(string(first))
	}
	last := []rune(words[len(words)-1])[:1]
	return strings.ToUpper(string(first) + string(last))
}

// Badge tones; app.css gives each a text and background colour pair with
// at least 4.5:1 contrast in both themes.
const (
	toneNeutral = "neutral"
	toneInfo    = "info"
	toneOK      = "ok"
	toneWarn    = "warn"
	toneBad     = "bad"
	toneAccent  = "accent"
	toneRefund  = "refund"
	toneMuted   = "muted"
)

var badgeTones = map[string]string{
	shop.OrderPending:           toneWarn, // also shop.PaymentPending
	shop.OrderPaid:              toneInfo,
	shop.OrderShipped:           toneAccent,
	shop.OrderDelivered:         toneOK,
	shop.OrderCancelled:         toneMuted,
	shop.OrderRefunded:          toneRefund,
	shop.OrderOnHold:            toneWarn,
	shop.OrderPartiallyRefunded: toneRefund,
	shop.OrderReturned:          toneRefund,
	shop.PaymentSucceeded:       toneOK,
	shop.PaymentFailed:          toneBad,
	shop.KindCharge:             toneNeutral,
	shop.KindRefund:             toneRefund,
}

func badgeTone(status string) string {
	if tone, ok := badgeTones[status]; ok {
		return tone
	}
	return toneNeutral
}

// badgeClasses is each tone's class attribute, built once.
var badgeClasses = func() map[string]templ.OrderedAttributes {
	m := map[string]templ.OrderedAttributes{}
	for _, tone := range []string{toneNeutral, toneInfo, toneOK, toneWarn, toneBad, toneAccent, toneRefund, toneMuted} {
		m[tone] = templ.OrderedAttributes{{Key: "class", Value: "badge tone-" + tone}}
	}
	return m
}()

func badgeClass(status string) templ.OrderedAttributes { return badgeClasses[badgeTone(status)] }

// badgeLabel is a badge's text; an unknown status shows as itself, made
// readable only when it is not in the catalog.
func badgeLabel(lang, status string) string {
	if s, ok := lookup(lang, "badge."+status); ok {
		return s
	}
	return humanize(status)
}

// matchedKeyLabel reads a shop.MatchKey for the agent.
func matchedKeyLabel(lang, key string) string {
	return tOr(lang, "field."+key, humanize(key))
}

// ambiguousKey picks the sentence that explains which key several
// customers share.
func ambiguousKey(matchedBy string) string {
	if _, ok := catalog["ambiguous."+matchedBy]; ok {
		return "ambiguous." + matchedBy
	}
	return "ambiguous.other"
}

// webURL vets a customer-supplied URL for an href or src: only absolute
// http(s) URLs pass. The handler vets them too; the view does not rely on it.
func webURL(s string) (templ.SafeURL, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return templ.SafeURL(u.String()), true
}

// WebURL is webURL for the handlers, which drop links that fail it before
// the view sees them: "" when s is not an absolute http(s) URL.
func WebURL(s string) string {
	u, _ := webURL(s)
	return string(u)
}

// linkLabel names a social profile: its network, else its host.
func linkLabel(l Link) string {
	if label := strings.TrimSpace(l.Label); label != "" {
		return humanize(label)
	}
	if u, err := url.Parse(l.URL); err == nil && u.Host != "" {
		return strings.TrimPrefix(u.Host, "www.")
	}
	return l.URL
}
