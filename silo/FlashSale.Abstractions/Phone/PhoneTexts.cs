using FlashSale.Common;

namespace FlashSale.Phone;

/// <summary>
/// The phone channel's words, in English, Simplified Chinese and Swahili (for Kenyan numbers).
/// Short on purpose: a USSD screen holds 160 characters and an SMS part 160 (70 in Chinese).
/// </summary>
public static class PhoneTexts
{
    public static readonly LocalText Title = new("FlashSale harvest", "丰收闪购", "Mavuno ya FlashSale");
    public static readonly LocalText MenuLive = new("Live lots", "在售", "Zinazouzwa sasa");
    public static readonly LocalText MenuSoon = new("Opening soon", "即将开售", "Zinakuja hivi karibuni");
    public static readonly LocalText MenuCart = new("My cart", "我的购物车", "Kikapu changu");
    public static readonly LocalText MenuOrders = new("My orders", "我的订单", "Oda zangu");

    /// <summary>
    /// The language switch is written in the language it switches to, so a reader of either finds
    /// it: the English menu offers "中文" (or, to a Kenyan number, "Kiswahili"), the Chinese and
    /// Swahili ones "English" (so not a <see cref="LocalText"/> twin).
    /// </summary>
    public const string SwitchToChinese = "中文";

    public const string SwitchToEnglish = "English";

    public const string SwitchToSwahili = "Kiswahili";

    public static readonly LocalText Back = new("Back", "返回", "Rudi");
    public static readonly LocalText More = new("More", "更多", "Zaidi");
    public static readonly LocalText MainMenu = new("Main menu", "主菜单", "Menyu kuu");
    public static readonly LocalText NoLiveLots = new("No lot is on sale now.", "目前没有在售的批次。", "Hakuna bidhaa inayouzwa sasa.");
    public static readonly LocalText NoSoonLots = new("No lot opens soon.", "近期没有即将开售的批次。", "Hakuna bidhaa itakayoanza kuuzwa hivi karibuni.");
    public static readonly LocalText Opens = new("opens {0}", "{0}开售", "itaanza {0}");
    public static readonly LocalText Price = new("Price {0}/{1}", "价格 {0}/{1}", "Bei {0}/{1}");
    public static readonly LocalText Left = new("Left {0} of {1}", "剩余 {0}/{1}", "Zimebaki {0} kati ya {1}");
    public static readonly LocalText Limit = new("Max {0} each", "每人限 {0}", "Kila mtu hadi {0}");
    public static readonly LocalText Queue = new("Queue on", "需排队", "Kuna foleni");
    public static readonly LocalText Hold = new("Hold", "预留", "Hifadhi");
    public static readonly LocalText JoinQueue = new("Join queue", "排队", "Jiunge na foleni");
    public static readonly LocalText NotOnSale = new("Not on sale now ({0}).", "目前不可购买（{0}）。", "Haiuzwi sasa ({0}).");
    public static readonly LocalText HowMany = new("How many {0}? 1-{1}", "要几{0}？1-{1}", "Unataka {0} ngapi? 1-{1}");
    public static readonly LocalText Held = new("Held {0} {1}: {2}, until {3}.", "已预留 {0}{1}：{2}，保留至 {3}。", "Umehifadhi {0} {1}: {2}, hadi {3}.");
    public static readonly LocalText CheckOut = new("Check out", "结账", "Lipa");
    public static readonly LocalText Release = new("Release", "释放", "Achilia");
    public static readonly LocalText Released = new("Released. Nothing is held.", "已释放，没有预留。", "Imeachiliwa. Hakuna kilichohifadhiwa.");
    public static readonly LocalText CartEmpty = new("Your cart is empty.", "购物车是空的。", "Kikapu chako ni tupu.");
    public static readonly LocalText CartTotal = new("Total {0}", "合计 {0}", "Jumla {0}");
    public static readonly LocalText PayHow = new("Pay how? Total {0}", "付款方式？合计 {0}", "Lipa vipi? Jumla {0}");
    public static readonly LocalText OrderPlaced = new("Order {0}: {1}, {2}. SMS follows.", "订单 {0}：{1}，{2}。详情见短信。", "Oda {0}: {1}, {2}. Utapata SMS.");
    public static readonly LocalText NoOrders = new("You have no orders.", "您还没有订单。", "Huna oda yoyote.");
    public static readonly LocalText CancelOrder = new("Cancel order", "取消订单", "Ghairi oda");
    public static readonly LocalText Cancelled = new("Order {0} is cancelled.", "订单 {0} 已取消。", "Oda {0} imeghairiwa.");
    public static readonly LocalText PickupCode = new("Pickup code {0}.", "取货码 {0}。", "Nambari ya kuchukua mzigo {0}.");
    public static readonly LocalText PayBy = new("Pay by {0}.", "请于 {0} 前付款。", "Lipa kabla ya {0}.");
    public static readonly LocalText UnknownChoice = new("Unknown choice. Dial {0} to start again.", "无效选项。请重新拨打 {0}。", "Chaguo si sahihi. Piga {0} kuanza upya.");
    public static readonly LocalText OutOfStep = new("This session is out of step. Dial {0} again.", "会话已失步，请重新拨打 {0}。", "Kipindi hiki kimevurugika. Piga {0} tena.");
    public static readonly LocalText SessionOver = new("This session has ended. Dial {0} again.", "会话已结束，请重新拨打 {0}。", "Kipindi hiki kimekwisha. Piga {0} tena.");
    public static readonly LocalText Suspended = new("This number's account is suspended.", "该号码的账户已被停用。", "Akaunti ya nambari hii imesimamishwa.");
    public static readonly LocalText Busy = new("Busy now, try again shortly.", "系统繁忙，请稍后再试。", "Mfumo una shughuli nyingi, jaribu tena baadaye kidogo.");
    public static readonly LocalText WorkingOnIt = new("Working on it. We will send you an SMS.", "正在处理，稍后短信通知您。", "Tunashughulikia. Tutakutumia SMS.");
    public static readonly LocalText Queued = new("You are in the queue for #{0}, place {1}. Your turn {2}; dial again then.", "您已排队购买 #{0}，第 {1} 位。轮到您：{2}，届时请再拨打。", "Uko kwenye foleni ya #{0}, nafasi ya {1}. Zamu yako {2}; piga tena wakati huo.");
    public static readonly LocalText QueuedAwaitingDraw = new("You are in the queue for #{0}. Places are drawn at {1}; dial again then.", "您已排队购买 #{0}，{1}抽签排位，届时请再拨打。", "Uko kwenye foleni ya #{0}. Nafasi zitapangwa kwa bahati nasibu {1}; piga tena wakati huo.");
    public static readonly LocalText QueueLapsed = new("Your turn in the queue has passed.", "您的排队机会已过期。", "Zamu yako kwenye foleni imepita.");

