using System.ComponentModel.DataAnnotations;
using FlashSale.Accounts;
using Microsoft.Extensions.Options;

namespace FlashSale.Api.Accounts;

/// <summary>
/// Sign-in settings, in the identity section (<c>FlashSale:Identity</c>): who the operators are,
/// and how long an account's access token lives.
/// </summary>
public sealed class AccountOptions
{
    public const string Section = "FlashSale:Identity";

    /// <summary>
    /// The operators' phone numbers, E.164 (<c>--FlashSale:Identity:Operators:0=+8613900000000</c>).
    /// An account whose number is here gets the operator role at its next sign-in or refresh.
    /// </summary>
    public List<string> Operators { get; set; } = [];

    /// <summary>How long an account's access token lives: at most 15 minutes (the contract's bound).</summary>
    [Range(typeof(TimeSpan), "00:00:30", "00:15:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    private HashSet<string>? _operators;

    public bool IsOperator(string phoneE164)
    {
        _operators ??= Operators.Select(E164.Normalize).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return _operators.Contains(phoneE164);
    }
}

/// <summary>Refuses to start with an operator number that is not a mobile number in E.164, and says which.</summary>
public sealed class AccountOptionsValidation : IValidateOptions<AccountOptions>
{
    public ValidateOptionsResult Validate(string? name, AccountOptions options)
    {
        var bad = options.Operators.Where(n => E164.Normalize(n) is null).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AccountOptions.Section}:Operators has numbers that are not mobile numbers in E.164 (+<country><number>): {string.Join(", ", bad)}");
    }
}
