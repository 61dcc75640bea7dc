using System.Globalization;
using FlashSale.Accounts;
using FlashSale.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlashSale.Phone;

/// <summary>
/// One admission's text (key: the lot and the queue position). Not reentrant, so two asks are
/// judged one after the other. The text is recorded as sent before it goes to the gateway: an
/// ask after a restart finds it recorded and sends nothing, and a crash between the write and the
/// send loses this one text rather than doubling it (the shopper was told the turn's time, or the
/// draw's, when joining, and can dial or text at any time in the window).
/// </summary>
internal sealed partial class AdmissionSmsGrain(
    [PersistentState("admission-sms", StorageNames.Default)] IPersistentState<AdmissionSmsState> state,
    ISmsGateway sms,
    [FromKeyedServices(FlashSaleClock.Key)] TimeProvider clock,
    ILogger<AdmissionSmsGrain> logger) : Grain, IAdmissionSmsGrain
{
    public async Task<bool> Send(AdmissionSmsRecipient recipient, DateTimeOffset admittedUntil)
    {
        if (state.State.SentAt is not null)
        {
            return false;
        }

        state.State.SentAt = clock.GetUtcNow();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Memory says sent but storage does not: drop the activation, so the next ask reads
            // storage and sends it then.
            DeactivateOnIdle();
            throw;
        }

        try
        {
            await sms.SendAsync(recipient.Phone, TextOf(recipient, admittedUntil));
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            LogSendFailed(logger, failure, this.GetPrimaryKeyString());
        }

        return true;
    }

    /// <summary>The text in the phone's language: how to hold (the menu, or BUY when it would buy for this shopper) and until when.</summary>
    internal static string TextOf(AdmissionSmsRecipient recipient, DateTimeOffset admittedUntil)
    {
        var culture = TextLanguages.CultureFor(recipient.Language);
        var code = recipient.PhoneCode is { } phoneCode ? phoneCode.ToString(CultureInfo.InvariantCulture) : "?";
        var until = PhoneShop.When(admittedUntil);
        if (recipient.VillagerName is { } villager)
        {
            return PhoneTexts.ForVillager.Format(villager, PhoneTexts.SmsAdmittedDial.Format(code, until, recipient.ServiceCode)).In(culture);
        }

        return (recipient.PhoneCode is null
            ? PhoneTexts.SmsAdmittedDial.Format(code, until, recipient.ServiceCode)
            : PhoneTexts.SmsAdmitted.Format(code, until, recipient.ServiceCode)).In(culture);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admission text {Admission} could not be sent")]
    private static partial void LogSendFailed(ILogger logger, Exception failure, string admission);
}

[GenerateSerializer]
public sealed class AdmissionSmsState
{
    /// <summary>When the text was handed to the gateway; null until then.</summary>
    [Id(0)]
    public DateTimeOffset? SentAt { get; set; }
}
