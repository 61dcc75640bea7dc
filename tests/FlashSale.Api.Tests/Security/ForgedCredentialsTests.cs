using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FlashSale.Api.Identity;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Api.Tests.Payments;
using FlashSale.Orders;
using static FlashSale.Testing.Security.Forgeries;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Tests.Security;

[CollectionDefinition(Name)]
public sealed class ForgedCredentialsCollection : ICollectionFixture<FlashSaleApiFactory>
{
    public const string Name = "forged credentials";
}

/// <summary>
/// Whoever reads the repository learns every string in its appsettings files: none of them may
/// sign a token or a webhook this installation accepts. Each forgery is made by hand (HMAC over
/// the JWT or webhook bytes), so short and odd strings are tried too; a token and a webhook made
/// the same way with the host's own key and secret are accepted, so the harness itself works.
/// </summary>
[Collection(ForgedCredentialsCollection.Name)]
public sealed class ForgedCredentialsTests(FlashSaleApiFactory api)
{
    [Fact]
    public void The_repository_holds_no_signing_key_or_webhook_secret()
    {
        var strings = RepositoryStrings();
        Assert.NotEmpty(strings);
        var tokens = api.Services.GetRequiredService<IOptions<TokenOptions>>().Value;
        var keys = tokens.SigningKeys.Select(k => k.Key).Append(api.WebhookSecret()).Append(api.WebhookSecret("bank-transfer"));
        Assert.DoesNotContain(keys, strings.Contains);
    }

    [Fact]
    public async Task A_token_signed_with_any_string_in_the_repository_is_refused()
    {
        var shopper = await api.SignUpShopper();
        var keyId = RealKey().Id;
        foreach (var candidate in RepositoryStrings())
        {
            foreach (var kid in new[] { keyId, null })
            {
                using var forged = await GetCart(Jwt(Encoding.UTF8.GetBytes(candidate), Header("HS256", kid), Claims(shopper.Id)));
                Assert.True(forged.StatusCode == HttpStatusCode.Unauthorized, $"a token signed with \"{candidate}\" (kid {kid ?? "none"}) was accepted");
            }
        }
    }

    public static TheoryData<string> Forgeries() =>
    [
        "alg none", "alg none, no signature part", "wrong kid", "no kid", "HS512 with the right key", "RS256 header",
        "expired", "not yet valid", "wrong issuer", "wrong audience", "no expiry", "signature of another payload", "empty signature",
    ];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_or_altered_token_is_refused(string forgery)
    {
        var shopper = await api.SignUpShopper();
        var key = RealKey();
        var secret = Encoding.UTF8.GetBytes(key.Key);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = forgery switch
        {
            "alg none" => $"{Part(Header("none", key.Id))}.{Part(Claims(shopper.Id))}.",
            "alg none, no signature part" => $"{Part(Header("none", key.Id))}.{Part(Claims(shopper.Id))}",
            "wrong kid" => Jwt(secret, Header("HS256", "not-" + key.Id), Claims(shopper.Id)),
            "no kid" => Jwt(secret, Header("HS256", null), Claims(shopper.Id)),
            "HS512 with the right key" => Jwt(secret, Header("HS512", key.Id), Claims(shopper.Id), HMACSHA512.HashData),
            "RS256 header" => Jwt(secret, Header("RS256", key.Id), Claims(shopper.Id)),
            "expired" => Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id, exp: now - 600)),
            "not yet valid" => Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id, nbf: now + 600)),
            "wrong issuer" => Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id, iss: "someone-else")),
            "wrong audience" => Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id, aud: "someone-else")),
            "no expiry" => Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id, exp: null)),
            "signature of another payload" => string.Join('.', Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id)).Split('.')[..2])
                + "." + Jwt(secret, Header("HS256", key.Id), Claims("shp_0000000000000000")).Split('.')[2],
            "empty signature" => string.Join('.', Jwt(secret, Header("HS256", key.Id), Claims(shopper.Id)).Split('.')[..2]) + ".",
            _ => throw new ArgumentOutOfRangeException(nameof(forgery)),
        };

        using var response = await GetCart(token);

        await response.ReadProblem(HttpStatusCode.Unauthorized, FlashSale.Api.Extensions.Problems.Unauthorized);
    }

    [Fact]
    public async Task A_token_made_the_same_way_with_the_installations_key_is_accepted()
    {
        var shopper = await api.SignUpShopper();
        var key = RealKey();

        using var response = await GetCart(Jwt(Encoding.UTF8.GetBytes(key.Key), Header("HS256", key.Id), Claims(shopper.Id)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_webhook_signed_with_any_string_in_the_repository_is_refused_and_changes_nothing()
    {
        var seller = await api.SignUpSeller();
        var lot = await seller.CreateLot(quantity: 10, perShopperLimit: 5);
        var shopper = await api.SignUpShopper();
        await shopper.Hold(lot.LotId, 1);
        var order = await shopper.PlaceOrder("wallet");
        var body = GatewayApi.Body(GatewayApi.NewEventId(), order);

        foreach (var candidate in RepositoryStrings())
        {
            using var forged = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, candidate));
            Assert.True(forged.StatusCode == HttpStatusCode.Unauthorized, $"a webhook signed with \"{candidate}\" answered {(int)forged.StatusCode}");
        }

        Assert.Equal(OrderStatus.AwaitingPayment, (await shopper.GetOrder(order.OrderId)).Status);
        using var genuine = await api.SendWebhook("wallet", body, GatewayApi.Sign(body, api.WebhookSecret()));
        Assert.True(genuine.IsSuccessStatusCode);
        Assert.Equal(OrderStatus.Paid, (await shopper.GetOrder(order.OrderId)).Status);
    }

    private SigningKey RealKey() => api.Services.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKeys[0];

    private async Task<HttpResponseMessage> GetCart(string token)
    {
        using var client = api.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(new Uri("/api/cart", UriKind.Relative));
    }

    private static JsonObject Claims(string subject, long? exp = -1, long? nbf = null, string iss = "flashsale", string aud = "flashsale") =>
        FlashSale.Testing.Security.Forgeries.Claims(subject, Roles.Shopper, exp, nbf, iss, aud);
}
