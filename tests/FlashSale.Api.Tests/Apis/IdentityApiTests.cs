using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FlashSale.Api.Apis;
using FlashSale.Api.Extensions;
using FlashSale.Api.Identity;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Common;

namespace FlashSale.Api.Tests.Apis;

/// <summary>The demo sign-up and the bearer tokens it issues: who may call at all.</summary>
[Collection(IdentityApiCollection.Name)]
public sealed class IdentityApiTests(FlashSaleApiFactory api)
{
    [Fact]
    public async Task Signing_up_a_seller_answers_201_with_an_id_and_a_token_that_creates_lots()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.PostAsJsonAsync("/api/sellers", new { name = "Wang Fang", village = "Dangshan" }, ApiJson.Options);
        var signedUp = await response.ReadAs<SellerSignedUp>(HttpStatusCode.Created);

        Assert.True(Ids.IsWellFormed(signedUp.SellerId, Ids.SellerPrefix), signedUp.SellerId);
        Assert.False(string.IsNullOrEmpty(signedUp.Token));
        var seller = new Caller(signedUp.SellerId, Roles.Seller, signedUp.Token, api.CreateClientWithToken(signedUp.Token));
        var lot = await seller.CreateLot();
        Assert.Equal(signedUp.SellerId, lot.SellerId);
    }

    [Fact]
    public async Task Signing_up_a_shopper_answers_201_with_an_id_and_a_token_that_opens_the_cart()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.PostAsJsonAsync("/api/shoppers", new { name = "Zhang Min" }, ApiJson.Options);
        var signedUp = await response.ReadAs<ShopperSignedUp>(HttpStatusCode.Created);

        Assert.True(Ids.IsWellFormed(signedUp.ShopperId, Ids.ShopperPrefix), signedUp.ShopperId);
        var shopper = new Caller(signedUp.ShopperId, Roles.Shopper, signedUp.Token, api.CreateClientWithToken(signedUp.Token));
        Assert.Equal(signedUp.ShopperId, (await shopper.GetCart()).ShopperId);
    }

    [Fact]
    public async Task Signing_up_an_agent_answers_201_with_an_id_and_a_token()
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.PostAsJsonAsync("/api/agents", new { name = "Liu Yang", village = "Zhouzhi" }, ApiJson.Options);
        var signedUp = await response.ReadAs<AgentSignedUp>(HttpStatusCode.Created);

        Assert.True(Ids.IsWellFormed(signedUp.AgentId, Ids.AgentPrefix), signedUp.AgentId);
        Assert.False(string.IsNullOrEmpty(signedUp.Token));
    }

    [Theory]
    [InlineData("/api/sellers", """{"name":"Wang Fang"}""", "sellerId")]
    [InlineData("/api/shoppers", """{"name":"Zhang Min"}""", "shopperId")]
    [InlineData("/api/agents", """{"name":"Liu Yang","village":"Zhouzhi"}""", "agentId")]
    public async Task A_sign_up_answers_exactly_the_contract_fields(string path, string body, string idField)
    {
        using var http = api.CreateAnonymousClient();

        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), ApiJson.Raw(body));
        var json = await response.ReadAs<JsonElement>(HttpStatusCode.Created);

        Assert.Equal(new HashSet<string> { idField, "token" }, ApiJson.PropertyNames(json));
    }

    [Fact]
    public async Task Each_sign_up_creates_a_new_identity()
    {
        var first = await api.SignUpShopper("Zhang Min");
        var second = await api.SignUpShopper("Zhang Min");

        Assert.NotEqual(first.Id, second.Id);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Theory]
    [MemberData(nameof(ContractRoutes.All), MemberType = typeof(ContractRoutes))]
    public async Task Every_protected_route_answers_an_anonymous_caller_401(string route)
    {
        var scene = await Scene.Create(api);
        var before = await scene.Snapshot();
        using var anonymous = api.CreateAnonymousClient();

        using var request = ContractRoutes.Named(route).ToRequest(scene);
        using var response = await anonymous.SendAsync(request);

        await response.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        Assert.Equal(before, await scene.Snapshot());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")]
    public async Task A_garbled_token_is_401(string token)
    {
        using var http = api.CreateClientWithToken(token);

        using var response = await http.GetAsync(new Uri("/api/cart", UriKind.Relative));

        await response.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }

    [Fact]
    public async Task A_shopper_who_rewrites_the_role_in_their_token_is_401()
    {
        var shopper = await api.SignUpShopper();
        var parts = shopper.Token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains("\"shopper\"", payload, StringComparison.Ordinal);
        parts[1] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("\"shopper\"", "\"seller\"", StringComparison.Ordinal)));
        using var forged = api.CreateClientWithToken(string.Join('.', parts));

        using var response = await forged.PostAsJsonAsync(
            "/api/lots", new { name = "Forged pears", unit = "box", priceMinor = 1, currency = "CNY", quantity = 1, perShopperLimit = 1 }, ApiJson.Options);

        await response.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }

    [Fact]
    public async Task A_token_of_another_scheme_is_401()
    {
        var shopper = await api.SignUpShopper();
        using var http = api.CreateAnonymousClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", shopper.Token);

        using var response = await http.GetAsync(new Uri("/api/cart", UriKind.Relative));

        await response.ReadProblem(HttpStatusCode.Unauthorized, Problems.Unauthorized);
    }
}
