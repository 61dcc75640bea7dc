using System.ComponentModel;
using System.Net;
using FlashSale.LoadTests.Scenarios;
using Spectre.Console;
using Spectre.Console.Cli;

namespace FlashSale.LoadTests.Cli;

/// <summary>What every scenario command takes: where to aim, how to judge the run, where to write its reports.</summary>
public class RunSettings : CommandSettings
{
    [CommandOption("--url <URL>")]
    [Description("The FlashSale API to load (the embedded default listens on http://127.0.0.1:5080); several API nodes of one cluster separated by commas, to spread the load over them.")]
    [DefaultValue(TargetOptions.DefaultUrl)]
    public string Url { get; init; } = TargetOptions.DefaultUrl;

    [CommandOption("--allow-remote")]
    [Description("Allow a target that is not on this machine's loopback. Load a machine only with its owner's consent.")]
    public bool AllowRemote { get; init; }

    [CommandOption("--connections <N>")]
    [Description("HTTP connections to the target at most; requests beyond wait in the client, and the wait is measured.")]
    [DefaultValue(512)]
    public int Connections { get; init; } = 512;

    [CommandOption("--request-timeout <SECONDS>")]
    [DefaultValue(10.0)]
    public double RequestTimeoutSeconds { get; init; } = 10;

    [CommandOption("--threshold <RULE>")]
    [Description("A rule the run must meet, e.g. hold:p99<250ms, hold:rps>=1000, *:error-rate<1%, metric:knee.offered_per_s>=2000. Repeatable; a failed rule exits 1.")]
    public string[] Thresholds { get; init; } = [];

    [CommandOption("--reports <DIR>")]
    [Description("Where to write the Markdown, HTML and JSON reports (default: loadtest-reports/<time>-<scenario>).")]
    public string? Reports { get; init; }

    [CommandOption("--max-run <SECONDS>")]
    [Description("A hard bound on the whole command, setup and audit included.")]
    [DefaultValue(900.0)]
    public double MaxRunSeconds { get; init; } = 900;

    [CommandOption("--label <TEXT>")]
    [Description("A label the reports carry among their options, e.g. \"fresh process\" or \"warm process\" for a cold-versus-warm comparison.")]
    public string? Label { get; init; }

    [CommandOption("--quiet")]
    [Description("No live progress, only the final tables.")]
    public bool Quiet { get; init; }

    /// <summary>The nodes <c>--url</c> names, in order.</summary>
    public IReadOnlyList<Uri> Nodes => ParseNodes(Url);

    public TargetOptions Target => new()
    {
        Nodes = Nodes,
        Connections = Connections,
        RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
    };

    public override ValidationResult Validate()
    {
        foreach (var node in Url.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(node, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ValidationResult.Error($"--url {node} is not an http(s) URL.");
            }

            if (!AllowRemote && !IsLoopback(uri))
            {
                return ValidationResult.Error($"--url {node} is not on this machine's loopback; add --allow-remote to load another machine.");
            }
        }

        return Thresholds.Select(Harness.Thresholds.Check).FirstOrDefault(problem => problem is not null) is { } bad
            ? ValidationResult.Error(bad)
            : ValidationResult.Success();
    }

    public static IReadOnlyList<Uri> ParseNodes(string urls) => urls.Split(',', StringSplitOptions.TrimEntries).Select(u => new Uri(u)).ToList();

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
