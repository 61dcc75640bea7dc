using FlashSale.Accounts;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace FlashSale.Phone;

/// <summary>
/// Texts a number that the phone gateway's routes refused it for a while. Stateless: whether a
/// text is due (at most one a window) is the API's rate limiter's to judge; this only sends it,
/// in the language of the number's market.
/// </summary>
[StatelessWorker]
internal sealed partial class TooManyRequestsSmsGrain(ISmsGateway sms, ILogger<TooManyRequestsSmsGrain> logger) : Grain, ITooManyRequestsSmsGrain
{
    public async Task Send(string toE164)
    {
        try
        {
            await sms.SendAsync(toE164, PhoneTexts.TooManyRequests.In(PhoneChannel.CultureOf(toE164)));
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            LogSendFailed(logger, failure); // the refusal stands; the number only misses being told why
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A too-many-requests text could not be sent")]
    private static partial void LogSendFailed(ILogger logger, Exception failure);
}
