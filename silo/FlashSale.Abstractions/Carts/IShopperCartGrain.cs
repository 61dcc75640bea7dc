using FlashSale.Common;
using FlashSale.Orders;

namespace FlashSale.Carts;

/// <summary>
/// One shopper's cart and the only judge of the per-shopper limit (held + bought). The grain is
/// not reentrant, so a shopper's own requests never interleave and the limit check has no race.
/// </summary>
public interface IShopperCartGrain : IGrainWithStringKey
{
    Task<Cart> Get();

    /// <summary>Sets the held quantity of one lot; 0 releases it. All or nothing.</summary>
    Task<Outcome<Cart>> SetItem(string lotId, int quantity);

    Task<Outcome<Cart>> RemoveItem(string lotId);

    /// <summary>Moves every live hold into a new order with this id. Idempotent per order id.</summary>
    Task<Outcome<Order>> Checkout(string orderId, string paymentMethod);

    Task<IReadOnlyList<string>> ListOrderIds();
}
