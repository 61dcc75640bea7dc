using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

/// <summary>Issues bearer tokens: HS256 JWTs carrying the id, the role(s) and the signing key's id (<c>kid</c>).</summary>
/// <remarks>
/// Every token it issues is handed to <paramref name="issuedTokens"/> (the node's validated-token
/// cache, when there is one), so a shopper who signs in before a sale is not validated again in
/// its opening second.
/// </remarks>
public sealed class TokenService(IOptions<TokenOptions> options, TimeProvider time, ValidatedTokenCache? issuedTokens = null)
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly Lazy<TokenValidationParameters> _validation = new(() => ValidationParameters(options.Value));

    /// <summary>Every configured key, each with its id, as the token validation wants them.</summary>
    public static IReadOnlyList<SymmetricSecurityKey> KeysFrom(TokenOptions options) =>
        options.SigningKeys.Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k.Key)) { KeyId = k.Id }).ToList();

    /// <summary>How every API node checks a bearer token this installation issued.</summary>
    public static TokenValidationParameters ValidationParameters(TokenOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Issuer,
        IssuerSigningKeys = KeysFrom(options),

        // A token must name its key (kid) and be HS256: a wrong or missing kid is not
        // retried against every key, and no other algorithm (none included) is accepted.
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        NameClaimType = JwtRegisteredClaimNames.Name,
        RoleClaimType = ClaimTypes.Role,
        ClockSkew = TimeSpan.FromMinutes(1),
    };

    public string Issue(string subjectId, string role, string name) =>
        Issue(subjectId, [role], name, options.Value.TokenLifetime, []).Token;

    /// <summary>A token for several roles, with extra claims (an account's role ids) and its own lifetime.</summary>
    public IssuedToken Issue(string subjectId, IReadOnlyCollection<string> roles, string name, TimeSpan lifetime, IEnumerable<Claim> claims)
    {
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, subjectId),
                .. roles.Select(role => new Claim(ClaimTypes.Role, role)),
                new Claim(JwtRegisteredClaimNames.Name, name),
                .. claims,
            ]),
            SigningCredentials = new SigningCredentials(KeysFrom(options.Value)[0], SecurityAlgorithms.HmacSha256),
        });
        issuedTokens?.RememberIssued(token, _validation.Value);
        return new IssuedToken(token, expires);
    }
}

public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);
