namespace FlashSale.Accounts;

/// <summary>One text message as the sandbox SMS gateway delivered it.</summary>
[GenerateSerializer, Immutable]
public sealed record SmsMessage([property: Id(0)] string To, [property: Id(1)] string Text, [property: Id(2)] DateTimeOffset SentAt);

/// <summary>
/// The sandbox SMS gateway's outbox for one phone number (key: E.164): a development aid that
/// lets a person, or a test, read the code that a real gateway would have delivered. Kept in
/// memory only, newest last, and only ever read by the Development-only sandbox route.
/// </summary>
public interface ISandboxSmsOutboxGrain : IGrainWithStringKey
{
    Task Record(SmsMessage message);

    Task<IReadOnlyList<SmsMessage>> List();
}
