using System.Globalization;
using Spectre.Console;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// Live progress in the console: a table redrawn in place on a terminal, a line per sample when
/// the output is redirected (a CI log or a file).
/// </summary>
public sealed class ConsoleProgress : IProgressSink, IAsyncDisposable
{
    private readonly IAnsiConsole _console;
    private readonly CancellationTokenSource _done = new();
    private readonly Task _live;
    private volatile ProgressSnapshot? _latest;
    private volatile string _phase = "starting";

    public ConsoleProgress(IAnsiConsole console, string title)
    {
        _console = console;
        _live = console.Profile.Capabilities.Interactive ? RunLiveAsync(title) : Task.CompletedTask;
    }

    public void OnPhase(string phase)
    {
        _phase = phase;
        if (!_console.Profile.Capabilities.Interactive)
        {
            _console.MarkupLineInterpolated($"[grey]{TimeProvider.System.GetLocalNow():HH:mm:ss}[/] {phase}");
        }
    }

    public void OnSample(ProgressSnapshot snapshot)
    {
        _latest = snapshot;
        if (!_console.Profile.Capabilities.Interactive)
        {
            var steps = string.Join("  ", snapshot.Steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.PerSecond:0}/s p99 {s.P99:0.0} ms (ok {s.Ok}, expected {s.Expected}, failed {s.Failed})")));
            _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {snapshot.MeasuredSeconds,5:0}s in flight {snapshot.InFlight,5}  {steps}"));
        }
    }

    public void Message(string text)
    {
        if (_console.Profile.Capabilities.Interactive)
        {
            _phase = text; // setup and audit steps show in the live caption
        }
        else
        {
            _console.WriteLine(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _done.CancelAsync();
        await _live;
        _done.Dispose();
    }

    private Task RunLiveAsync(string title)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(title);
        return _console.Live(table).AutoClear(false).StartAsync(async ctx =>
        {
            while (!_done.IsCancellationRequested)
            {
                Redraw(table);
                ctx.Refresh();
                try
                {
                    await Task.Delay(250, _done.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            Redraw(table);
            ctx.Refresh();
        });
    }

    private void Redraw(Table table)
    {
        table.Rows.Clear();
        if (table.Columns.Count == 0)
        {
            table.AddColumns("step", "req/s (last s)", "p99 ms (last s)", "ok", "expected", "failed");
        }

        var snapshot = _latest;
        table.Caption(new TableTitle(string.Create(CultureInfo.InvariantCulture,
            $"{_phase} · measured {snapshot?.MeasuredSeconds ?? 0:0} s · in flight {snapshot?.InFlight ?? 0} · iterations {snapshot?.Iterations ?? 0}")));
        foreach (var step in snapshot?.Steps ?? [])
        {
            table.AddRow(
                Markup.Escape(step.Name),
                step.PerSecond.ToString("N0", CultureInfo.InvariantCulture),
                step.P99.ToString("0.0", CultureInfo.InvariantCulture),
                $"[green]{step.Ok}[/]",
                $"[yellow]{step.Expected}[/]",
                step.Failed > 0 ? $"[red]{step.Failed}[/]" : "0");
        }
    }
}
