using Microsoft.Extensions.Options;

namespace FlashSale.Api.Extensions;

/// <summary>
/// Tells a refusal to start for want of a setting from any other failure. Options validated at
/// start fail one by one when a single option is wrong, and together, as an
/// <see cref="AggregateException"/>, when several are (Production without any secret configured).
/// </summary>
public static class StartupRefusal
{
    /// <summary>The settings' failures when every part of <paramref name="failure"/> is one; otherwise null.</summary>
    public static IReadOnlyList<OptionsValidationException>? SettingsAtFault(Exception failure) => failure switch
    {
        OptionsValidationException invalid => [invalid],
        AggregateException { InnerExceptions.Count: > 0 } all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.Cast<OptionsValidationException>()],
        _ => null,
    };
}
