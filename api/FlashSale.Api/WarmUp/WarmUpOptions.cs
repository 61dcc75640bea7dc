using System.ComponentModel.DataAnnotations;

namespace FlashSale.Api.WarmUp;

/// <summary>
/// The surge-path warm-up each API host runs once it listens (<see cref="SurgePathWarmUp"/>): how
/// much of its own request paths it drives before a sale meets them cold.
/// </summary>
public sealed class WarmUpOptions
{
    public const string Section = "FlashSale:WarmUp";

    /// <summary>Whether the host warms its request paths after it starts.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The fewest requests sent, however early the runtime's compiler falls quiet.</summary>
    [Range(0, 1_000_000)]
    public int MinRequests { get; set; } = 2_000;

    /// <summary>The most requests sent, however long the compiler keeps working.</summary>
    [Range(1, 1_000_000)]
    public int MaxRequests { get; set; } = 40_000;

    /// <summary>Concurrent connections, so the connection and thread-pool paths are warmed too.</summary>
    [Range(1, 256)]
    public int Connections { get; set; } = 16;

    /// <summary>
    /// The warm-up ends once the runtime's compiler was busy for less than this share (percent) of
    /// the last <see cref="SurgePathWarmUp.SettleWindow"/>: the paths it drives have reached their
    /// optimized code. While they tier up the compiler is busy 20–30% of the time on a 2-core
    /// machine; a long-running host never falls fully quiet, so "not at all" would never come.
    /// Judged by time, not by methods compiled: a compiler starved of CPU compiles few methods
    /// but is still busy.
    /// </summary>
    [Range(0, 100)]
    public double SettledBelowCompilerPercent { get; set; } = 5;

    /// <summary>The warm-up never runs longer than this, settled or not.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(60);
}
