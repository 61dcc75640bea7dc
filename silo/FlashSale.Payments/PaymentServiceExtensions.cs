using FlashSale.Common;
using FlashSale.Payments;
using FlashSale.Payments.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlashSale;

/// <summary>
/// The payment methods' services. The engine's silo registers them for its grains, and the hosting
/// entry point for an API node that is only a client of the cluster, which verifies webhooks itself.
/// </summary>
public static class PaymentServiceExtensions
{
    /// <summary>
    /// The payment markets (the defaults unless configuration names its own markets, in which
    /// case configuration replaces them whole: a merged list would be surprising), the providers
    /// that serve their methods, the gateway they use (the sandbox unless one was registered
    /// first), webhook secrets and the cash-on-delivery cap. Safe to call from both the silo and
    /// an API host that shares its container: the second call changes nothing.
    /// </summary>
    public static IServiceCollection AddFlashSalePayments(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(PaymentProviders)))
        {
            return services;
        }

        services.TryAddKeyedSingleton(FlashSaleClock.Key, TimeProvider.System);
        services.TryAddSingleton<IPaymentGateway, SandboxPaymentGateway>();
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IPaymentProvider, WalletProvider>(),
            ServiceDescriptor.Singleton<IPaymentProvider, BankTransferProvider>(),
            ServiceDescriptor.Singleton<IPaymentProvider, MobileMoneyProvider>(),
            ServiceDescriptor.Singleton<IPaymentProvider, CashOnDeliveryProvider>(),
            ServiceDescriptor.Singleton<IPaymentProvider, VillageAgentProvider>(),
        ]);
        services.AddSingleton<PaymentProviders>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PaymentOptions>, PaymentMarketsValidation>());
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddOptions<CashOnDeliveryOptions>().Bind(configuration.GetSection(CashOnDeliveryOptions.Section));
        services.AddOptions<PaymentOptions>().ValidateOnStart().Configure(options =>
        {
            var configured = configuration.GetSection(PaymentOptions.Section).Get<PaymentOptions>();
            var source = configured is { Markets.Count: > 0 } ? configured : PaymentOptions.CreateDefault();
            foreach (var (currency, methods) in source.Markets)
            {
                options.Markets[currency] = methods;
            }
        });
        return services;
    }
}
