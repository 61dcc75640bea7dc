using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlashSale.Api.Identity;

/// <summary>Issues the demo sign-up's bearer tokens: HS256 JWTs carrying the id and the role.</summary>
public sealed class TokenService(IOptions<TokenOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public static SymmetricSecurityKey KeyFrom(TokenOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));

    public string Issue(string subjectId, string role, string name)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = options.Value.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.Value.TokenLifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, subjectId),
                new Claim(ClaimTypes.Role, role),
                new Claim(JwtRegisteredClaimNames.Name, name),
            ]),
            SigningCredentials = new SigningCredentials(KeyFrom(options.Value), SecurityAlgorithms.HmacSha256),
        });
    }
}
