package views

import (
	"time"

	"dashapp/db/shop"
)

// actionsCatalog holds the texts of the panel's actions (link, note,
// reply, order attribute), merged into the catalog at start.
var actionsCatalog = map[string]translation{
	"actions.hint":            {"Actions (link the customer, add a private note) are off: set DASHAPP_BEVATEL_URL and DASHAPP_BEVATEL_TOKEN to enable them.", "الإجراءات (ربط العميل، إضافة ملاحظة خاصة) متوقفة: اضبط \u2066DASHAPP_BEVATEL_URL\u2069 و\u2066DASHAPP_BEVATEL_TOKEN\u2069 لتفعيلها."},
	"actions.link":            {"This is the customer", "هذا هو العميل"},
	"actions.unlink":          {"Unlink this customer", "إلغاء ربط هذا العميل"},
	"actions.linked":          {"Linked: this contact now matches this customer everywhere.", "تم الربط: صارت جهة الاتصال هذه تطابق هذا العميل في كل مكان."},
	"actions.unlinked":        {"Unlinked.", "تم إلغاء الربط."},
	"actions.moveAsk":         {"This customer is linked to another contact (#%s). Move the link to this contact?", "هذا العميل مرتبط بجهة اتصال أخرى (#%s). هل تنقل الربط إلى جهة الاتصال هذه؟"},
	"actions.move":            {"Move the link here", "انقل الربط إلى هنا"},
	"actions.note":            {"Add as private note", "أضف كملاحظة خاصة"},
	"actions.noteTitle":       {"Private note about order %s", "ملاحظة خاصة عن الطلب %s"},
	"actions.noteText":        {"Text of the note (you may edit it)", "نص الملاحظة (يمكنك تعديله)"},
	"actions.notePost":        {"Post private note", "انشر الملاحظة الخاصة"},
	"actions.noteAgain":       {"Add it again", "أضفها مرة أخرى"},
	"actions.recent":          {"This order was already added to this conversation at %s (%s minutes ago). Add it again?", "سبق أن أُضيف هذا الطلب إلى هذه المحادثة في %s (قبل %s دقيقة). هل تضيفه مرة أخرى؟"},
	"actions.noteDone":        {"Private note added (message #%s).", "أُضيفت الملاحظة الخاصة (الرسالة رقم %s)."},
	"actions.reply":           {"Send to the customer", "أرسل إلى العميل"},
	"actions.replyWarn":       {"The customer will receive this message.", "سيتلقى العميل هذه الرسالة."},
	"actions.replyDone":       {"Message sent to the customer (message #%s).", "أُرسلت الرسالة إلى العميل (الرسالة رقم %s)."},
	"actions.attribute":       {"Set as the conversation's order", "اجعله طلب المحادثة"},
	"actions.attributeDone":   {"The conversation's order_number is now %s.", "صار \u2066order_number\u2069 للمحادثة الآن %s."},
	"actions.failed":          {"Not done: %s", "لم يتم: %s"},
	"actions.localOnly":       {"Done in dashapp, not in Bevatel: %s", "تم في dashapp وليس في Bevatel: %s"},
	"actions.cancel":          {"Cancel", "إلغاء"},
	"actions.unverifiedAgent": {"The note names the agent as the dashboard reports it.", "تذكر الملاحظة اسم الموظف كما تنقله لوحة التحكم."},

	// Failures, by outcome code.
	"actions.err.unauthorized":       {"Bevatel refused dashapp's API token (401). Check DASHAPP_BEVATEL_TOKEN.", "رفضت Bevatel رمز واجهة dashapp البرمجية (401). تحقق من \u2066DASHAPP_BEVATEL_TOKEN\u2069."},
	"actions.err.not_found":          {"Bevatel does not know this conversation or contact (404).", "لا تعرف Bevatel هذه المحادثة أو جهة الاتصال (404)."},
	"actions.err.unprocessable":      {"Bevatel refused the request (422).", "رفضت Bevatel الطلب (422)."},
	"actions.err.timeout":            {"Bevatel did not answer in time: the action may have been done. Check the conversation before trying again.", "لم تُجب Bevatel في الوقت المحدد: ربما نُفِّذ الإجراء. تحقق من المحادثة قبل إعادة المحاولة."},
	"actions.err.unavailable":        {"Bevatel failed (5xx). Try again in a moment.", "تعطلت Bevatel (5xx). حاول مجددًا بعد قليل."},
	"actions.err.linked_elsewhere":   {"This customer is linked to another contact.", "هذا العميل مرتبط بجهة اتصال أخرى."},
	"actions.err.customer_not_found": {"This customer is no longer in the shop data.", "لم يعد هذا العميل موجودًا في بيانات المتجر."},
	"actions.err.network":            {"Bevatel could not be reached. Try again in a moment.", "تعذّر الوصول إلى Bevatel. حاول مجددًا بعد قليل."},
	"actions.err.other":              {"Something went wrong; it was recorded in the audit trail.", "حدث خطأ ما؛ وقد سُجِّل في سجل التدقيق."},

	"problem.bad_action.title":  {"This action cannot be done", "لا يمكن تنفيذ هذا الإجراء"},
	"problem.bad_action.detail": {"The request lacks the conversation, the contact, the customer or the order, or the text is empty or too long. Refresh the panel and try again.", "ينقص الطلب المحادثة أو جهة الاتصال أو العميل أو الطلب، أو النص فارغ أو طويل جدًا. حدّث اللوحة وحاول مجددًا."},

	// The note's own text.
	"note.head":     {"Order %s", "الطلب %s"},
	"note.status":   {"Status: %s", "الحالة: %s"},
	"note.placed":   {"Placed: %s", "تاريخ الطلب: %s"},
	"note.items":    {"Items:", "المنتجات:"},
	"note.total":    {"Total: %s", "الإجمالي: %s"},
	"note.shipment": {"Shipment: %s", "الشحنة: %s"},
	"note.tracking": {"Tracking: %s", "التتبع: %s"},
	"note.by":       {"Added by %s from dashapp", "أضافها %s من dashapp"},

	// The audit trail on the status page.
	"audit.title":       {"Actions from the panel", "الإجراءات من اللوحة"},
	"audit.none":        {"No actions yet", "لا إجراءات بعد"},
	"audit.caption":     {"Latest actions, newest first; the agent's name is as the dashboard claimed it", "أحدث الإجراءات، الأحدث أولًا؛ اسم الموظف كما ادّعته لوحة التحكم"},
	"audit.col.agent":   {"Agent (claimed)", "الموظف (كما ادُّعي)"},
	"audit.col.conv":    {"Conversation", "المحادثة"},
	"audit.col.contact": {"Contact", "جهة الاتصال"},
	"audit.col.action":  {"Action", "الإجراء"},
	"audit.col.target":  {"Target", "الهدف"},
	"audit.col.message": {"Message", "الرسالة"},
}

func init() { addToCatalog(actionsCatalog) }

// MoneyText formats an amount as the panel shows it, for the note's text.
func MoneyText(lang string, m shop.Money) string { return formatMoney(lang, m) }

// DateTimeText formats a time as the panel shows it, in loc.
func DateTimeText(lang string, t time.Time, loc *time.Location) string {
	return formatDateTime(lang, t, loc)
}

// StatusText is a status as the panel's badges name it, for the note's text.
func StatusText(lang, status string) string { return tOr(lang, "badge."+status, humanize(status)) }
