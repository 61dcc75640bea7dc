using FlashSale.Common;

namespace FlashSale.Api.Extensions;

/// <summary>
/// The API's own texts a person reads: problem titles and details, and the field messages of
/// <see cref="RequestErrors"/>, each in English and Simplified Chinese (the engine's refusals and
/// payment instructions are in <see cref="EngineTexts"/>). Field names, problem <c>type</c> codes
/// and statuses are the contract's and never translated; a test walks this class and fails on any
/// text without its twin.
/// </summary>
public static class ApiTexts
{
    // ---- Problem titles, one per code.
    public static readonly LocalText InvalidRequestTitle = new("The request is not valid.", "请求无效。");
    public static readonly LocalText UnauthorizedTitle = new("A valid bearer token is required.", "需要有效的 Bearer 令牌。");
    public static readonly LocalText ForbiddenTitle = new("You may not do this.", "您无权执行此操作。");
    public static readonly LocalText NotFoundTitle = new("Not found.", "未找到。");
    public static readonly LocalText SoldOutTitle = new("Sold out.", "已售罄。");
    public static readonly LocalText LimitExceededTitle = new("Per-shopper limit reached.", "已达到每位顾客的限购数量。");
    public static readonly LocalText SaleNotLiveTitle = new("The sale is not live.", "销售未在进行中。");
    public static readonly LocalText CurrencyMismatchTitle = new("The cart holds another currency.", "购物车中是另一种货币的商品。");
    public static readonly LocalText IdempotencyKeyRequiredTitle = new("An Idempotency-Key header is required.", "需要 Idempotency-Key 请求头。");
    public static readonly LocalText IdempotencyKeyReusedTitle = new("This Idempotency-Key was used with another request.", "此 Idempotency-Key 已用于另一个请求。");
    public static readonly LocalText IdempotencyKeyInFlightTitle = new("A request with this Idempotency-Key is still running.", "使用此 Idempotency-Key 的请求仍在处理中。");
    public static readonly LocalText RateLimitedTitle = new("Too many requests.", "请求过多。");
    public static readonly LocalText SignatureInvalidTitle = new("The signature is not valid.", "签名无效。");
    public static readonly LocalText UnavailableTitle = new("The engine is briefly unavailable.", "引擎暂时不可用。");
    public static readonly LocalText InternalTitle = new("Something went wrong on our side.", "服务器内部出错。");
    public static readonly LocalText ConflictTitle = new("The request conflicts with the current state.", "请求与当前状态冲突。");

    // ---- Problem details.
    public static readonly LocalText FieldsNotValid = new("One or more fields are not valid.", "一个或多个字段无效。");
    public static readonly LocalText RequestUnreadable = new("The request could not be read: {0}", "无法读取请求：{0}");
    public static readonly LocalText BodyNotJson = new("The body is not valid JSON for this request.", "请求体不是此请求可接受的 JSON。");
    public static readonly LocalText EngineDidNotAnswer = new(
        "The engine could not answer in time, so the request may or may not have taken effect. Retry shortly: a hold, and a checkout with the same Idempotency-Key, are safe to repeat.",
        "引擎未能及时响应，请求可能已生效，也可能未生效。请稍后重试：保留数量，以及使用同一 Idempotency-Key 的结账，都可以安全地重复。");
    public static readonly LocalText UnexpectedError = new("An unexpected error occurred.", "发生了意外错误。");
    public static readonly LocalText RetryAfter = new("Too many requests; retry after the time in Retry-After.", "请求过多；请在 Retry-After 所示的时间之后重试。");
    public static readonly LocalText BodyTooLarge = new("A request body is at most {0} bytes.", "请求体最多 {0} 字节。");
    public static readonly LocalText SendJson = new("Send the body as application/json.", "请以 application/json 格式发送请求体。");
    public static readonly LocalText SendIdempotencyKey = new(
        "Send an Idempotency-Key header, new for each checkout and the same on its retries.",
        "请发送 Idempotency-Key 请求头：每次结账用一个新值，重试时沿用同一个值。");
    public static readonly LocalText IdempotencyKeyShape = new("The Idempotency-Key must be 1 to {0} visible ASCII characters.", "Idempotency-Key 必须由 1 到 {0} 个可见 ASCII 字符组成。");
    public static readonly LocalText IdempotencyKeyUsedWithAnotherBody = new("This Idempotency-Key was already used with another body.", "此 Idempotency-Key 已用于另一个请求体。");
    public static readonly LocalText IdempotencyKeyStillRunning = new(
        "The first request with this Idempotency-Key is still running; retry shortly.",
        "使用此 Idempotency-Key 的第一个请求仍在处理中；请稍后重试。");
    public static readonly LocalText NoWebhookProvider = new("No payment provider named '{0}' receives webhooks.", "没有名为“{0}”的付款方式接收 Webhook。");
    public static readonly LocalText NotificationTooLarge = new("A notification is at most {0} bytes.", "通知最多 {0} 字节。");
    public static readonly LocalText PhoneCallbackSignature = new("The phone gateway's callback is not signed with an active secret within the time allowed.", "电话网关的回调未在允许的时间内用有效密钥签名。");
    public static readonly LocalText SendForm = new("Send the callback as application/x-www-form-urlencoded, each field once.", "请以 application/x-www-form-urlencoded 格式发送回调，每个字段只出现一次。");
    public static readonly LocalText GatewayId = new("{0} must be 1 to {1} visible ASCII characters without '/'.", "{0} 必须由 1 到 {1} 个可见 ASCII 字符组成，且不含“/”。");

