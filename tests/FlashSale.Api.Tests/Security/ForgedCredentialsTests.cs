using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlashSale.Api.Identity;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Api.Tests.Payments;
using FlashSale.Orders;
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

    /// <summary>Every string (values and names) in every appsettings*.json of the repository.</summary>
    public static IReadOnlySet<string> RepositoryStrings()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FlashSale.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var files = Directory.EnumerateFiles(root.FullName, "appsettings*.json", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"));
        var strings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Collect(JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }), strings);
        }

        return strings;
    }

    private static void Collect(JsonNode? node, HashSet<string> strings)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    strings.Add(name);
                    Collect(value, strings);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, strings);
                }

                break;
            case JsonValue value:
                strings.Add(value.ToJsonString().Trim('"'));
                break;
        }
    }

    private SigningKey RealKey() => api.Services.GetRequiredService<IOptions<TokenOptions>>().Value.SigningKeys[0];

    private async Task<HttpResponseMessage> GetCart(string token)
    {
        using var client = api.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync(new Uri("/api/cart", UriKind.Relative));
    }

    private static JsonObject Header(string alg, string? kid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    private static JsonObject Claims(string subject, long? exp = -1, long? nbf = null, string iss = "flashsale", string aud = "flashsale")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = subject, ["name"] = "Forger", [System.Security.Claims.ClaimTypes.Role] = Roles.Shopper,
            ["iss"] = iss, ["aud"] = aud, ["iat"] = now, ["nbf"] = nbf ?? now,
        };
        if (exp is not null)
        {
            claims["exp"] = exp == -1 ? now + 3600 : exp;
        }

        return claims;
    }

    private static string Jwt(byte[] key, JsonObject header, JsonObject claims, Func<byte[], byte[], byte[]>? mac = null)
    {
        var signed = $"{Part(header)}.{Part(claims)}";
        return signed + "." + Base64Url((mac ?? HMACSHA256.HashData)(key, Encoding.ASCII.GetBytes(signed)));
    }

    private static string Part(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
