using FlashSale.Common;
using FlashSale.Lots;

namespace FlashSale.Api.Seeding;

/// <summary>
/// Seeds a demo seller with three live lots so a newcomer's first run has something to buy, and
/// a presale whose harvest can be declared a few minutes after the start (<see cref="PresaleLot"/>).
/// Off with <c>--no-demo</c> (or <c>FlashSale:Demo:Seed=false</c>), and skipped when lots exist
/// already (a durable cluster restarting). Runs after the silo or client has started:
/// hosted services start in registration order, and the silo registered first.
/// </summary>
internal sealed partial class DemoSaleSeeder(
    IGrainFactory grains, IConfiguration configuration, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time, ILogger<DemoSaleSeeder> logger) : IHostedService
{
    public static readonly IReadOnlyList<LotDefinition> DemoLots =
    [
        new("", "Dangshan honey pears", "box (5 kg)", 6800, "CNY", 200, 2, null, null),
        new("", "Gannan navel oranges", "box (10 kg)", 9900, "CNY", 800, 4, null, null),
        new("", "Zhouzhi kiwifruit", "crate (3 kg)", 4500, "CNY", 300, 3, null, null),
    ];

    /// <summary>How soon after the start the demo presale's harvest window opens: long enough to reserve and pay a deposit first.</summary>
    public static readonly TimeSpan PresaleHarvestOpensAfter = TimeSpan.FromMinutes(2);

    public string? DemoSellerId { get; private set; }

    /// <summary>A presale of grade A oranges, 10 kg boxes weighed at packing (±5 %), with a 20 % deposit; its harvest can be declared from two minutes after the start.</summary>
    public static LotDefinition PresaleLot(DateTimeOffset now) =>
        new("", "Gannan navel oranges, grade A (presale)", "box (10 kg)", 9900, "CNY", 500, 4, null, null,
            Presale: new PresaleTerms(20, now + PresaleHarvestOpensAfter, now.AddDays(30), 48, PresaleAllocation.ProRata, "A", 10_000, 5));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("FlashSale:Demo:Seed", true))
        {
            return;
        }

        var catalog = grains.GetGrain<ILotCatalogGrain>(0);
        if ((await catalog.List()).Count > 0)
        {
            return; // a durable cluster keeps its lots: seed a fresh one only
        }

        DemoSellerId = Ids.New(Ids.SellerPrefix);
        foreach (var lot in DemoLots.Append(PresaleLot(time.GetUtcNow())))
        {
            var lotId = Ids.New(Ids.LotPrefix);
            var created = await grains.GetGrain<ISellerLotsGrain>(DemoSellerId).CreateLot(lotId, lot with { SellerId = DemoSellerId });
            if (created.Succeeded)
            {
                await catalog.Register(lotId, DemoSellerId);
            }
        }

        LogSeeded(DemoLots.Count + 1, DemoSellerId);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Seeded {Count} demo lots for seller {SellerId}")]
    private partial void LogSeeded(int count, string sellerId);
}
