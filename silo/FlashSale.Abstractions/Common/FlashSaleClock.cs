namespace FlashSale.Common;

/// <summary>
/// The key under which the engine's <see cref="TimeProvider"/> is registered. The engine's clock
/// is kept apart from the one Orleans uses for membership and messaging, so a test can move
/// hold expiry and payment deadlines forward with a fake clock without also moving the
/// cluster's own failure detectors.
/// </summary>
public static class FlashSaleClock
{
    public const string Key = "flashsale";
}
