using System.Collections.Concurrent;

namespace FlashSale.WaitingRooms;

/// <summary>
/// What the metrics thread may read of the waiting rooms active on this silo: an immutable shape
/// per room, swapped in whole after each change. Admission times are evenly spaced at the lot's
/// rate up to the last one given, so the number still waiting follows from the shape and the clock.
/// </summary>
internal static class WaitingRoomGauge
{
    private static readonly ConcurrentDictionary<string, Shape> Rooms = new(StringComparer.Ordinal);

    public static void Update(string lotId, Shape shape) => Rooms[lotId] = shape;

    public static void Forget(string lotId) => Rooms.TryRemove(lotId, out _);

    public static long Waiting() => Rooms.Values.Sum(room => room.Waiting());

    internal sealed record Shape(int AwaitingDraw, int Positions, DateTimeOffset LastAdmitsAt, int AdmitPerSecond, TimeProvider Time)
    {
        public long Waiting()
        {
            var left = LastAdmitsAt - Time.GetUtcNow();
            var queued = left <= TimeSpan.Zero ? 0 : Math.Min(Positions, (long)Math.Ceiling(left.TotalSeconds * AdmitPerSecond));
            return AwaitingDraw + queued;
        }
    }
}
