using System.Globalization;

namespace FlashSale.Payments;

/// <summary>Minor units as a person reads them in instructions: <c>136.00 CNY</c>.</summary>
public static class MoneyText
{
    // ISO 4217 currencies whose minor unit is not a hundredth; every other active code has two decimals.
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    public static string Format(long amountMinor, string currency)
    {
        var exponent = Exponents.GetValueOrDefault(currency, 2);
        var major = amountMinor / (decimal)Math.Pow(10, exponent);
        return major.ToString("N" + exponent.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " " + currency;
    }

    public static string Deadline(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
