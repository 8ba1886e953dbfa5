package views

// searchCatalog holds the customer search's and the mentions' strings,
// merged into the catalog at start like statusCatalog.
var searchCatalog = map[string]translation{
	"search.label":     {"Find a customer", "ابحث عن عميل"},
	"search.submit":    {"Search", "بحث"},
	"search.hint":      {"Order number, email, phone, customer ref or the start of a name.", "رقم الطلب أو البريد الإلكتروني أو الهاتف أو مرجع العميل أو بداية الاسم."},
	"search.prompt":    {"Matching did not pick one customer: search by order number, email, phone, customer ref or the start of the name.", "لم تحدد المطابقة عميلًا واحدًا: ابحث برقم الطلب أو البريد الإلكتروني أو الهاتف أو مرجع العميل أو بداية الاسم."},
	"search.results":   {"Customers found", "العملاء الذين تم العثور عليهم"},
	"search.tooShort":  {"Type at least 2 characters.", "اكتب حرفين على الأقل."},
	"search.none":      {"No customer matches “%s”.", "لا يوجد عميل يطابق «%s»."},
	"search.more":      {"Only the first %d are shown: more customers match. Refine the search.", "تُعرض أول %d نتائج فقط: هناك عملاء آخرون مطابقون. حسّن البحث."},
	"search.open":      {"Show", "عرض"},
	"search.openNamed": {"Show %s", "عرض %s"},
	"search.chosen":    {"You chose this customer; matching did not link them to the contact.", "اخترت هذا العميل؛ لم تربطه المطابقة بجهة الاتصال."},
	"search.back":      {"Back to the contact", "العودة إلى جهة الاتصال"},

	"mentions.title":   {"Mentioned in this conversation", "مذكور في هذه المحادثة"},
	"mentions.belongs": {"belongs to", "يخص"},

	"problem.bad_search.title":     {"Search too long", "البحث طويل جدًا"},
	"problem.bad_search.detail":    {"Search for at most 100 characters.", "ابحث بما لا يزيد على 100 حرف."},
	"problem.customer_gone.title":  {"Customer not found", "لم يتم العثور على العميل"},
	"problem.customer_gone.detail": {"This customer is no longer in the shop's data. Search again.", "لم يعد هذا العميل موجودًا في بيانات المتجر. ابحث مجددًا."},
}

func init() { addToCatalog(searchCatalog) }
