namespace FlashSale.Common;

/// <summary>
/// The engine's texts a person reads: refusal details and the particulars of payment
/// instructions, each in English and Simplified Chinese. Templates take their values as
/// <c>{0}</c>, <c>{1}</c>…; a test walks this class and fails on any text without its twin.
/// Those a feature phone can be shown (a hold's, a checkout's or a cancel's refusal, and the
/// payment particulars of an order's SMS) also have Swahili, for the phone channel's Kenyan numbers;
/// the rest read in English there.
/// </summary>
public static class EngineTexts
{
    // ---- Things that may not be found: "{0} was not found."
    public static readonly LocalText NotFound = new("{0} was not found.", "未找到{0}。", "Hatukupata {0}.");
    public static readonly LocalText TheLot = new("The lot", "该批次", "bidhaa hiyo");
    public static readonly LocalText TheVillager = new("The villager", "该村民", "mwanakijiji huyo");
    public static readonly LocalText TheOrder = new("The order", "该订单", "oda hiyo");
    public static readonly LocalText ThePayment = new("The payment", "该付款", "malipo hayo");
    public static readonly LocalText TheHarvest = new("The lot's declared harvest", "该批次已申报的收成");
    public static readonly LocalText ATicketForThisLot = new("A ticket for this lot", "此批次的排队号", "nafasi yako kwenye foleni ya bidhaa hii");

    // ---- Lots
    public static readonly LocalText LotExists = new("Lot {0} already exists.", "批次 {0} 已存在。");
    public static readonly LocalText QuantityRange = new("Quantity must be between 1 and {0}.", "数量必须在 1 到 {0} 之间。");
    public static readonly LocalText PerShopperLimitRange = new("The per-shopper limit must be between 1 and the quantity.", "每位顾客的限购数必须在 1 到总数量之间。");
    public static readonly LocalText PricePositive = new("The price must be positive.", "价格必须大于零。");
    public static readonly LocalText QuantityNotNegative = new("The quantity cannot be negative.", "数量不能为负数。");
    public static readonly LocalText OrderTotalCeiling = new(
        "A cart or order may total at most {0} minor units; this would take it past that.", "购物车或订单总额最多 {0}（最小货币单位），此操作会超出。",
        "Jumla ya kikapu au oda haiwezi kuzidi {0} (senti); hii ingeizidi.");

    public static readonly LocalText LiveLotQuota = new(
        "A seller may have at most {0} live lots (scheduled, live, paused or sold out); wait for one to end before creating another.",
        "每位卖家最多有 {0} 个未结束的批次（未开始、在售、暂停或售罄）；请等其中一个结束后再创建。");

