using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace FlashSale.Api.Identity;

/// <summary>
/// The id a caller acts as in each role. An account's token names its account in <c>sub</c> and
/// carries one id per role it holds (<c>shopper_id</c>, <c>seller_id</c>, <c>agent_id</c>) and its
/// refresh-token family (<c>fam</c>). A demo sign-up token has one role and its id in <c>sub</c>:
/// for it, each role's id falls back to <c>sub</c>, so demo tokens and routes work as before.
/// </summary>
public static class CallerIds
{
    public const string ShopperIdClaim = "shopper_id";
    public const string SellerIdClaim = "seller_id";
    public const string AgentIdClaim = "agent_id";

    /// <summary>The refresh-token family an account's access token belongs to; demo tokens have none.</summary>
    public const string FamilyClaim = "fam";

    public static string ShopperId(this ClaimsPrincipal user) => RoleId(user, ShopperIdClaim);

    public static string SellerId(this ClaimsPrincipal user) => RoleId(user, SellerIdClaim);

    public static string AgentId(this ClaimsPrincipal user) => RoleId(user, AgentIdClaim);

    /// <summary>The account id of an account's token, or null for a demo token.</summary>
    public static string? AccountId(this ClaimsPrincipal user) =>
        user.FindFirstValue(FamilyClaim) is null ? null : user.FindFirstValue(JwtRegisteredClaimNames.Sub);

    private static string RoleId(ClaimsPrincipal user, string claim) =>
        user.FindFirstValue(claim)
        ?? (user.FindFirstValue(FamilyClaim) is null
            ? user.UserId()
            : throw new InvalidOperationException($"An account's token without {claim} passed a role check."));
}