    // SMS
    public static readonly LocalText SmsHelp = new("FlashSale: BUY <code> <qty>, STATUS, CANCEL <ref>. E.g. BUY 101 2", "丰收闪购：买 <编号> <数量>，状态，取消 <订单号>。例：买 101 2", "FlashSale: NUNUA <nambari> <idadi>, HALI, GHAIRI <kumb>. Mfano: NUNUA 101 2");
    public static readonly LocalText SmsNoSuchCode = new("No lot has code {0}. Send HELP for help.", "没有编号为 {0} 的批次。", "Hakuna bidhaa yenye nambari {0}. Tuma MSAADA upate msaada.");
    public static readonly LocalText SmsOrder = new("Order {0}: {1}, {2}, {3}.", "订单 {0}：{1}，{2}，{3}。", "Oda {0}: {1}, {2}, {3}.");
    public static readonly LocalText SmsHeld = new("Held {0} x{1} until {2}. Dial {3}, My cart, to check out.", "已预留 {0} x{1}，保留至 {2}。请拨 {3} 进入购物车结账。", "Umehifadhi {0} x{1} hadi {2}. Piga {3}, Kikapu changu, ili kulipa.");
    public static readonly LocalText SmsNoOpenOrders = new("You have no open orders.", "您没有进行中的订单。", "Huna oda inayoendelea.");
    public static readonly LocalText SmsNoSuchOrder = new("You have no order {0}.", "您没有订单 {0}。", "Huna oda {0}.");
    public static readonly LocalText SmsRefused = new("Not done: {0}", "未完成：{0}", "Haijafanyika: {0}");
    public static readonly LocalText SmsUnfinished = new("We could not finish your last message. Send STATUS to see your orders.", "上一条短信未能处理完，请发送“状态”查看订单。", "Hatukuweza kumaliza ujumbe wako uliopita. Tuma HALI uone oda zako.");