    public static readonly LocalText AtMostPerShopper = new("At most {0} {1} per shopper.", "每位顾客最多 {0} {1}。", "Kila mnunuzi hadi {0} {1}.");
    public static readonly LocalText SaleIs = new("The sale is {0}.", "本次销售{0}。", "Mauzo {0}.");
    public static readonly LocalText SaleNotOpenYet = new("not open yet", "尚未开始", "bado hayajaanza");
    public static readonly LocalText SalePaused = new("paused", "已暂停", "yamesitishwa kwa muda");
    public static readonly LocalText SaleOver = new("over", "已结束", "yamekwisha");
    public static readonly LocalText SaleLive = new("live", "正在进行", "yanaendelea");
    public static readonly LocalText LotSoldOut = new("The lot is sold out.", "该批次已售罄。", "Bidhaa hii imeisha.");
    public static readonly LocalText OnlyLeft = new("Only {0} {1} left.", "仅剩 {0} {1}。", "Zimebaki {0} {1} tu.");
    public static readonly LocalText HoldExpired = new("The hold on this lot has expired.", "您对该批次的预留已过期。", "Muda wa kuhifadhi bidhaa hii umekwisha.");
    public static readonly LocalText HoldIsFor = new("The hold is for {0}, not {1}.", "预留数量为 {0}，而不是 {1}。", "Umehifadhi {0}, si {1}.");
    public static readonly LocalText DeadlineAlreadyPassed = new("The payment deadline has already passed.", "付款截止时间已过。", "Muda wa mwisho wa kulipa umeshapita.");
    public static readonly LocalText ReservationReleased = new("The order's reservation has been released.", "该订单预留的库存已释放。", "Bidhaa zilizohifadhiwa kwa oda hii zimeachiliwa.");
    public static readonly LocalText OrderDeadlinePassed = new("The order's payment deadline has passed.", "该订单的付款截止时间已过。", "Muda wa mwisho wa kulipia oda hii umepita.");
    public static readonly LocalText ReservationStillHeld = new("The order still holds its reservation; sell it instead.", "该订单仍保留着库存，请直接售出。");
    public static readonly LocalText StockBackOnSaleAndGone = new("The stock went back on sale and is gone.", "库存已重新上架并已售完。");
    public static readonly LocalText SaleEnded = new("The sale has ended.", "本次销售已结束。", "Mauzo yamekwisha.");
    public static readonly LocalText RestockRange = new("A restock adds 1 or more, up to a total of {0}.", "补货数量至少为 1，补货后总数不超过 {0}。");
    public static readonly LocalText EditOnlyBeforeOpening = new(
        "A lot's terms can be changed only before it opens; once it has started it may be paused, resumed, restocked or ended.",
        "批次的条款只能在开售前修改；开售后只能暂停、恢复、补货或结束。");
    public static readonly LocalText EndsAfterStartsAndNow = new("The end must be after the start and in the future.", "结束时间必须晚于开始时间，并且是将来的时间。");
    public static readonly LocalText LineAboveOrderCeiling = new(
        "The price × the per-shopper limit must be at most {0}, the largest order total.", "价格 × 每人限购数不得超过 {0}（订单总额上限）。");
    public static readonly LocalText TermsChanged = new("The lot's terms changed; look at it again.", "该批次的条款已更改，请重新查看。", "Masharti ya bidhaa hii yamebadilika; iangalie tena.");
    public static readonly LocalText OnlyTheSeller = new("Only the lot's seller may do this.", "只有该批次的卖家可以这样做。");

    // ---- Presale lots
    public static readonly LocalText NotAPresale = new("This lot is not a presale; only a presale has a harvest to declare.", "该批次不是预售，只有预售才需要申报收成。");
    public static readonly LocalText HarvestDeclaredOnce = new("The harvest was already declared as {0}; it is declared once.", "收成已申报为 {0}；每个批次只能申报一次。");
    public static readonly LocalText HarvestRange = new("The declared harvest must be between 0 and {0}.", "申报的收成必须在 0 到 {0} 之间。");
    public static readonly LocalText OutsideHarvestWindow = new(
        "The harvest can be declared only within its window, {0} to {1}.", "只能在收成期内申报收成：{0} 至 {1}。");
    public static readonly LocalText DepositsStillAwaited = new(
        "{0} orders still await their deposit (until {1} at the latest); declare the harvest once they are paid or expired.",
        "仍有 {0} 个订单在等待支付定金（最晚到 {1}）；请在它们付清或过期后再申报收成。");
    public static readonly LocalText HarvestAlreadyDeclared = new("The harvest has been declared and shared out; a late deposit is refunded.", "收成已申报并分配完毕；迟到的定金将退还。");
    public static readonly LocalText PresaleOnItsOwn = new(
        "A presale lot is checked out on its own: remove the other lots from the cart, or check them out first.",
        "预售批次需单独结算：请先从购物车中移除其他批次，或先结算它们。",
        "Bidhaa ya mauzo ya mapema hulipiwa peke yake: toa bidhaa nyingine kikapuni, au uzilipie kwanza.");
    public static readonly LocalText SurplusOnlyAfterHarvest = new(
        "The extra harvest can be put on sale once the harvest is declared.", "申报收成后才能把多余的收成上架销售。");
    public static readonly LocalText NoSurplus = new("Every unit of the harvest is allocated; there is nothing left to sell.", "收成已全部分配，没有剩余可售。");
    public static readonly LocalText PackedOutsideTolerance = new(
        "Order {0}: {1} g packed, but its share weighs {2} g nominal and may differ by at most {3} %.",
        "订单 {0}：包装重量 {1} 克，但其份额的标称重量为 {2} 克，误差最多 {3}%。");
    public static readonly LocalText PackedForNoShare = new(
        "Order {0} has no share of this harvest to weigh.", "订单 {0} 在本次收成中没有可称重的份额。");
    public static readonly LocalText SubstituteFromHarvestOnly = new(
        "A substitute comes from another presale whose harvest is declared.", "替代品须来自另一个已申报收成的预售批次。");
    public static readonly LocalText SubstituteOnlyForCutOrders = new(
        "Only a presale order the harvest cut short, awaiting its balance or refunded, can be offered a substitute.",
        "只有因收成不足而被削减、正在等待尾款或已退款的预售订单才能获得替代品。");
    public static readonly LocalText SubstituteQuantity = new("A substitute is 1 to {0} units: what the harvest did not give this order.", "替代品数量须为 1 到 {0}：即收成未能分给该订单的数量。");
    public static readonly LocalText SubstituteFromAnotherLot = new("A substitute comes from another lot than the order's own.", "替代品须来自订单所属批次以外的批次。");
    public static readonly LocalText SubstituteAlreadyOffered = new("This order already has a substitute offer; wait for the shopper's answer.", "该订单已有替代品报价，请等待顾客答复。");
    public static readonly LocalText NoSubstituteToAnswer = new("This order has no substitute offer waiting for an answer.", "该订单没有待答复的替代品报价。");
    public static readonly LocalText SubstituteCurrencyMismatch = new("The substitute's lot sells in {0}; the order is in {1}.", "替代品所属批次以 {0} 计价；该订单以 {1} 计价。");
    public static readonly LocalText NoSubstituteOnDelivery = new("A substitute is paid before it is shipped; choose another payment method.", "替代品须在发货前付款；请选择其他支付方式。");
    public static readonly LocalText PresaleNotCancelledBySeller = new(
        "A presale order is settled by its harvest: it cannot be cancelled by the seller.", "预售订单按收成结算，卖家不能取消。");
    public static readonly LocalText NoDepositOnDelivery = new("A presale's deposit cannot be paid on delivery; choose another payment method.", "预售定金不能货到付款；请选择其他支付方式。", "Kianzio cha mauzo ya mapema hakilipwi mzigo ukifika; chagua njia nyingine ya malipo.");

