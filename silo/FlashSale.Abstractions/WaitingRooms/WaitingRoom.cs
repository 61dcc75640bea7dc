namespace FlashSale.WaitingRooms;

/// <summary>
/// A lot's waiting room: at most <see cref="AdmitPerSecond"/> shoppers are let in per second, each
/// for <see cref="AdmissionWindowSeconds"/> to place a hold. Off (null) for small sales.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WaitingRoomPolicy(
    [property: Id(0)] int AdmitPerSecond,
    [property: Id(1)] int AdmissionWindowSeconds);

/// <summary>Where a shopper stands in a lot's waiting room.</summary>
public enum TicketState
{
    /// <summary>Joined before the opening: positions are drawn at random when the sale opens.</summary>
    AwaitingDraw,
    Waiting,
    Admitted,
    /// <summary>The admission window passed without a hold; the shopper may join again at the back.</summary>
    Lapsed,
}

/// <summary>
/// A shopper's one ticket for a lot. <see cref="Position"/> and <see cref="AdmitsAt"/> are fixed
/// once drawn (or once joined after the opening), so the client can count down on its own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record QueueTicket(
    [property: Id(0)] string LotId,
    [property: Id(1)] string ShopperId,
    [property: Id(2)] TicketState State,
    [property: Id(3)] int? Position,
    [property: Id(4)] DateTimeOffset? AdmitsAt,
    [property: Id(5)] DateTimeOffset? AdmittedUntil,
    [property: Id(6)] int? Ahead,
    [property: Id(7)] DateTimeOffset JoinedAt);

/// <summary>
/// One lot's waiting room. Everyone who arrives before the opening is shuffled fairly at the
/// opening (as Queue-it does); later arrivals are first come, first served. Admission follows the
/// lot's rate strictly, in position order: nobody skips ahead, and asking again gains nothing.
/// </summary>
public interface IWaitingRoomGrain : IGrainWithStringKey
{
    Task<Common.Outcome<QueueTicket>> Join(string shopperId);

    /// <summary>
    /// <see cref="Join"/> through the phone channel: the same ticket, and while it waits the room
    /// keeps <paramref name="textOnAdmission"/>, and texts it once when the ticket's turn comes
    /// (a feature phone has no page that shows its place). A ticket already admitted is not texted.
    /// </summary>
    Task<Common.Outcome<QueueTicket>> JoinByPhone(string shopperId, Phone.AdmissionSmsRecipient textOnAdmission);

    Task<QueueTicket?> TicketOf(string shopperId);

    /// <summary>True while the shopper's admission window is open.</summary>
    Task<bool> IsAdmitted(string shopperId);

    /// <summary>
    /// The room's own clock: called at the opening and as admissions pass, so the draw happens
    /// and watchers hear how far the queue has got without waiting for anyone to ask.
    /// </summary>
    Task Advance();

    /// <summary>The seller edited the lot before it opened: the room reads its terms again, so the draw happens at the new opening.</summary>
    Task LotTermsChanged();
}
