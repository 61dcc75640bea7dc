using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Carts;
using FlashSale.Lots;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The contract's calls, so a test reads like the sale it describes. Each helper asserts the
/// success status the contract promises; a test that expects a refusal sends the raw request.
/// </summary>
public static class SaleApi
{
    public static async Task<Lot> CreateLot(
        this Caller seller, int quantity = 100, int perShopperLimit = 5, long priceMinor = 6800, string currency = "CNY",
        DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null, string name = "Dangshan honey pears", string unit = "box (5 kg)")
    {
        using var response = await seller.Http.PostAsJsonAsync(
            "/api/lots", new { name, unit, priceMinor, currency, quantity, perShopperLimit, startsAt, endsAt }, ApiJson.Options);
        return await response.ReadAs<Lot>(HttpStatusCode.Created);
    }

    /// <summary>A CNY presale of 10 boxes: a 30% deposit, harvest from tomorrow for 20 days, shared pro rata.</summary>
    public static async Task<Lot> CreatePresaleLot(this Caller seller, DateTimeOffset now)
    {
        using var response = await seller.Http.PostAsJsonAsync("/api/lots", new
        {
            name = "Gannan navel oranges", unit = "box", priceMinor = 6800, currency = "CNY", quantity = 10, perShopperLimit = 5,
            kind = "presale", depositPercent = 30, harvestFrom = now.AddDays(1), harvestTo = now.AddDays(20), balanceWindowHours = 48, allocation = "pro-rata",
        }, ApiJson.Options);
        return await response.ReadAs<Lot>(HttpStatusCode.Created);
    }

    public static async Task<Lot> GetLot(this HttpClient http, string lotId)
    {
        using var response = await http.GetAsync(new Uri($"/api/lots/{lotId}", UriKind.Relative));
        return await response.ReadAs<Lot>();
    }

    public static async Task<Lot> GetLot(this Caller caller, string lotId) => await caller.Http.GetLot(lotId);

    public static async Task<Lot> Act(this Caller seller, string lotId, string action)
    {
        using var response = await seller.Http.PostAsync(new Uri($"/api/lots/{lotId}/{action}", UriKind.Relative), null);
        return await response.ReadAs<Lot>();
    }

    public static async Task<Lot> Edit(this Caller seller, string lotId, object changes)
    {
        using var response = await seller.Http.PatchAsJsonAsync($"/api/lots/{lotId}", changes, ApiJson.Options);
        return await response.ReadAs<Lot>();
    }

    public static async Task<Lot> Restock(this Caller seller, string lotId, int quantity)
    {
        using var response = await seller.Http.PostAsJsonAsync($"/api/lots/{lotId}/restock", new RestockRequest(quantity), ApiJson.Options);
        return await response.ReadAs<Lot>();
    }

    public static async Task<LotStats> GetStats(this Caller seller, string lotId)
    {
        using var response = await seller.Http.GetAsync(new Uri($"/api/lots/{lotId}/stats", UriKind.Relative));
        return await response.ReadAs<LotStats>();
    }

    public static async Task<Cart> GetCart(this Caller shopper)
    {
        using var response = await shopper.Http.GetAsync(new Uri("/api/cart", UriKind.Relative));
        return await response.ReadAs<Cart>();
    }

    /// <summary>PUT /api/cart/items/{lotId}: the raw answer, for tests that expect a refusal.</summary>
    public static Task<HttpResponseMessage> SetItem(this Caller shopper, string lotId, int quantity) =>
        shopper.Http.PutAsJsonAsync($"/api/cart/items/{lotId}", new SetCartItemRequest(quantity), ApiJson.Options);

    public static async Task<Cart> Hold(this Caller shopper, string lotId, int quantity)
    {
        using var response = await shopper.SetItem(lotId, quantity);
        return await response.ReadAs<Cart>();
    }

    public static async Task<Cart> Release(this Caller shopper, string lotId)
    {
        using var response = await shopper.Http.DeleteAsync(new Uri($"/api/cart/items/{lotId}", UriKind.Relative));
        return await response.ReadAs<Cart>();
    }

    /// <summary>POST /api/checkout: the raw answer; a null key sends no Idempotency-Key header.</summary>
    public static async Task<HttpResponseMessage> Checkout(this Caller shopper, string paymentMethod, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new CheckoutRequest(paymentMethod), options: ApiJson.Options),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, idempotencyKey);
        }

        return await shopper.Http.SendAsync(request);
    }

    /// <summary>Checks out the cart with a fresh Idempotency-Key and returns the new order.</summary>
    public static async Task<Order> PlaceOrder(this Caller shopper, string paymentMethod = "wallet")
    {
        using var response = await shopper.Checkout(paymentMethod, NewIdempotencyKey());
        return await response.ReadAs<Order>(HttpStatusCode.Created);
    }

    public static async Task<Order> GetOrder(this Caller shopper, string orderId)
    {
        using var response = await shopper.Http.GetAsync(new Uri($"/api/orders/{orderId}", UriKind.Relative));
        return await response.ReadAs<Order>();
    }

    public static async Task<Order[]> ListOrders(this Caller shopper)
    {
        using var response = await shopper.Http.GetAsync(new Uri("/api/orders", UriKind.Relative));
        return await response.ReadAs<Order[]>();
    }

    public static async Task<Order> Cancel(this Caller shopper, string orderId)
    {
        using var response = await shopper.Http.PostAsync(new Uri($"/api/orders/{orderId}/cancel", UriKind.Relative), null);
        return await response.ReadAs<Order>();
    }

    public static string NewIdempotencyKey() => Guid.NewGuid().ToString("N");

    /// <summary>The contract's invariant, which every lot in every answer must keep.</summary>
    public static void AssertInvariant(Lot lot)
    {
        Assert.True(lot.Available >= 0 && lot.Reserved >= 0 && lot.Sold >= 0, $"negative count in {lot}");
        Assert.Equal(lot.Quantity, lot.Available + lot.Reserved + lot.Sold);
    }
}
