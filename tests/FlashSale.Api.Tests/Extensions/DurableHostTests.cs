using System.Globalization;
using FlashSale.Api.Tests.Infrastructure;
using FlashSale.Cluster;
using FlashSale.Lots;
using Order = FlashSale.Orders.Order;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace FlashSale.Api.Tests.Extensions;

/// <summary>
/// The embedded host on its durable default: a data folder, Garnet with its append-only file,
/// the cluster's Redis providers. Each test stops a host and starts another on the same folder.
/// </summary>
public sealed class DurableHostTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "flashsale-durable-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        foreach (var folder in new[] { _folder, _folder + "-restored" }.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What <c>cp -a</c> does, as an operator would back up a stopped folder.</summary>
    private static void CopyStoppedFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// Restarted on the same folder, or (a backup, as docs/architecture.md describes it) on a copy
    /// of the stopped folder made elsewhere: the new host has every lot, hold and order.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Lots_holds_and_orders_survive_a_restart_and_a_copy_of_the_stopped_folder_restores_them(bool fromCopy)
    {
        Lot lot;
        Order order;
        Caller seller, shopper;
        await using (var api = await DurableApiFactory.Start(_folder))
        {
            seller = await api.SignUpSeller();
            shopper = await api.SignUpShopper();
            lot = await seller.CreateLot(quantity: 20);
            await shopper.Hold(lot.LotId, 3);
            order = await shopper.PlaceOrder();
            await shopper.Hold(lot.LotId, 2);
        }

        var folder = _folder;
        if (fromCopy)
        {
            folder = _folder + "-restored";
            CopyStoppedFolder(_folder, folder);
            Directory.Delete(_folder, recursive: true);
        }

        await using var restarted = await DurableApiFactory.Start(folder);
        var sellerAgain = seller with { Http = restarted.CreateClientWithToken(seller.Token) };
        var shopperAgain = shopper with { Http = restarted.CreateClientWithToken(shopper.Token) };

        var lotAgain = await sellerAgain.GetLot(lot.LotId);
        SaleApi.AssertInvariant(lotAgain);
        Assert.Equal((15, 5), (lotAgain.Available, lotAgain.Reserved));
        Assert.Equivalent(order, await shopperAgain.GetOrder(order.OrderId), strict: true);
        var cart = await shopperAgain.GetCart();
        Assert.Equal(2, Assert.Single(cart.Items).Quantity);
    }

    [Fact]
    public async Task A_hold_that_lapsed_while_the_host_was_down_returns_to_stock_with_no_request()
    {
        Lot lot;
        Caller seller;
        await using (var api = await DurableApiFactory.Start(_folder))
        {
            seller = await api.SignUpSeller();
            var shopper = await api.SignUpShopper();
            lot = await seller.CreateLot(quantity: 10);
            await shopper.Hold(lot.LotId, 3);
        }

        // The next host's engine clock is past the hold's expiry. Nothing calls the lot: its wake
        // reminder activates it, and the activation returns the hold. The journal shows it.
        await using var restarted = await DurableApiFactory.Start(_folder, clockAhead: TimeSpan.FromMinutes(11));
        var journal = new RedisLotJournal(restarted.Services.GetRequiredService<IConnectionMultiplexer>(), restarted.Services.GetRequiredService<Serializer>());
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!(await journal.ReadAsync(lot.LotId)).Events.OfType<HoldReleased>().Any(e => e.Expired))
        {
            Assert.False(bound.IsCancellationRequested, "the lapsed hold was not returned without a request");
            await Task.Delay(50, CancellationToken.None);
        }

        var lotAgain = await (seller with { Http = restarted.CreateClientWithToken(seller.Token) }).GetLot(lot.LotId);
        Assert.Equal((10, 0), (lotAgain.Available, lotAgain.Reserved));
    }

    /// <summary>The API on a data folder, its wake reminders ringing every second so a test need not wait a minute.</summary>
    private sealed class DurableApiFactory(string folder) : FlashSaleApiFactory
    {
        protected override string? DataPath => folder;

        public static async Task<DurableApiFactory> Start(string folder, TimeSpan clockAhead = default)
        {
            var api = new DurableApiFactory(folder);
            api.Clock.Advance(clockAhead);
            await api.InitializeAsync();
            return api;
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("FlashSale:Wake:Period", TimeSpan.FromSeconds(1).ToString("c", CultureInfo.InvariantCulture));
        }
    }
}