    // ---- Field messages; {0} is the field's name as the contract spells it.
    public static readonly LocalText Required = new("{0} is required.", "{0} 为必填项。");
    public static readonly LocalText TooLong = new("{0} must be at most {1} characters.", "{0} 最多 {1} 个字符。");
    public static readonly LocalText ControlCharacters = new("{0} must not contain control characters.", "{0} 不能包含控制字符。");
    public static readonly LocalText InvisibleCharacters = new(
        "{0} must not contain invisible or text-direction characters (such as U+200B or U+202E).", "{0} 不能包含不可见字符或文字方向控制字符（例如 U+200B 或 U+202E）。");
    public static readonly LocalText OutOfRange = new("{0} must be between {1} and {2}.", "{0} 必须在 {1} 到 {2} 之间。");
    public static readonly LocalText NotACurrency = new("{0} must be an ISO 4217 code such as CNY.", "{0} 必须是 ISO 4217 货币代码，例如 CNY。");
    public static readonly LocalText EndsAfterStarts = new("endsAt must be after startsAt.", "endsAt 必须晚于 startsAt。");
    public static readonly LocalText WithinHorizon = new("{0} may be at most {1} days ahead.", "{0} 最多只能是 {1} 天之后。");
    public static readonly LocalText KindIs = new("kind must be \"standard\" or \"presale\".", "kind 必须是 \"standard\" 或 \"presale\"。");
    public static readonly LocalText AllocationIs = new("allocation must be \"pro-rata\" or \"first-come\".", "allocation 必须是 \"pro-rata\" 或 \"first-come\"。");
    public static readonly LocalText PresaleOnly = new("{0} is for presale lots only (kind: \"presale\").", "{0} 仅用于预售批次（kind: \"presale\"）。");
    public static readonly LocalText HarvestAfterOpening = new(
        "harvestFrom must be after the sale opens, and harvestTo after harvestFrom and in the future.",
        "harvestFrom 必须晚于开售时间，harvestTo 必须晚于 harvestFrom 且为将来的时间。");
    public static readonly LocalText TooMany = new("{0} may have at most {1} entries.", "{0} 最多只能有 {1} 项。");
    public static readonly LocalText NotALotId = new("{0} is not a lot id.", "{0} 不是批次编号。");
    public static readonly LocalText NotAnOrderId = new("{0} is not an order id.", "{0} 不是订单编号。");
    public static readonly LocalText ToleranceNeedsWeight = new("weightTolerancePercent needs unitWeightGrams.", "设置 weightTolerancePercent 时必须同时设置 unitWeightGrams。");
    public static readonly LocalText LineAboveOrderCeiling = new(
        "priceMinor × perShopperLimit must be at most {0}, the largest order total.", "priceMinor × perShopperLimit 不得超过 {0}（订单总额上限）。");
    public static readonly LocalText AfterIsNext = new(
        "after must be the next of a previous page, with limit.", "after 必须是上一页返回的 next，并且与 limit 一起使用。");
    public static readonly LocalText StatusFilter = new(
        "status must be one or more of scheduled, live, paused, sold-out and ended, separated by commas.",
        "status 必须是 scheduled、live、paused、sold-out、ended 中的一个或多个，以逗号分隔。");
    public static readonly LocalText NameAFieldToEdit = new(
        "Name at least one field to change: name, unit, priceMinor, perShopperLimit, startsAt or endsAt.",
        "请至少给出一个要修改的字段：name、unit、priceMinor、perShopperLimit、startsAt 或 endsAt。");
    public static readonly LocalText EndsInFuture = new("endsAt must be in the future.", "endsAt 必须是将来的时间。");
    public static readonly LocalText SandboxOutcome = new("outcome must be \"succeeded\" or \"failed\".", "outcome 必须是 \"succeeded\" 或 \"failed\"。");
    public static readonly LocalText VillageAgentIsForAgents = new(
        "village-agent orders are placed by a village agent for a villager it registered.",
        "village-agent 订单只能由村代理为其登记的村民下单。");
    public static readonly LocalText AgentPaysInCash = new(
        "An agent orders for a villager with village-agent or cash-on-delivery.",
        "代理为村民下单只能选择 village-agent 或 cash-on-delivery。");
}