    /// <summary>A phone ticket's turn has come: how to hold (the menu or BUY) and until when.</summary>
    public static readonly LocalText SmsAdmitted = new("FlashSale: your turn for #{0} has come. Hold by {1}: dial {2} or text BUY {0} <qty>.", "丰收闪购：#{0} 轮到您了，请在 {1} 前预留：拨 {2} 或发短信“买 {0} 数量”。", "FlashSale: zamu yako ya #{0} imefika. Hifadhi kabla ya {1}: piga {2} au tuma NUNUA {0} <idadi>.");

    /// <summary>The same without BUY: a lot with no phone code, or an agent's villager (a BUY from the agent's number would buy for the agent).</summary>
    public static readonly LocalText SmsAdmittedDial = new("Your turn for #{0} has come. Hold by {1}: dial {2}.", "#{0} 轮到了，请在 {1} 前拨 {2} 预留。", "Zamu yako ya #{0} imefika. Hifadhi kabla ya {1}: piga {2}.");

    /// <summary>One number sent more than the gateway routes take from a number in a minute (FlashSale:RateLimits).</summary>
    public static readonly LocalText TooManyRequests = new("Too many requests from this number; try again in a minute.", "该号码请求过多，请一分钟后再试。", "Maombi mengi mno kutoka nambari hii; jaribu tena baada ya dakika moja.");

    // Order statuses, as a phone shows them.
    public static readonly LocalText StatusAwaitingPayment = new("awaiting payment", "待付款", "inasubiri malipo");
    public static readonly LocalText StatusPaid = new("paid", "已付款", "imelipwa");
    public static readonly LocalText StatusConfirmedCod = new("cash on delivery", "货到付款", "lipa ukipokea");
    public static readonly LocalText StatusCancelled = new("cancelled", "已取消", "imeghairiwa");
    public static readonly LocalText StatusExpired = new("expired", "已过期", "muda umeisha");
    public static readonly LocalText StatusRefunded = new("refunded", "已退款", "pesa imerudishwa");
    public static readonly LocalText StatusDepositPaid = new("deposit paid", "已付定金", "kianzio kimelipwa");
    public static readonly LocalText StatusAwaitingBalance = new("awaiting balance", "待付尾款", "inasubiri salio");
    public static readonly LocalText StatusForfeited = new("forfeited", "定金已没收", "kianzio kimepotea");

    // Lot statuses.
    public static readonly LocalText LotScheduled = new("not open yet", "尚未开售", "bado haijaanza");
    public static readonly LocalText LotPaused = new("paused", "已暂停", "imesitishwa");
    public static readonly LocalText LotSoldOut = new("sold out", "已售罄", "imeisha");
    public static readonly LocalText LotEnded = new("ended", "已结束", "imefungwa");
    public static readonly LocalText LotLive = new("live", "在售", "inauzwa");

    // Payment methods' names on a phone; a market's other methods show their configured display name.
    public static readonly LocalText MethodCashOnDelivery = new("Cash on delivery", "货到付款", "Lipa ukipokea");
    public static readonly LocalText MethodBankTransfer = new("Bank transfer", "银行转账", "Uhamisho wa benki");
    public static readonly LocalText MethodMobileMoney = new("Mobile money", "手机钱包", "Pesa kwa simu");
    public static readonly LocalText MethodWallet = new("Mobile wallet", "电子钱包", "Pochi ya simu");
    public static readonly LocalText MethodVillageAgent = new("Village agent (cash now)", "代购员现收", "Wakala wa kijiji (taslimu sasa)");

    // A village agent's own menu: the agent's villagers, then the shop acting for one of them.
    public static readonly LocalText AgentVillagers = new("Agent: order for", "代购员：为谁下单", "Wakala: agiza kwa ajili ya");
    public static readonly LocalText NoVillagers = new("You have no villagers yet. Register them on the web.", "您还没有登记村民，请在网页上登记。", "Bado huna wanakijiji. Wasajili kwenye tovuti.");
    public static readonly LocalText ActingFor = new("For {0}", "代 {0} 下单", "Kwa ajili ya {0}");
    public static readonly LocalText OtherVillager = new("Villagers", "换村民", "Wanakijiji");
    public static readonly LocalText ForVillager = new("For {0}: {1}", "代 {0}：{1}", "Kwa ajili ya {0}: {1}");
}
