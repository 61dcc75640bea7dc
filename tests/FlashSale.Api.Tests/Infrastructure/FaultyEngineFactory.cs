using System.Collections.Concurrent;
using FlashSale.Lots;
using FlashSale.Lots.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace FlashSale.Api.Tests.Infrastructure;

/// <summary>
/// The API whose engine can be made to fail on demand, as infrastructure fails: a lot's journal
/// that refuses or loses its next write (<see cref="FaultyLotJournal"/>), and grain calls that
/// throw or never answer (<see cref="EngineFaults"/>). The engine deadline is the default 3 s.
/// </summary>
public sealed class FaultyEngineFactory : FlashSaleApiFactory
{
    public FaultyLotJournal Journal => Services.GetRequiredService<FaultyLotJournal>();

    public EngineFaults Faults => Services.GetRequiredService<EngineFaults>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FlashSale:Engine:CallTimeout", "00:00:03");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<FaultyLotJournal>();
            services.AddSingleton<ILotJournal>(sp => sp.GetRequiredService<FaultyLotJournal>());
            services.AddSingleton<EngineFaults>();
            services.AddSingleton<IIncomingGrainCallFilter>(sp => sp.GetRequiredService<EngineFaults>());
        });
    }
}

[CollectionDefinition(Name)]
public sealed class EngineFaultsCollection : ICollectionFixture<FaultyEngineFactory>
{
    public const string Name = "engine faults";
}

/// <summary>The embedded journal, whose next append for a lot can be made to throw.</summary>
public sealed class FaultyLotJournal(Serializer serializer) : ILotJournal
{
    private readonly InMemoryLotJournal _journal = new(serializer);
    private readonly ConcurrentDictionary<string, Exception> _nextAppendFails = new(StringComparer.Ordinal);

    public void FailNextAppend(string lotId, Exception failure) => _nextAppendFails[lotId] = failure;

    public Task<LotJournalContents> ReadAsync(string lotId, CancellationToken cancellationToken = default) =>
        _journal.ReadAsync(lotId, cancellationToken);

    public Task AppendAsync(string lotId, long expectedSequence, IReadOnlyList<LotEvent> events, LotSnapshot? compactTo, CancellationToken cancellationToken = default) =>
        _nextAppendFails.TryRemove(lotId, out var failure)
            ? Task.FromException(failure)
            : _journal.AppendAsync(lotId, expectedSequence, events, compactTo, cancellationToken);
}

/// <summary>
/// A grain call filter that makes chosen calls (by method name and grain key) fail with a given
/// exception, or stall until the caller cancels them, as calls to a silo that stopped answering.
/// </summary>
public sealed class EngineFaults : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<(string Method, string Key), Exception> _failing = new();
    private readonly ConcurrentDictionary<(string Method, string Key), TaskCompletionSource> _stalled = new();

    /// <summary>The next call of <paramref name="method"/> on the grain keyed <paramref name="key"/> throws <paramref name="failure"/>.</summary>
    public void FailNext(string method, string key, Exception failure) => _failing[(method, key)] = failure;

    /// <summary>
    /// Calls of <paramref name="method"/> on the grain keyed <paramref name="key"/> never answer: each
    /// waits for its own cancellation token. The task completes when one such call saw its token
    /// cancelled, that is, when the caller's cancellation reached the grain.
    /// </summary>
    public Task Stall(string method, string key) =>
        _stalled.GetOrAdd((method, key), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Unstall(string method, string key) => _stalled.TryRemove((method, key), out _);

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var call = (context.MethodName, context.TargetId.Key.ToString()!);
        if (_failing.TryRemove(call, out var failure))
        {
            throw failure;
        }

        if (_stalled.TryGetValue(call, out var cancelled))
        {
            var token = Enumerable.Range(0, context.Request.GetArgumentCount()).Select(context.Request.GetArgument).OfType<CancellationToken>().Single();
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult();
                throw;
            }
        }

        await context.Invoke();
    }
}
