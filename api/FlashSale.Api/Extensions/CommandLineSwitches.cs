namespace FlashSale.Api.Extensions;

/// <summary>Friendly switches for the run command, expanded to configuration keys.</summary>
internal static class CommandLineSwitches
{
    public static string[] Expand(string[] args) =>
        args.Select(a => a switch
        {
            "--no-demo" => "--FlashSale:Demo:Seed=false",
            _ => a,
        }).ToArray();
}
