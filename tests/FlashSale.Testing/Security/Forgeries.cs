using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FlashSale.Testing.Security;

/// <summary>
/// What an attacker who reads the repository can make: tokens and webhook signatures made by hand
/// (HMAC over the bytes), with any key, so short and odd strings are tried too.
/// </summary>
public static class Forgeries
{
    /// <summary>Every string (values and names) in every appsettings*.json of the repository.</summary>
    public static IReadOnlySet<string> RepositoryStrings()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FlashSale.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException($"no FlashSale.sln above {AppContext.BaseDirectory}");
        }

        var files = Directory.EnumerateFiles(root.FullName, "appsettings*.json", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"));
        var strings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            Collect(JsonNode.Parse(File.ReadAllText(file), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }), strings);
        }

        return strings;
    }

    public static JsonObject Header(string alg, string? kid)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    /// <summary>A shopper's claims as the host issues them; <paramref name="exp"/> -1 is an hour from now, null none.</summary>
    public static JsonObject Claims(string subject, string role, long? exp = -1, long? nbf = null, string iss = "flashsale", string aud = "flashsale")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["sub"] = subject, ["name"] = "Forger", [System.Security.Claims.ClaimTypes.Role] = role,
            ["iss"] = iss, ["aud"] = aud, ["iat"] = now, ["nbf"] = nbf ?? now,
        };
        if (exp is not null)
        {
            claims["exp"] = exp == -1 ? now + 3600 : exp;
        }

        return claims;
    }

    public static string Jwt(byte[] key, JsonObject header, JsonObject claims, Func<byte[], byte[], byte[]>? mac = null)
    {
        var signed = $"{Part(header)}.{Part(claims)}";
        return signed + "." + Base64Url((mac ?? HMACSHA256.HashData)(key, Encoding.ASCII.GetBytes(signed)));
    }

    public static string Part(JsonObject json) => Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

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
}
