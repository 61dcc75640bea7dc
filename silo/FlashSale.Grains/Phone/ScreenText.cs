namespace FlashSale.Phone;

/// <summary>
/// Builds USSD screens that always fit: <see cref="PhoneChannel.MaxScreenLength"/> characters
/// for the whole answer, <c>CON </c>/<c>END </c> included. What a person typed elsewhere (a lot's
/// name, a refusal's words) is shortened, longest line first, never the numbered choices.
/// </summary>
internal static class ScreenText
{
    private const int PrefixLength = 4; // "CON " or "END "
    private const char Ellipsis = '…';

    public static UssdScreen Continue(params IEnumerable<string?> lines) => new(false, Fit(lines));

    public static UssdScreen End(params IEnumerable<string?> lines) => new(true, Fit(lines));

    public static string Fit(IEnumerable<string?> lines, int max = PhoneChannel.MaxScreenLength - PrefixLength)
    {
        var kept = lines.Where(l => !string.IsNullOrEmpty(l)).Select(l => l!.ReplaceLineEndings(" ")).ToList();
        while (Length(kept) > max)
        {
            var longest = kept.IndexOf(kept.MaxBy(l => l.Length)!);
            var line = kept[longest];
            var excess = Length(kept) - max;
            var keep = Math.Max(1, line.Length - excess - 1);
            if (keep >= line.Length - 1 && line.Length <= 2)
            {
                // Nothing left to shorten sensibly: cut the whole screen.
                var whole = string.Join('\n', kept);
                return whole[..(max - 1)] + Ellipsis;
            }

            kept[longest] = line[..keep].TrimEnd() + Ellipsis;
        }

        return string.Join('\n', kept);
    }

    private static int Length(List<string> lines) => lines.Sum(l => l.Length) + Math.Max(0, lines.Count - 1);
}
