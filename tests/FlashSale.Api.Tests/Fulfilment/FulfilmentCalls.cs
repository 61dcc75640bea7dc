using System.Net;
using System.Net.Http.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Fulfilment;
using FlashSale.Orders;

namespace FlashSale.Api.Tests.Fulfilment;

[CollectionDefinition(Name)]
public sealed class FulfilmentApiCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "fulfilment api";
}

/// <summary>The fulfilment routes, so a test reads like the last mile it describes.</summary>
public static class FulfilmentCalls
{
    public static object AtPoint(string pointId) => new { kind = "pickup", pointId };

    public static object Home(string name = "Zhang Min", string phone = "+86 138 0013 8000") =>
        new { kind = "home", address = new { name, phone, line1 = "3 Orchard Lane", village = "Dangshan", region = "Anhui" } };

    public static string PointOf(Caller agent) => PickupPoints.PointIdOf(agent.Id);

    /// <summary>POST /api/checkout with a delivery: the raw answer.</summary>
    public static async Task<HttpResponseMessage> CheckoutWith(this Caller shopper, string paymentMethod, object? delivery, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/checkout", UriKind.Relative))
        {
            Content = JsonContent.Create(new { paymentMethod, delivery }, options: ApiJson.Options),
        };
        request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, idempotencyKey);
        return await shopper.Http.SendAsync(request);
    }

    /// <summary>Holds, then checks out for delivery to <paramref name="delivery"/>.</summary>
    public static async Task<Order> Buy(this Caller shopper, string lotId, int quantity, object delivery, string paymentMethod = "cash-on-delivery")
    {
        await shopper.Hold(lotId, quantity);
        using var response = await shopper.CheckoutWith(paymentMethod, delivery, SaleApi.NewIdempotencyKey());
        return await response.ReadAs<Order>(HttpStatusCode.Created);
    }

    public static Task<HttpResponseMessage> Post(this Caller caller, string path, object? body = null) =>
        body is null
            ? caller.Http.PostAsync(new Uri(path, UriKind.Relative), null)
            : caller.Http.PostAsJsonAsync(path, body, ApiJson.Options);

    public static async Task<Order> Move(this Caller caller, string path, object? body = null)
    {
        using var response = await caller.Post(path, body);
        return await response.ReadAs<Order>();
    }

    public static async Task<T> Get<T>(this Caller caller, string path)
    {
        using var response = await caller.Http.GetAsync(new Uri(path, UriKind.Relative));
        return await response.ReadAs<T>();
    }

    /// <summary>Seller packs and ships, agent receives: the order waits at the point.</summary>
    public static async Task<Order> BringToPoint(Caller seller, Caller agent, string orderId)
    {
        await seller.Move($"/api/seller/orders/{orderId}/pack");
        await seller.Move($"/api/seller/orders/{orderId}/ship", new { trackingId = "SF-1" });
        return await agent.Move($"/api/agent/parcels/{orderId}/arrived");
    }

    public static string WrongCode(string code) => code == "000000" ? "111111" : "000000";
}