    // ---- Waiting rooms and carts
    public static readonly LocalText NoWaitingRoom = new("This sale has no waiting room: hold straight away.", "本次销售没有排队：请直接预留。", "Mauzo haya hayana foleni: hifadhi sasa hivi.");
    public static readonly LocalText JoinTheWaitingRoom = new(
        "This sale has a waiting room: join it (POST /api/lots/{lotId}/queue) and hold when your turn comes.",
        "本次销售需要排队：请先排队（POST /api/lots/{lotId}/queue），轮到您时再预留。");
    public static readonly LocalText CartCurrencyMismatch = new("The cart holds {0}; this lot sells in {1}.", "购物车中的商品以 {0} 计价；此批次以 {1} 销售。", "Kikapu kina bidhaa za {0}; bidhaa hii inauzwa kwa {1}.");
    public static readonly LocalText LimitWithOrders = new("At most {0} per shopper, and {1} are already in your orders.", "每位顾客最多 {0}，您的订单中已有 {1}。", "Kila mnunuzi hadi {0}, na {1} tayari ziko kwenye oda zako.");
    public static readonly LocalText CartEmpty = new("The cart is empty: hold something before checking out.", "购物车是空的：请先预留商品再结账。", "Kikapu ni tupu: hifadhi bidhaa kabla ya kulipa.");
    public static readonly LocalText NotAPaymentMethod = new("'{0}' is not a payment method for {1}.", "“{0}”不是 {1} 可用的付款方式。", "'{0}' si njia ya malipo kwa {1}.");
    public static readonly LocalText CashOnDeliveryOpenLimit = new(
        "At most {0} cash-on-delivery orders may be open at once; pay for one or choose another method.",
        "同时最多只能有 {0} 个未完成的货到付款订单；请先支付其中一个，或选择其他付款方式。",
        "Oda za kulipa ukipokea zisizidi {0} kwa wakati mmoja; lipia moja au chagua njia nyingine.");

