namespace FlashSale.Api.Extensions;

/// <summary>
/// Friendly switches for the run command, expanded to configuration keys: <c>--no-demo</c>,
/// <c>--in-memory</c> (keep nothing on disk) and <c>--data &lt;dir&gt;</c> (or <c>--data=&lt;dir&gt;</c>;
/// the data folder, <c>.flashsale/data</c> under the working directory by default).
/// </summary>
internal static class CommandLineSwitches
{
    public static string[] Expand(string[] args)
    {
        var expanded = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--data" && i + 1 < args.Length)
            {
                expanded.Add($"--FlashSale:Data:Path={args[++i]}");
            }
            else if (arg.StartsWith("--data=", StringComparison.Ordinal))
            {
                expanded.Add($"--FlashSale:Data:Path={arg["--data=".Length..]}");
            }
            else
            {
                expanded.Add(arg switch
                {
                    "--no-demo" => "--FlashSale:Demo:Seed=false",
                    "--in-memory" => "--FlashSale:Data:InMemory=true",
                    _ => arg,
                });
            }
        }

        return [.. expanded];
    }
}
