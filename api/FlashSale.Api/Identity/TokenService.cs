using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

/// <summary>Issues bearer tokens: HS256 JWTs carrying the id, the role(s) and the signing key's id (<c>kid</c>).</summary>
public sealed class TokenService(IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Every configured key, each with its id, as the token validation wants them.</summary>
    public static IReadOnlyList<SymmetricSecurityKey> KeysFrom(TokenOptions options) =>
        options.SigningKeys.Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k.Key)) { KeyId = k.Id }).ToList();

    public string Issue(string subjectId, string role, string name) => Issue(subjectId, [role], name, options.Value.TokenLifetime);

    /// <summary>A token for any subject, roles and lifetime, signed with the first configured key.</summary>
    public string Issue(string subjectId, IReadOnlyCollection<string> roles, string name, TimeSpan lifetime)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new List<Claim> { new(JwtRegisteredClaimNames.Sub, subjectId), new(JwtRegisteredClaimNames.Name, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(KeysFrom(options.Value)[0], SecurityAlgorithms.HmacSha256),
        });
    }
}
