using FlashSale.Common;

namespace FlashSale.Fulfilment;

/// <summary>The fulfilment and ledger refusals, in English and Simplified Chinese.</summary>
public static class FulfilmentTexts
{
    public static readonly LocalText TheShipment = new("Your shipment in this order", "您在此订单中的货件");
    public static readonly LocalText TheParcel = new("The parcel", "该包裹");
    public static readonly LocalText TheRemittance = new("The remittance", "该交款");
    public static readonly LocalText NotYetPaid = new("The order is {0}: it is fulfilled once paid or confirmed for cash on delivery.", "订单状态为 {0}：付款或确认货到付款后才能发货。");
    public static readonly LocalText ShipmentIs = new("The shipment is {0}; this step needs it {1}.", "货件状态为 {0}；此操作需要状态为 {1}。");
    public static readonly LocalText NoDeliveryYet = new("The shopper has not chosen a delivery yet.", "顾客尚未选择配送方式。");
    public static readonly LocalText DeliveryFixed = new("Delivery can only change before packing.", "只能在打包前更改配送方式。");
    public static readonly LocalText DeliveryClosed = new("The order is {0}; its delivery cannot change.", "订单状态为 {0}；无法更改配送方式。");
    public static readonly LocalText NotHomeDelivery = new("This order is collected at a service point, not delivered home.", "此订单在服务点自提，不送货上门。");
    public static readonly LocalText NotAllAtPoint = new("Not every parcel of the order has arrived at the point.", "该订单的包裹尚未全部到达服务点。");
    public static readonly LocalText NothingShipped = new("No parcel of this order is on its way to the point.", "此订单没有正在送往服务点的包裹。");
    public static readonly LocalText WrongCode = new("The pickup code is wrong; tries left: {0}.", "取件码错误；还可尝试 {0} 次。");
    public static readonly LocalText CodeLocked = new("Too many wrong pickup codes: the seller must reset the order's code.", "取件码错误次数过多：需由卖家重置。");
    public static readonly LocalText SeveralSellers = new("The order holds other sellers' lots too; it cannot be cancelled by one seller.", "该订单还包含其他卖家的商品，不能由一位卖家取消。");
    public static readonly LocalText RemitTooMuch = new("You hold {0} for this seller, {1} of it already pending.", "您为该卖家持有 {0}，其中 {1} 已在交款中。");
    public static readonly LocalText RemittanceConfirmed = new("The remittance is already confirmed.", "该交款已确认。");
}
