namespace FlashSale.Api.Identity;

/// <summary>The contract's three roles; each is also the name of the policy that requires it.</summary>
public static class Roles
{
    public const string Seller = "seller";
    public const string Shopper = "shopper";
    public const string Agent = "agent";
}
