using System.Diagnostics;
using System.Globalization;

namespace FlashSale.LoadTests.Harness;

/// <summary>
/// CPU used over an interval, from /proc: the whole machine, this process, and the server's
/// process when its pid is known (the watchers benchmark reports the server's CPU).
/// </summary>
public sealed class CpuMeter
{
    private readonly int? _serverPid;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total)? _machineStart = ReadMachine();
    private readonly TimeSpan _ownStart = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly TimeSpan? _serverStart;

    public CpuMeter(int? serverPid)
    {
        _serverPid = serverPid;
        _serverStart = serverPid is { } pid ? ReadProcess(pid) : null;
    }

    /// <summary>Percent of one core (100 = one core busy) over the interval since construction.</summary>
    public (double MachinePercentOfAllCores, double HarnessPercentOfOneCore, double? ServerPercentOfOneCore) Read()
    {
        var seconds = Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds;
        var machine = double.NaN;
        if (_machineStart is { } start && ReadMachine() is { } end && end.Total > start.Total)
        {
            machine = 100.0 * (end.Busy - start.Busy) / (end.Total - start.Total);
        }

        var own = 100.0 * (Process.GetCurrentProcess().TotalProcessorTime - _ownStart).TotalSeconds / seconds;
        double? server = _serverPid is { } pid && _serverStart is { } s && ReadProcess(pid) is { } e ? 100.0 * (e - s).TotalSeconds / seconds : null;
        return (machine, own, server);
    }

    private static (long Busy, long Total)? ReadMachine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var total = fields.Sum();
            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static TimeSpan? ReadProcess(int pid)
    {
        try
        {
            // utime and stime are fields 14 and 15, counted after the command name in parentheses.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
