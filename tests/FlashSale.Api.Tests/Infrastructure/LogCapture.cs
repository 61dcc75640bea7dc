using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The host's log lines of the hub's categories, as the host's logging rules let them through:
/// it is registered as one more provider without rules of its own, so what it sees is what the
/// console would.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private static readonly string[] Categories = ["FlashSale.Api.Hubs", "Microsoft.AspNetCore.SignalR"];

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) =>
        Categories.Any(c => categoryName.StartsWith(c, StringComparison.Ordinal)) ? new Logger(categoryName, _entries) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception));
    }
}
