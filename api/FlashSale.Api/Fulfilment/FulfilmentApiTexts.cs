using FlashSale.Common;

namespace FlashSale.Api.Fulfilment;

/// <summary>The fulfilment routes' field messages, in English and Simplified Chinese.</summary>
public static class FulfilmentApiTexts
{
    public static readonly LocalText KindIs = new("delivery.kind is \"pickup\" or \"home\".", "delivery.kind 必须是 \"pickup\" 或 \"home\"。");
    public static readonly LocalText NoSuchPoint = new("No service point has this id.", "没有此编号的服务点。");
    public static readonly LocalText OnlyForHome = new("An address is only for home delivery.", "只有送货上门才需要地址。");
    public static readonly LocalText OnlyForPickup = new("A point is only for pickup.", "只有自提才需要服务点。");
    public static readonly LocalText PhoneShape = new("A phone number is 5 to 15 digits, with an optional leading +.", "电话号码为 5 到 15 位数字，可以 + 开头。");
    public static readonly LocalText StatusIs = new("status is one of {0}.", "status 必须是以下之一：{0}。");
    public static readonly LocalText AfterIs = new("after is the next value of an earlier page.", "after 必须是上一页返回的 next 值。");
    public static readonly LocalText DateIs = new("The date is yyyy-mm-dd.", "日期格式为 yyyy-mm-dd。");
    public static readonly LocalText NotASeller = new("No seller has this id.", "没有此编号的卖家。");
    public static readonly LocalText OrderIdsCount = new("orderIds holds 1 to {0} order ids.", "orderIds 须包含 1 到 {0} 个订单号。");
    public static readonly LocalText NotToThisPoint = new("The order does not go to this service point.", "该订单不送往此服务点。");
    public static readonly LocalText PickupCodeShape = new("pickupCode is 6 digits.", "pickupCode 为 6 位数字。");
}
