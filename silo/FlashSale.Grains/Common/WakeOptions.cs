namespace FlashSale.Common;

/// <summary>
/// The durable wake-up of grains with work on a clock (a lot's hold expiry and scheduled opening,
/// an order's payment deadline, a waiting room's draw and admissions), section <c>FlashSale:Wake</c>.
/// Their alarms live in the activation; after a restart nothing would activate them until a
/// request came, so each also keeps an Orleans reminder while it has such work, set before the
/// state that needs it is written. The reminder's tick activates the grain, which catches up.
/// </summary>
public sealed class WakeOptions
{
    public const string Section = "FlashSale:Wake";

    public const string ReminderName = "wake";

    /// <summary>How often the reminder rings while the work remains: the longest a restart delays it.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);
}
