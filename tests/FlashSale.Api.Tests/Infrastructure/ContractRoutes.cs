using System.Net.Http.Headers;
using System.Text;
using FlashSale.Api.Apis;
using FlashSale.Api.Identity;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>One protected call of the contract, with a body it would accept, and the role it requires.</summary>
public sealed record ContractRoute(string Resource, string Role, string Method, string PathTemplate, string? Body = null)
{
    public string Name => $"{Method} {PathTemplate}";

    public HttpRequestMessage ToRequest(Scene scene)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method), new Uri(scene.Expand(PathTemplate), UriKind.Relative));
        if (Body is not null)
        {
            request.Content = new StringContent(Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        if (PathTemplate == "/api/checkout")
        {
            request.Headers.Add(CheckoutApi.IdempotencyKeyHeader, SaleApi.NewIdempotencyKey());
        }

        return request;
    }
}

/// <summary>Every protected route of the contract, for the tables that check who may call what.</summary>
public static class ContractRoutes
{
    /// <summary>A caller of the wrong role is refused with 403 <c>forbidden</c>, and nothing changes.</summary>
    public static async Task AssertForbiddenAndUnchanged(FlashSaleApiFactory api, string route, string role)
    {
        var scene = await Scene.Create(api);
        var caller = await api.SignUp(role);
        var before = await scene.Snapshot();

        using var request = Named(route).ToRequest(scene);
        using var response = await caller.Http.SendAsync(request);

        await response.ReadProblem(System.Net.HttpStatusCode.Forbidden, FlashSale.Api.Extensions.Problems.Forbidden);
        Assert.Equal(before, await scene.Snapshot());
    }

    public const string Lots = "lots";
    public const string Cart = "cart";
    public const string Checkout = "checkout";
    public const string Orders = "orders";

    private const string NewLot = """{"name":"Gannan navel oranges","unit":"box (10 kg)","priceMinor":9900,"currency":"CNY","quantity":50,"perShopperLimit":4}""";

    public static IReadOnlyList<ContractRoute> Protected { get; } =
    [
        new(Lots, Roles.Seller, "POST", "/api/lots", NewLot),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/pause"),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/resume"),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/restock", """{"quantity":5}"""),
        new(Lots, Roles.Seller, "GET", "/api/lots/{lot}/stats"),
        new(Lots, Roles.Seller, "PATCH", "/api/lots/{lot}", """{"priceMinor":7200}"""),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/end"),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/harvest", """{"quantity":1}"""),
        new(Lots, Roles.Seller, "POST", "/api/lots/{lot}/surplus", "{}"),
        new(Lots, Roles.Seller, "GET", "/api/lots/{lot}/harvest/preview?quantity=1"),
        new(Lots, Roles.Seller, "GET", "/api/lots/{lot}/harvest"),
        new(Cart, Roles.Shopper, "GET", "/api/cart"),
        new(Cart, Roles.Shopper, "PUT", "/api/cart/items/{lot}", """{"quantity":1}"""),
        new(Cart, Roles.Shopper, "DELETE", "/api/cart/items/{lot}"),
        new(Checkout, Roles.Shopper, "POST", "/api/checkout", """{"paymentMethod":"wallet"}"""),
        new(Orders, Roles.Shopper, "GET", "/api/orders"),
        new(Orders, Roles.Shopper, "GET", "/api/orders/{order}"),
        new(Orders, Roles.Shopper, "POST", "/api/orders/{order}/cancel"),
        new(Orders, Roles.Shopper, "POST", "/api/orders/{order}/substitute/accept", """{"paymentMethod":"wallet"}"""),
        new(Orders, Roles.Shopper, "POST", "/api/orders/{order}/substitute/decline"),
    ];

    private static readonly string[] AllRoles = [Roles.Seller, Roles.Shopper, Roles.Agent];

    public static ContractRoute Named(string name) => Protected.Single(r => r.Name == name);

    public static TheoryData<string> All() => new(Protected.Select(r => r.Name));

    /// <summary>Each route of <paramref name="resource"/> with each role that may not call it.</summary>
    public static TheoryData<string, string> WrongRoles(string resource)
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Protected.Where(r => r.Resource == resource))
        {
            foreach (var role in AllRoles.Where(r => r != route.Role))
            {
                data.Add(route.Name, role);
            }
        }

        return data;
    }
}
