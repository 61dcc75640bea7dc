using System.Collections.Frozen;
using Microsoft.Extensions.Options;

namespace FlashSale.Payments;

/// <summary>The registered providers by method name; markets may only offer methods found here.</summary>
public sealed class PaymentProviders(IEnumerable<IPaymentProvider> providers)
{
    private readonly FrozenDictionary<string, IPaymentProvider> _byMethod = providers.ToFrozenDictionary(p => p.Method, StringComparer.Ordinal);

    public IEnumerable<IPaymentProvider> All => _byMethod.Values;

    public IPaymentProvider? Find(string? method) => method is not null && _byMethod.TryGetValue(method, out var provider) ? provider : null;
}

/// <summary>Refuses to start with a market method that no provider serves, or whose flow differs from its provider's.</summary>
internal sealed class PaymentMarketsValidation(PaymentProviders providers) : IValidateOptions<PaymentOptions>
{
    public ValidateOptionsResult Validate(string? name, PaymentOptions options)
    {
        var failures = new List<string>();
        foreach (var (currency, methods) in options.Markets)
        {
            foreach (var method in methods)
            {
                if (providers.Find(method.Method) is not { } provider)
                {
                    failures.Add($"{currency} offers '{method.Method}', which no payment provider serves.");
                }
                else if (provider.Flow != method.Flow)
                {
                    failures.Add($"{currency} lists '{method.Method}' as {method.Flow}, but its provider's flow is {provider.Flow}.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
