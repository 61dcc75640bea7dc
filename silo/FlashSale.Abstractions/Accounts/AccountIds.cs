using FlashSale.Common;

namespace FlashSale.Accounts;

/// <summary>Id prefixes of the accounts feature, in the style of <see cref="Ids"/>.</summary>
public static class AccountIds
{
    public const string AccountPrefix = "acc_";
    public const string ApplicationPrefix = "app_";
    public const string FamilyPrefix = "fam_";

    public static bool IsAccountId(string? id) => Ids.IsWellFormed(id, AccountPrefix);

    public static bool IsApplicationId(string? id) => Ids.IsWellFormed(id, ApplicationPrefix);
}
