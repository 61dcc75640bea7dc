using System.Diagnostics.Metrics;
using FlashSale.Common;

namespace FlashSale.Tests.Infrastructure;

/// <summary>
/// Counts the hold decisions lots make for calls sent by one test, from the engine's own
/// <c>flashsale.holds</c> counter. Orleans does not deliver concurrent calls in the order they
/// were sent, so a test that must know its calls have reached the lot (not merely been sent) waits
/// for this count. The test's calls carry a marker in the <see cref="RequestContext"/>; the lot
/// records the counter inside the call's turn, where the marker is visible, so decisions made for
/// other tests running at the same time are not counted.
/// </summary>
public sealed class HoldDecisionCounter : IDisposable
{
    private const string MarkerKey = "flashsale-test-marker";

    private readonly MeterListener _listener = new();
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private int _count;

    public HoldDecisionCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "flashsale.holds" } && instrument.Meter.Name == FlashSaleMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            if (RequestContext.Get(MarkerKey) as string == _marker)
            {
                Interlocked.Add(ref _count, (int)value);
            }
        });
        _listener.Start();

        // From here on, calls made by this async flow carry the marker.
        RequestContext.Set(MarkerKey, _marker);
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose()
    {
        RequestContext.Remove(MarkerKey);
        _listener.Dispose();
    }
}
