using FlashSale.Accounts;
using FlashSale.Agents;
using FlashSale.Carts;
using FlashSale.Checkout;
using FlashSale.Common;
using FlashSale.Live;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using FlashSale.Payments;
using FlashSale.Payments.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;

namespace FlashSale;

public static class EngineSiloExtensions
{
    /// <summary>
    /// Registers what the grains need: the engine clock, the lot journal (in memory unless a
    /// durable one was registered first) and the sale options, bound from <c>FlashSale:*</c>.
    /// Grain storage named <see cref="StorageNames.Default"/> is the host's to choose.
    /// </summary>
    public static ISiloBuilder AddFlashSaleEngine(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.TryAddKeyedSingleton(FlashSaleClock.Key, TimeProvider.System);
        services.TryAddSingleton(TimeProvider.System); // the wall clock that paces live updates
        services.AddOptions<LiveStockOptions>().Bind(configuration.GetSection(LiveStockOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiveStockOptions>, LiveStockOptionsValidation>());
        services.AddHostedService<ActivationGauge>();
        services.TryAddSingleton<ILotJournal, InMemoryLotJournal>();
        services.AddOptions<LotJournalOptions>().Bind(configuration.GetSection("FlashSale:LotJournal"));
        services.AddOptions<HoldExpiryOptions>().Bind(configuration.GetSection("FlashSale:HoldExpiry"));
        services.AddOptions<CheckoutRecoveryOptions>().Bind(configuration.GetSection(CheckoutRecoveryOptions.Section));
        services.AddOptions<WakeOptions>().Bind(configuration.GetSection(WakeOptions.Section));

        // Orleans refuses reminders more frequent than a minute by default; a configured wake
        // period below that (a test's) lowers the floor to it.
        var wake = configuration.GetSection(WakeOptions.Section).Get<WakeOptions>() ?? new WakeOptions();
        silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = wake.Period < o.MinimumReminderPeriod ? wake.Period : o.MinimumReminderPeriod);
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection("FlashSale:Idempotency"));
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section));
        services.AddOptions<Fulfilment.FulfilmentOptions>().Bind(configuration.GetSection(Fulfilment.FulfilmentOptions.Section))
            .Validate(o => o.MaxWrongPickupCodes is >= 1 and <= 100, $"{Fulfilment.FulfilmentOptions.Section}:MaxWrongPickupCodes must be 1 to 100.").ValidateOnStart();
        services.AddOptions<MoneyLimitOptions>().Bind(configuration.GetSection(MoneyLimitOptions.Section))
            .Validate(o => o.MaxOrderTotalMinor is > 0 and <= long.MaxValue / 2, $"{MoneyLimitOptions.Section}:MaxOrderTotalMinor must be positive and at most 2^62.").ValidateOnStart();
        services.AddOptions<LotQuotaOptions>().Bind(configuration.GetSection(LotQuotaOptions.Section))
            .Validate(o => o.MaxLiveLotsPerSeller is >= 1 and <= 100_000, $"{LotQuotaOptions.Section}:MaxLiveLotsPerSeller must be 1 to 100000.").ValidateOnStart();
        services.AddFlashSalePayments(configuration);
        services.AddOptions<Phone.PhoneChannelOptions>().Bind(configuration.GetSection(Phone.PhoneChannelOptions.Section))
            .Validate(o => o.IsValid(out _), $"{Phone.PhoneChannelOptions.Section}: ActionBudget must be 0-10 s, SessionLifetime 30 s-1 h, LotListFreshness 0-10 s, and every currency in Methods needs a method.").ValidateOnStart();
        services.TryAddSingleton<Phone.PhoneLotListing>();
        services.TryAddSingleton<ISmsGateway, SandboxSmsGateway>(); // sign-in codes; a host registers a real gateway first

        // Grain state is written on every hold (the cart) and every order step. Orleans' default
        // storage serializer is Newtonsoft JSON with type names, which measured as the largest
        // single cost of a hold (docs/benchmarks.md). Every state type is already
        // [GenerateSerializer] with [Id]s, so the Orleans binary serializer is version tolerant
        // for it too. Registered last so that it replaces the default for every provider that
        // was not given a serializer of its own (memory and Redis alike).
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        return silo;
    }
}
