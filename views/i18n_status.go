package views

// statusCatalog holds the status page's strings. It is merged into the
// catalog at start, so that the page's texts live beside the page.
var statusCatalog = map[string]translation{
	"status.title":        {"Shop data deliveries", "عمليات تسليم بيانات المتجر"},
	"status.intro":        {"What each shop platform sent to dashapp. Only the topic, the ids and the outcome are kept, never the data itself.", "ما أرسلته كل منصة متجر إلى dashapp. لا يُحفظ إلا الموضوع والمعرّفات والنتيجة، ولا تُحفظ البيانات نفسها أبدًا."},
	"status.disabled":     {"Not enabled: set %s.", "غير مفعّل: اضبط \u2066%s\u2069."},
	"status.none":         {"None yet", "لا شيء بعد"},
	"status.caption":      {"Last deliveries", "آخر عمليات التسليم"},
	"status.lastAccepted": {"Last accepted", "آخر تسليم مقبول"},
	"status.lastRefused":  {"Last refused", "آخر تسليم مرفوض"},
	"status.audit":        {"Audit trail", "سجل التدقيق"},
	"status.col.when":     {"When", "الوقت"},
	"status.col.topic":    {"Topic", "الموضوع"},
	"status.col.delivery": {"Delivery ID", "معرّف التسليم"},
	"status.col.outcome":  {"Outcome", "النتيجة"},
	"status.col.reason":   {"Why", "السبب"},
	"status.col.records":  {"Records", "السجلات"},

	// Delivery outcomes (shop.Outcome*), as badges; "badge.failed" is the
	// payment status's and reads the same.
	"badge.accepted":  {"Accepted", "مقبول"},
	"badge.duplicate": {"Duplicate", "مكرر"},
	"badge.ignored":   {"Ignored", "متجاهَل"},
	"badge.refused":   {"Refused", "مرفوض"},
	"badge.malformed": {"Malformed", "غير صالح"},

	// Sources (shop.Source*).
	"source.shopify":     {"Shopify", "Shopify"},
	"source.woocommerce": {"WooCommerce", "WooCommerce"},
	"source.salla":       {"Salla", "سلة"},
	"source.zid":         {"Zid", "زد"},
	"source.api":         {"Ingest API", "واجهة الإدخال البرمجية"},
	"source.csv":         {"CSV import", "استيراد CSV"},
}

func init() { addToCatalog(statusCatalog) }
