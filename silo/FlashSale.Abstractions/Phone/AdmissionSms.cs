namespace FlashSale.Phone;

/// <summary>
/// Who to text when a ticket taken through the phone channel is admitted, and how that text
/// should read. The waiting room keeps one per waiting phone ticket: a feature phone has no live
/// page to watch its place, so the room texts it instead.
/// </summary>
/// <param name="Phone">The number that asked (E.164): the shopper's own, or the village agent's that queued a villager.</param>
/// <param name="Language">The language the phone was using (<c>en</c>, <c>zh-CN</c> or <c>sw</c>), so the text reads as the menu (or the SMS command) did.</param>
/// <param name="ServiceCode">The USSD code to dial to hold, as the phone dialled it.</param>
/// <param name="PhoneCode">The lot's phone code, for <c>BUY &lt;code&gt; &lt;qty&gt;</c>; null for a lot that has none.</param>
/// <param name="VillagerName">
/// The villager an agent queued: the text goes to the agent, names the villager and offers only
/// the agent's menu, since an SMS <c>BUY</c> from the agent's number would buy for the agent.
/// </param>
[GenerateSerializer, Immutable]
public sealed record AdmissionSmsRecipient(
    [property: Id(0)] string Phone,
    [property: Id(1)] string Language,
    [property: Id(2)] string ServiceCode,
    [property: Id(3)] int? PhoneCode,
    [property: Id(4)] string? VillagerName = null);

/// <summary>
/// The text of one admission (key <see cref="PhoneChannel.AdmissionSmsKey"/>: the lot and the queue position, which a
/// re-join never reuses), sent at most once however often it is asked: the waiting room asks
/// without waiting for it, and may ask again after a restart, so the once is kept here, in storage.
/// </summary>
public interface IAdmissionSmsGrain : IGrainWithStringKey
{
    /// <summary>Texts <paramref name="recipient"/> that its turn has come, until <paramref name="admittedUntil"/>; true if this call sent it, false if it was sent before.</summary>
    Task<bool> Send(AdmissionSmsRecipient recipient, DateTimeOffset admittedUntil);
}
