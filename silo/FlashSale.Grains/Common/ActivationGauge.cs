using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlashSale.Common;

/// <summary>
/// Publishes this silo's number of grain activations as <c>flashsale.grain.activations</c>, and
/// points <c>flashsale.queue.length</c> at its waiting rooms.
/// </summary>
internal sealed class ActivationGauge(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var workingSet = services.GetRequiredService<IActivationWorkingSet>();
        FlashSaleMetrics.ObserveActivations(() => workingSet.Count);
        FlashSaleMetrics.ObserveWaitingShoppers(WaitingRooms.WaitingRoomGauge.Waiting);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
