package views

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The interface languages. Anything else falls back to English.
const (
	English = "en"
	Arabic  = "ar"
)

// NormalizeLang maps a language tag ("ar-SA", "AR", "ar_AE") to one of the
// interface languages: "ar" for any Arabic, "en" for everything else.
func NormalizeLang(s string) string {
	if s == English || s == Arabic { // already normal: what every view passes on
		return s
	}
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	base, _, _ = strings.Cut(base, "_")
	if base == Arabic {
		return Arabic
	}
	return English
}

// Dir is the writing direction of an interface language.
func Dir(lang string) string {
	if NormalizeLang(lang) == Arabic {
		return "rtl"
	}
	return "ltr"
}

// printers format numbers per language. Arabic uses Latin digits
// (ar-u-nu-latn): CLDR's default for "ar" is Arabic-Indic digits, but Saudi
// and Gulf agents read Latin digits in business tools, and order numbers,
// card digits and phone numbers next to the amounts are Latin anyway.
var numberTags = map[string]language.Tag{
	English: language.English,
	Arabic:  language.MustParse("ar-u-nu-latn"),
}

var printers = map[string]*message.Printer{
	English: message.NewPrinter(numberTags[English]),
	Arabic:  message.NewPrinter(numberTags[Arabic]),
}

func printer(lang string) *message.Printer {
	return printers[NormalizeLang(lang)]
}

// T returns the interface string for key in lang. An unknown key is
// returned as is, so that a missing translation shows up on screen and in
// tests instead of as an empty space.
func T(lang, key string) string {
	if s, ok := lookup(lang, key); ok {
		return s
	}
	return key
}

// Tf is T with fmt-style arguments, formatted for lang.
func Tf(lang, key string, args ...any) string {
	return printer(lang).Sprintf(T(lang, key), args...)
}

// tOr is T for keys built from data (a status, a payment method): an
// unknown value shows as itself rather than as a catalog key.
func tOr(lang, key, fallback string) string {
	if s, ok := lookup(lang, key); ok {
		return s
	}
	return fallback
}

func lookup(lang, key string) (string, bool) {
	m, ok := catalog[key]
	if !ok {
		return "", false
	}
	if NormalizeLang(lang) == Arabic {
		return m.ar, true
	}
	return m.en, true
}

type translation struct{ en, ar string }

// addToCatalog merges a feature's own strings (i18n_<feature>.go) into the
// catalog at start, so that a fork deletes a feature's texts with its file.
// A key defined twice is a programming error, caught at start.
func addToCatalog(texts map[string]translation) {
	for key, t := range texts {
		if _, dup := catalog[key]; dup {
			panic("views: catalog key " + key + " is defined twice")
		}
		catalog[key] = t
	}
}

