package views

// detailCatalog holds the order detail's and the copy buttons' strings,
// merged into the catalog at start like statusCatalog.
var detailCatalog = map[string]translation{
	"detail.toggle":         {"details", "التفاصيل"},
	"detail.order":          {"Order", "الطلب"},
	"detail.copyOrder":      {"Copy order number", "نسخ رقم الطلب"},
	"detail.copyTracking":   {"Copy tracking number", "نسخ رقم التتبع"},
	"detail.platformStatus": {"In the shop:", "في المتجر:"},
	"detail.admin":          {"Open in the shop's admin", "فتح في لوحة إدارة المتجر"},
	"detail.items":          {"Items", "المنتجات"},
	"detail.itemsCaption":   {"Items of order %s", "منتجات الطلب %s"},
	"detail.noItems":        {"The shop sent no items for this order.", "لم يرسل المتجر منتجات لهذا الطلب."},
	"detail.col.item":       {"Item", "المنتج"},
	"detail.col.sku":        {"SKU", "رمز المنتج"},
	"detail.col.quantity":   {"Qty", "الكمية"},
	"detail.col.unitPrice":  {"Unit price", "سعر الوحدة"},
	"detail.col.lineTotal":  {"Line total", "المجموع"},
	"detail.payments":       {"Payments and refunds", "المدفوعات والمبالغ المستردة"},
	"detail.noPayments":     {"No payments recorded for this order.", "لا توجد مدفوعات مسجلة لهذا الطلب."},
	"detail.shipments":      {"Shipments", "الشحنات"},
	"detail.noShipments":    {"Not shipped yet.", "لم يُشحن بعد."},
	"detail.carrierUnknown": {"Carrier not given", "شركة الشحن غير محددة"},
	"detail.trackingNumber": {"Tracking number", "رقم التتبع"},
	"detail.track":          {"Track the parcel", "تتبع الشحنة"},
	"detail.address":        {"Shipping address", "عنوان الشحن"},
	"detail.noAddress":      {"No shipping address.", "لا يوجد عنوان شحن."},

	// Shipment statuses (shop.Shipment*) the order badges do not name.
	"detail.ship.label_created":    {"Label created", "أُنشئت بوليصة الشحن"},
	"detail.ship.in_transit":       {"In transit", "في الطريق"},
	"detail.ship.out_for_delivery": {"Out for delivery", "خرج للتوصيل"},
	"detail.ship.failed":           {"Delivery failed", "تعذّر التوصيل"},

	"copy.button": {"Copy", "نسخ"},
	"copy.done":   {"Copied", "تم النسخ"},
	"copy.manual": {"Press Ctrl+C (⌘C on a Mac) to copy", "اضغط Ctrl+C (أو ⌘C على Mac) للنسخ"},

	"problem.bad_order.title":        {"Unknown order", "طلب غير معروف"},
	"problem.bad_order.detail":       {"The order id in the address must be a positive number.", "يجب أن يكون معرّف الطلب في العنوان رقمًا موجبًا."},
	"problem.order_not_found.title":  {"Order not found", "الطلب غير موجود"},
	"problem.order_not_found.detail": {"This order is not one of this customer's. Refresh the panel to load the customer again.", "هذا الطلب ليس من طلبات هذا العميل. حدّث اللوحة لتحميل العميل من جديد."},
}

func init() { addToCatalog(detailCatalog) }
