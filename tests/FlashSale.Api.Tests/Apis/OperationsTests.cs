using System.Net;
using System.Text.Json;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace FlashSale.Api.Tests.Apis;

/// <summary>What an operator and a client generator rely on: health, the OpenAPI document, the reference page.</summary>
[Collection(OperationsApiCollection.Name)]
public sealed class OperationsTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Health_is_200_once_the_cluster_serves()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ping_answers_pong_to_anyone()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.GetAsync(new Uri("/ping", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_contract_routes()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        string[] contract =
        [
            "/api/sellers", "/api/shoppers", "/api/agents",
            "/api/lots", "/api/lots/{lotId}", "/api/lots/{lotId}/pause", "/api/lots/{lotId}/resume",
            "/api/lots/{lotId}/restock", "/api/lots/{lotId}/stats",
            "/api/cart", "/api/cart/items/{lotId}",
            "/api/payment-methods", "/api/checkout",
            "/api/orders", "/api/orders/{orderId}", "/api/orders/{orderId}/cancel",
        ];
        Assert.All(contract, route => Assert.Contains(route, paths));
    }

    [Fact]
    public async Task The_API_reference_page_answers()
    {
        // The reference page redirects /api-docs to its canonical address; a browser follows.
        using var browser = api.CreateClient();

        using var response = await browser.GetAsync(new Uri("/api-docs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public void The_embedded_silo_listens_on_the_ports_it_was_given()
    {
        var endpoints = api.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;

        Assert.Equal((api.SiloPort, api.GatewayPort), (endpoints.SiloPort, endpoints.GatewayPort));
    }

    [Fact]
    public void The_engine_runs_on_the_tests_clock()
    {
        Assert.Same(api.Clock, api.Services.GetRequiredKeyedService<TimeProvider>(FlashSaleClock.Key));
    }
}