// catalog holds every interface string. Sentences are whole entries, never
// assembled from fragments, because Arabic word order and agreement differ.
var catalog = map[string]translation{
	// Page chrome and states.
	"app.title":         {"Customer", "العميل"},
	"app.refresh":       {"Refresh", "تحديث"},
	"tab.explorer":      {"Explorer", "المستكشف"},
	"app.dev":           {"Development mode: unauthenticated — set DASHAPP_KEY before production", "وضع التطوير: بلا مصادقة — اضبط DASHAPP_KEY قبل التشغيل الفعلي"},
	"app.loading":       {"Loading customer…", "جارٍ تحميل بيانات العميل…"},
	"waiting.title":     {"Waiting for the dashboard", "بانتظار لوحة التحكم"},
	"waiting.body":      {"This app gets the conversation's contact from the Bevatel dashboard. Open it from a conversation in Bevatel, or refresh to ask again.", "يحصل هذا التطبيق على جهة الاتصال الخاصة بالمحادثة من لوحة تحكم Bevatel. افتحه من داخل محادثة في Bevatel، أو اضغط «تحديث» لطلبها مجددًا."},
	"waiting.simulator": {"Open the host simulator", "افتح محاكي المضيف"},
	"offline.title":     {"Could not reach dashapp", "تعذّر الوصول إلى dashapp"},
	"offline.body":      {"Check the connection, then try again.", "تحقّق من الاتصال، ثم أعد المحاولة."},
	"problem.title":     {"Something went wrong", "حدث خطأ ما"},
	"problem.status":    {"Error %d", "خطأ %d"},
	"action.retry":      {"Try again", "إعادة المحاولة"},
	"action.reload":     {"Reload", "إعادة تحميل الصفحة"},

	// Problems: the handlers' errors, each a key+".title" and key+".detail".
	// Technical fragments in the Arabic (?key=…, URLs, header names) sit
	// between LRI and PDI (\u2066 … \u2069) so that they read left to right.
	"problem.internal.title":             {"Something went wrong", "حدث خطأ ما"},
	"problem.internal.detail":            {"dashapp could not answer. The error was logged; try again.", "تعذّر على dashapp الاستجابة. سُجّل الخطأ؛ يُرجى إعادة المحاولة."},
	"problem.not_found.title":            {"Not found", "غير موجود"},
	"problem.not_found.detail":           {"There is nothing at this address.", "لا يوجد شيء على هذا العنوان."},
	"problem.method_not_allowed.title":   {"Method not allowed", "الطريقة غير مسموح بها"},
	"problem.method_not_allowed.detail":  {"This address does not accept this kind of request.", "لا يقبل هذا العنوان هذا النوع من الطلبات."},
	"problem.bad_request.title":          {"The request could not be handled", "تعذّرت معالجة الطلب"},
	"problem.bad_request.detail":         {"dashapp did not accept this request.", "لم يقبل dashapp هذا الطلب."},
	"problem.too_large.title":            {"The request is too large", "حجم الطلب كبير جدًا"},
	"problem.too_large.detail":           {"dashapp does not accept a request this large.", "لا يقبل dashapp طلبًا بهذا الحجم."},
	"problem.body_too_large.title":       {"The request is too large", "حجم الطلب كبير جدًا"},
	"problem.body_too_large.detail":      {"The dashboard's message is %d KB; dashapp accepts at most %d KB.", "حجم رسالة لوحة التحكم %d كيلوبايت، والحد الأقصى الذي يقبله dashapp هو %d كيلوبايت."},
	"problem.too_many_requests.title":    {"Too many requests", "طلبات كثيرة جدًا"},
	"problem.too_many_requests.detail":   {"Wait a moment and try again.", "انتظر قليلًا ثم أعد المحاولة."},
	"problem.rate_limited.address.title": {"Too many requests", "طلبات كثيرة جدًا"},
	"problem.rate_limited.address.detail": {"This address sent more requests than dashapp accepts (%g a second). Wait %d s and try again.",
		"أرسل هذا العنوان طلبات أكثر مما يقبله dashapp (الحد %g طلب في الثانية). أعد المحاولة بعد %d ثانية."},
	"problem.rate_limited.session.title": {"Too many requests", "طلبات كثيرة جدًا"},
	"problem.rate_limited.session.detail": {"This session sent more requests than dashapp accepts (%g a second). Wait %d s and try again.",
		"أرسلت هذه الجلسة طلبات أكثر مما يقبله dashapp (الحد %g طلب في الثانية). أعد المحاولة بعد %d ثانية."},
	"problem.key_required.title": {"Access key required", "مفتاح الوصول مطلوب"},
	"problem.key_required.detail": {"This app's address is missing its key or the key is wrong: ask your Bevatel admin to check the dashboard app's URL registered in Bevatel, which ends in ?key=….",
		"عنوان هذا التطبيق ينقصه المفتاح أو المفتاح خاطئ: اطلب من مسؤول Bevatel لديك التحقق من رابط تطبيق لوحة التحكم المسجّل في Bevatel، والذي ينتهي بـ \u2066?key=…\u2069."},
	"problem.session_missing.title": {"Session required", "الجلسة مطلوبة"},
	"problem.session_missing.detail": {"This request carries no valid session. Reload the dashboard so the app opens again from the URL registered in Bevatel, which carries ?key=….",
		"لا يحمل هذا الطلب جلسة صالحة. أعد تحميل لوحة التحكم ليُفتح التطبيق من جديد من الرابط المسجّل في Bevatel، وهو يتضمن \u2066?key=…\u2069."},
	"problem.session_expired.title": {"Session expired", "انتهت الجلسة"},
	"problem.session_expired.detail": {"The app's session expired. Switch to another conversation and back, or reload the dashboard.",
		"انتهت جلسة التطبيق. انتقل إلى محادثة أخرى ثم عُد إليها، أو أعد تحميل لوحة التحكم."},
	"problem.not_granted.title": {"Not this panel's customer", "العميل لا يخص هذه اللوحة"},
	"problem.not_granted.detail": {"This link to more history was not issued to this panel. Refresh the panel to load the customer again.",
		"رابط عرض المزيد من السجل هذا لم يُصدَر لهذه اللوحة. اضغط «تحديث» لتحميل بيانات العميل من جديد."},
	"problem.not_verified.title": {"The context could not be verified", "تعذّر التحقق من سياق المحادثة"},
	"problem.not_verified.detail": {"Bevatel does not confirm that conversation %s is contact %s's, so dashapp shows no customer data.",
		"لم تؤكد Bevatel أن المحادثة %s تخص جهة الاتصال %s، لذلك لا يعرض dashapp أي بيانات للعميل."},
	"problem.verify_unavailable.title": {"The context could not be verified", "تعذّر التحقق من سياق المحادثة"},
	"problem.verify_unavailable.detail": {"dashapp could not ask Bevatel whether this conversation is the contact's, so it shows no customer data. Try again in a moment.",
		"تعذّر على dashapp التأكد من Bevatel أن هذه المحادثة تخص جهة الاتصال، لذلك لا يعرض أي بيانات للعميل. أعد المحاولة بعد قليل."},
	"problem.unverified.title": {"Unverified context", "سياق غير موثَّق"},
	"problem.unverified.detail": {"Bevatel could not be asked whether this conversation is the contact's: the data below is shown unverified.",
		"تعذّر التأكد من Bevatel أن هذه المحادثة تخص جهة الاتصال: البيانات أدناه معروضة دون تحقق."},
	"problem.bad_message.title": {"The dashboard's message could not be read", "تعذّرت قراءة رسالة لوحة التحكم"},
	"problem.bad_message.detail": {"Try again; if this keeps happening, pass this detail to your administrator: %s",
		"أعد المحاولة؛ وإن تكرر ذلك فأرسل هذه التفاصيل إلى مسؤول النظام: %s"},
	"problem.bad_customer.title":   {"Unknown customer", "عميل غير معروف"},
	"problem.bad_customer.detail":  {"The customer id in the address must be a positive number.", "يجب أن يكون معرّف العميل في العنوان رقمًا موجبًا."},
	"problem.bad_cursor.title":     {"Cannot load more", "تعذّر تحميل المزيد"},
	"problem.bad_cursor.detail":    {"The page cursor is not valid; refresh the panel.", "مؤشر الصفحة غير صالح؛ اضغط «تحديث» لإعادة تحميل اللوحة."},
	"problem.simulator_host.title": {"Open the simulator on localhost", "افتح المحاكي على localhost"},
	"problem.simulator_host.detail": {"The simulator frames the app on its other loopback name; open http://localhost:%s/simulator or http://127.0.0.1:%s/simulator.",
		"يعرض المحاكي التطبيق في إطار عبر اسم الاسترجاع (loopback) الآخر؛ افتح \u2066http://localhost:%s/simulator\u2069 أو \u2066http://127.0.0.1:%s/simulator\u2069."},
	"problem.simulator_no_customer.title":  {"No customer to forge", "لا يوجد عميل لانتحال سياقه"},
	"problem.simulator_no_customer.detail": {"The rogue sender needs at least two customers in the database.", "يحتاج المُرسِل المخادع إلى عميلين على الأقل في قاعدة البيانات."},
	"problem.event_no_session.title":       {"No page session", "لا توجد جلسة للصفحة"},
	"problem.event_no_session.detail":      {"POST /explorer/events needs the %s header the bridge sends.", "يحتاج \u2066POST /explorer/events\u2069 إلى الترويسة %s التي يرسلها الجسر."},
	"problem.explorer_no_session.title":    {"No page session", "لا توجد جلسة للصفحة"},
	"problem.explorer_no_session.detail":   {"The explorer shows the messages of one page; reload the app.", "يعرض المستكشف رسائل صفحة واحدة؛ أعد تحميل التطبيق."},
	"problem.event_too_large.title":        {"The events are too large", "حجم الأحداث كبير جدًا"},
	"problem.event_too_large.detail":       {"A batch of explorer events is at most %d bytes.", "الحد الأقصى لحجم دفعة أحداث المستكشف %d بايت."},
	"problem.event_unreadable.title":       {"The events could not be read", "تعذّرت قراءة الأحداث"},
	"problem.event_unreadable.detail":      {"Send a JSON array of the events the bridge reports: %s", "أرسل مصفوفة JSON بالأحداث التي يبلّغ عنها الجسر: %s"},
	"problem.event_batch_size.title":       {"Wrong number of events", "عدد الأحداث غير صحيح"},
	"problem.event_batch_size.detail":      {"A batch holds 1 to %d events; it held %d.", "تحوي الدفعة من 1 إلى %d حدثًا؛ وقد احتوت %d."},
	"problem.event_no_reason.title":        {"The event has no reason", "الحدث بلا سبب"},
	"problem.event_no_reason.detail":       {"Only ignored messages are reported here; accepted ones arrive through POST /context.", "لا يُبلَّغ هنا إلا عن الرسائل المتجاهَلة؛ أما المقبولة فتصل عبر \u2066POST /context\u2069."},

	// Contact card.
	"contact.label":      {"Bevatel contact", "جهة الاتصال في Bevatel"},
	"contact.unknown":    {"Unknown contact", "جهة اتصال غير معروفة"},
	"contact.fromSender": {"Contact not loaded yet; showing the conversation's sender", "لم تُحمَّل جهة الاتصال بعد؛ تُعرض بيانات مُرسِل المحادثة"},
	"contact.social":     {"Social profiles", "الحسابات الاجتماعية"},
	"contact.attributes": {"Attributes", "السمات"},
	"customer.label":     {"Shop customer", "عميل المتجر"},
	"customer.unnamed":   {"Unnamed customer", "عميل بلا اسم"},
	"link.newTab":        {"(opens in a new tab)", "(يُفتح في علامة تبويب جديدة)"},

	// Fields; the match keys use their shop.MatchKey names.
	"field.contact_id": {"Contact ID", "معرّف جهة الاتصال"},
	"field.identifier": {"Identifier", "المعرّف"},
	"field.email":      {"Email", "البريد الإلكتروني"},
	"field.phone":      {"Phone", "الهاتف"},
	"field.company":    {"Company", "الشركة"},
	"field.ref":        {"Customer ref", "مرجع العميل"},
	"field.since":      {"Customer since", "عميل منذ"},

	// Match outcome, one sentence per key.
	"matched.contact_id":   {"Matched by contact ID", "تمت المطابقة بمعرّف جهة الاتصال"},
	"matched.identifier":   {"Matched by identifier", "تمت المطابقة بالمعرّف"},
	"matched.email":        {"Matched by email", "تمت المطابقة بالبريد الإلكتروني"},
	"matched.phone":        {"Matched by phone", "تمت المطابقة برقم الهاتف"},
	"ambiguous.title":      {"More than one customer matches", "أكثر من عميل مطابق"},
	"ambiguous.contact_id": {"%d customers share this contact ID; none was picked.", "%d من العملاء يشتركون في معرّف جهة الاتصال نفسه؛ لم يُختر أيٌّ منهم."},
	"ambiguous.identifier": {"%d customers share this identifier; none was picked.", "%d من العملاء يشتركون في المعرّف نفسه؛ لم يُختر أيٌّ منهم."},
	"ambiguous.email":      {"%d customers share this email; none was picked.", "%d من العملاء يشتركون في البريد الإلكتروني نفسه؛ لم يُختر أيٌّ منهم."},
	"ambiguous.phone":      {"%d customers share this phone; none was picked.", "%d من العملاء يشتركون في رقم الهاتف نفسه؛ لم يُختر أيٌّ منهم."},
	"ambiguous.other":      {"%d customers match; none was picked.", "%d من العملاء مطابقون؛ لم يُختر أيٌّ منهم."},
	"ambiguous.hint":       {"Add the customer's identifier or contact ID to the Bevatel contact so that only one customer matches.", "أضف معرّف العميل أو معرّف جهة الاتصال إلى جهة الاتصال في Bevatel ليطابقها عميل واحد فقط."},
	"nomatch.title":        {"No customer found", "لم يتم العثور على عميل"},
	"nomatch.searched":     {"Searched for:", "تم البحث عن:"},
	"nomatch.nothing":      {"The contact has no contact ID, identifier, email or phone to search for.", "لا تحتوي جهة الاتصال على معرّف جهة اتصال أو معرّف أو بريد إلكتروني أو رقم هاتف للبحث به."},

	// The customer ref key: the contact's shop_customer_ref attribute, tried first.
	"field.customer_ref":     {"Linked customer ref", "مرجع العميل المرتبط"},
	"matched.customer_ref":   {"Matched by the linked customer ref", "تمت المطابقة بمرجع العميل المرتبط"},
	"ambiguous.customer_ref": {"%d customers share this customer ref; none was picked.", "%d من العملاء يشتركون في مرجع العميل نفسه؛ لم يُختر أيٌّ منهم."},

	// Summary.
	"summary.title":    {"Summary", "الملخص"},
	"summary.lifetime": {"Lifetime spend", "إجمالي الإنفاق"},
	"summary.orders":   {"Orders", "عدد الطلبات"},
	"summary.last":     {"Last order", "آخر طلب"},
	"summary.refunds":  {"Refunds", "المبالغ المستردة"},
	"summary.failed":   {"Failed payments", "مدفوعات فاشلة"},

	// Tables.
	"orders.title":     {"Orders", "الطلبات"},
	"orders.caption":   {"Orders, newest first", "الطلبات، الأحدث أولًا"},
	"orders.empty":     {"No orders yet", "لا توجد طلبات بعد"},
	"orders.more":      {"Load more orders", "تحميل المزيد من الطلبات"},
	"payments.title":   {"Payments", "المدفوعات"},
	"payments.caption": {"Payments, newest first", "المدفوعات، الأحدث أولًا"},
	"payments.empty":   {"No payments yet", "لا توجد مدفوعات بعد"},
	"payments.more":    {"Load more payments", "تحميل المزيد من المدفوعات"},
	"payments.loading": {"Loading payments…", "جارٍ تحميل المدفوعات…"},
	"col.order":        {"Order", "الطلب"},
	"col.date":         {"Date", "التاريخ"},
	"col.status":       {"Status", "الحالة"},
	"col.items":        {"Items", "القطع"},
	"col.total":        {"Total", "الإجمالي"},
	"col.kind":         {"Type", "النوع"},
	"col.method":       {"Method", "طريقة الدفع"},
	"col.amount":       {"Amount", "المبلغ"},

	// Badges: order statuses, payment statuses and payment kinds.
	"badge.pending":            {"Pending", "قيد الانتظار"},
	"badge.paid":               {"Paid", "مدفوع"},
	"badge.shipped":            {"Shipped", "تم الشحن"},
	"badge.delivered":          {"Delivered", "تم التوصيل"},
	"badge.cancelled":          {"Cancelled", "ملغى"},
	"badge.refunded":           {"Refunded", "مُسترد"},
	"badge.on_hold":            {"On hold", "معلّق"},
	"badge.partially_refunded": {"Partially refunded", "مُسترد جزئيًا"},
	"badge.returned":           {"Returned", "مُرتجع"},
	"badge.succeeded":          {"Succeeded", "ناجح"},
	"badge.failed":             {"Failed", "فاشل"},
	"badge.charge":             {"Charge", "دفعة"},
	"badge.refund":             {"Refund", "استرداد"},

	// Payment methods the demo shop knows; others show their own name.
	"method.card":             {"Card", "بطاقة"},
	"method.mada":             {"mada", "مدى"},
	"method.apple_pay":        {"Apple Pay", "Apple Pay"},
	"method.stc_pay":          {"STC Pay", "STC Pay"},
	"method.bank_transfer":    {"Bank transfer", "تحويل بنكي"},
	"method.cash_on_delivery": {"Cash on delivery", "الدفع عند الاستلام"},
	"brand.visa":              {"Visa", "Visa"},
	"brand.mastercard":        {"Mastercard", "Mastercard"},
	"brand.amex":              {"Amex", "Amex"},
	"brand.mada":              {"mada", "مدى"},

	// Payload explorer. Codes (reasons, finding kinds, diff ops) stay in
	// data attributes; the text says what they mean.
	"explorer.log":                {"Messages received by this page", "الرسائل التي استقبلتها هذه الصفحة"},
	"explorer.empty":              {"Nothing yet: messages appear here as the dashboard posts them.", "لا شيء بعد: تظهر الرسائل هنا عندما ترسلها لوحة التحكم."},
	"explorer.col.time":           {"Time (UTC)", "الوقت (UTC)"},
	"explorer.col.origin":         {"Origin", "المصدر"},
	"explorer.col.size":           {"Size", "الحجم"},
	"explorer.col.status":         {"Status", "الحالة"},
	"explorer.col.actions":        {"Actions", "الإجراءات"},
	"explorer.bytes":              {"%d B", "%d بايت"},
	"explorer.inspect":            {"Inspect", "فحص"},
	"explorer.acceptedString":     {"Accepted (JSON string)", "مقبولة (نص JSON)"},
	"explorer.acceptedObject":     {"Accepted (object)", "مقبولة (كائن)"},
	"explorer.ignored":            {"Ignored: %s", "تم تجاهلها: %s"},
	"explorer.reason.not-parent":  {"Ignored: not sent by the parent frame (not-parent)", "تم تجاهلها: لم ترسلها الصفحة الأم (not-parent)"},
	"explorer.reason.origin":      {"Ignored: origin not allowed (origin)", "تم تجاهلها: المصدر غير مسموح به (origin)"},
	"explorer.reason.not-json":    {"Ignored: not JSON (not-json)", "تم تجاهلها: ليست JSON (not-json)"},
	"explorer.reason.event":       {"Ignored: not an appContext event (event)", "تم تجاهلها: ليست حدث appContext (event)"},
	"explorer.detail":             {"appContext #%d", "appContext رقم %d"},
	"explorer.asString":           {"Posted as a JSON string, as the web dashboard does.", "أُرسلت نصَّ JSON، كما تفعل لوحة التحكم على الويب."},
	"explorer.asObject":           {"Posted as an object, as mobile clients do.", "أُرسلت كائنًا، كما تفعل تطبيقات الجوال."},
	"explorer.copy":               {"Copy raw JSON", "نسخ JSON الخام"},
	"explorer.download":           {"Download .json", "تنزيل ملف ‎.json"},
	"explorer.copied":             {"Copied.", "تم النسخ."},
	"explorer.copyRefused":        {"The browser refused the clipboard; open Raw JSON and copy it from there.", "رفض المتصفح الوصول إلى الحافظة؛ افتح JSON الخام وانسخه من هناك."},
	"explorer.raw":                {"Raw JSON", "JSON الخام"},
	"explorer.schema":             {"Schema report", "تقرير المخطط"},
	"explorer.schemaClean":        {"Matches the documented payload.", "تطابق الحمولة الموثّقة."},
	"explorer.schemaFindings":     {"Differences from the documented payload: %d.", "الاختلافات عن الحمولة الموثّقة: %d."},
	"explorer.col.path":           {"Path", "المسار"},
	"explorer.col.finding":        {"Finding", "الملاحظة"},
	"explorer.col.documented":     {"Documented", "الموثّق"},
	"explorer.col.received":       {"Received", "المستلَم"},
	"explorer.col.count":          {"Count", "العدد"},
	"explorer.kind.missing":       {"Missing", "مفقود"},
	"explorer.kind.undocumented":  {"Undocumented", "غير موثّق"},
	"explorer.kind.type_mismatch": {"Other type", "نوع مختلف"},
	"explorer.kind.null":          {"Null", "قيمة null"},
	"explorer.kind.invalid":       {"Not JSON", "ليست JSON"},
	"explorer.changes":            {"Changes", "التغييرات"},
	"explorer.changesSince":       {"Changes since #%d", "التغييرات منذ الرسالة رقم %d"},
	"explorer.diffFirst":          {"The first appContext of this page: nothing to compare with.", "أول appContext في هذه الصفحة: لا شيء للمقارنة به."},
	"explorer.diffSame":           {"Identical to #%d.", "مطابقة للرسالة رقم %d."},
	"explorer.col.change":         {"Change", "التغيير"},
	"explorer.col.before":         {"Before", "قبل"},
	"explorer.col.after":          {"After", "بعد"},
	"explorer.op.added":           {"Added", "أُضيف"},
	"explorer.op.removed":         {"Removed", "أُزيل"},
	"explorer.op.changed":         {"Changed", "تغيّر"},
	"explorer.op.more":            {"More", "المزيد"},
	"explorer.payload":            {"Payload", "الحمولة"},
	"explorer.items":              {"%d items", "العناصر: %d"},
	"explorer.keys":               {"%d keys", "المفاتيح: %d"},
	"explorer.showMore":           {"Show %d more", "عرض المزيد (%d)"},
	"explorer.showAll":            {"Show all %d characters", "عرض كل الأحرف (%d)"},
}
