using System.Net.Http.Json;
using System.Text.Json;
using FlashSale.Lots;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// A small sale in progress, for tests that need every kind of state at hand: a seller's live
/// lot, and a shopper with an order awaiting payment and a further hold in the cart.
/// </summary>
public sealed record Scene(Caller Seller, Lot Lot, Caller Shopper, Order Order)
{
    public static async Task<Scene> Create(FlashSaleApiFactory api)
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 100, perShopperLimit: 10);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("wallet");
        await shopper.Hold(lot.LotId, 2);
        return new Scene(seller, await seller.GetLot(lot.LotId), shopper, order);
    }

    /// <summary>Fills a route template's <c>{lot}</c> and <c>{order}</c> with this scene's ids.</summary>
    public string Expand(string pathTemplate) =>
        pathTemplate.Replace("{lot}", Lot.LotId, StringComparison.Ordinal).Replace("{order}", Order.OrderId, StringComparison.Ordinal);

    /// <summary>
    /// Everything a request could have changed, as the API shows it: the lot, the catalogue, the
    /// shopper's cart and orders. Two equal snapshots mean the request left no trace.
    /// </summary>
    public async Task<string> Snapshot()
    {
        var lot = await Shopper.Http.GetFromJsonAsync<JsonElement>($"/api/lots/{Lot.LotId}", ApiJson.Options);
        var catalogue = await Shopper.Http.GetFromJsonAsync<Lot[]>("/api/lots", ApiJson.Options) ?? [];
        var cart = await Shopper.Http.GetFromJsonAsync<JsonElement>("/api/cart", ApiJson.Options);
        var orders = await Shopper.Http.GetFromJsonAsync<JsonElement>("/api/orders", ApiJson.Options);
        var lotIds = catalogue.Select(l => l.LotId).Order(StringComparer.Ordinal).ToList();
        return JsonSerializer.Serialize(new { lot, lotIds, cart, orders }, ApiJson.Options);
    }
}