    // ---- Orders and payments
    public static readonly LocalText OrderIdTaken = new("This order id is taken.", "该订单号已被占用。");
    public static readonly LocalText HoldsExpiredNothingOrdered = new("The holds in the cart have expired; nothing was ordered.", "购物车中的预留已过期，未生成订单。", "Muda wa kuhifadhi bidhaa za kikapu umekwisha; hakuna oda iliyowekwa.");
    public static readonly LocalText OnlyAwaitingPaymentCancels = new("Only an order awaiting payment can be cancelled; this one is {0}.", "只有待付款的订单可以取消；此订单的状态为 {0}。", "Oda inayosubiri malipo tu ndiyo inaweza kughairiwa; hii ni {0}.");
    public static readonly LocalText PaymentDoesNotMatchOrder = new("The payment of {0} {1} does not match the order's {2} {3}.", "付款 {0} {1} 与订单金额 {2} {3} 不符。");
    public static readonly LocalText EventForAnotherPayment = new("The event is for another payment.", "该事件属于另一笔付款。");
    public static readonly LocalText PaymentAlreadySucceeded = new("The payment has already succeeded.", "该付款已经成功。");
    public static readonly LocalText PaymentAlreadyRefunded = new("The payment has already been refunded.", "该付款已经退款。");
    public static readonly LocalText OnlySucceededRefunds = new("Only a payment that succeeded can be refunded.", "只有成功的付款才能退款。");
    public static readonly LocalText RefundDoesNotMatch = new(
        "A refund of {0} {1} does not fit the payment of {2} {3}: it must be in its currency, more than 0 and at most the amount paid.",
        "退款 {0} {1} 与付款 {2} {3} 不符：必须使用相同币种，金额大于 0 且不超过已付金额。");

    // ---- Village agents
    public static readonly LocalText AgentCap = new(
        "An agent may take at most {0} of this lot for its villagers; {1} are already held or bought by your other villagers.",
        "每位代理最多可为其村民购买此批次 {0} 件；您的其他村民已预留或购买 {1} 件。",
        "Wakala anaweza kuchukua hadi {0} ya bidhaa hii kwa wanakijiji wake; {1} tayari zimehifadhiwa au kununuliwa na wanakijiji wako wengine.");
    public static readonly LocalText NotPaidInCash = new("This order is paid by {0}, not in cash to an agent.", "此订单通过 {0} 支付，而不是以现金交给代理。");
    public static readonly LocalText ExpiredRetakeOverCap = new(
        "The order expired, and taking its stock again would exceed the agent's cap of {0}; hand the cash back.",
        "订单已过期，重新占用其库存将超过代理上限 {0}；请退还现金。");

    // ---- Payment instructions: a provider's particulars, after the market's own words.
    public static readonly LocalText WalletApprove = new("Approve {0} at {1} before {2}.", "请在 {2} 前于 {1} 确认支付 {0}。", "Thibitisha {0} kwenye {1} kabla ya {2}.");
    public static readonly LocalText YourWallet = new("your wallet", "您的钱包", "pochi yako");
    public static readonly LocalText BankTransferParticulars = new("Amount {0}, reference {1}, to arrive before {2}.", "金额 {0}，附言 {1}，须在 {2} 前到账。", "Kiasi {0}, kumbukumbu {1}, kifike kabla ya {2}.");
    public static readonly LocalText MobileMoneyPrompt = new(
        "A prompt for {0} (reference {1}) is on its way; approve it before {2}.",
        "金额 {0} 的付款提示（附言 {1}）即将发到您的手机；请在 {2} 前确认。",
        "Ombi la kulipa {0} (kumbukumbu {1}) linakuja; likubali kabla ya {2}.");
    public static readonly LocalText PayCashOnDelivery = new("Pay in cash on delivery.", "货到时以现金付款。", "Lipa pesa taslimu mzigo ukifika.");
    public static readonly LocalText HaveCashReady = new("Have {0} ready.", "请备好 {0}。", "Andaa {0}.");
    public static readonly LocalText PayYourAgent = new("Pay your village agent in cash.", "请以现金付给您的村代理。", "Mlipe wakala wa kijiji pesa taslimu.");
    public static readonly LocalText AgentAmountBy = new("Amount {0}, by {1}.", "金额 {0}，请于 {1} 前付清。", "Kiasi {0}, kabla ya {1}.");
}
