namespace FlashSale.Api.Identity;

/// <summary>The contract's roles; each is also the name of the policy that requires it.</summary>
public static class Roles
{
    public const string Seller = "seller";
    public const string Shopper = "shopper";
    public const string Agent = "agent";

    /// <summary>Runs the installation: may read /metrics and /dashboard in Production.</summary>
    public const string Operator = "operator";
}
