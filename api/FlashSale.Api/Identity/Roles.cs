namespace FlashSale.Api.Identity;

/// <summary>The contract's roles; each is also the name of the policy that requires it.</summary>
public static class Roles
{
    public const string Seller = "seller";
    public const string Shopper = "shopper";
    public const string Agent = "agent";

    /// <summary>Approves sellers and agents, suspends accounts, takes lots down; given by phone number in configuration.</summary>
    public const string Operator = "operator";
}
