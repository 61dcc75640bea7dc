namespace FlashSale.Lots;

/// <summary>
/// The lots' short numeric codes for feature phones (key 0): a counter and the map both ways.
/// A code is given once per lot id and never reused, so an SMS that names a code names one lot
/// forever (an old message cannot buy a newer lot). Codes start at <see cref="FirstCode"/>, three
/// digits or more, which a person can read off a poster and type on a keypad.
/// </summary>
public interface IPhoneCodeDirectoryGrain : IGrainWithIntegerKey
{
    public const int FirstCode = 101;

    /// <summary>The lot's code: a new one on the first call, the same one on every later call.</summary>
    Task<int> Assign(string lotId);

    /// <summary>The lot with this code, or null.</summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<string?> LotOf(int phoneCode);
}
