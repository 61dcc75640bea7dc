using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;

namespace FlashSale.Accounts;

/// <summary>
/// The seam to an SMS provider. The engine sends sign-in codes through it; the sandbox gateway
/// is used unless the host registered another before the engine.
/// </summary>
public interface ISmsGateway
{
    Task SendAsync(string toE164, string text, CancellationToken cancellationToken = default);
}

/// <summary>Delivers into the sandbox outbox (<see cref="ISandboxSmsOutboxGrain"/>), which only Development can read.</summary>
internal sealed class SandboxSmsGateway(IGrainFactory grains, [FromKeyedServices(FlashSaleClock.Key)] TimeProvider time) : ISmsGateway
{
    public Task SendAsync(string toE164, string text, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ISandboxSmsOutboxGrain>(toE164).Record(new SmsMessage(toE164, text, time.GetUtcNow()));
}

/// <summary>The last few messages to one number, in memory: a sandbox keeps nothing worth persisting.</summary>
internal sealed class SandboxSmsOutboxGrain : Grain, ISandboxSmsOutboxGrain
{
    private const int Kept = 20;
    private readonly Queue<SmsMessage> _messages = new();

    public Task Record(SmsMessage message)
    {
        _messages.Enqueue(message);
        while (_messages.Count > Kept)
        {
            _messages.Dequeue();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SmsMessage>> List() => Task.FromResult<IReadOnlyList<SmsMessage>>(_messages.ToList());
}
