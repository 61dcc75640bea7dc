using FlashSale.Common;

namespace FlashSale.Tests.Common;

/// <summary>
/// <see cref="GroupCommit{T}.WhenWritten"/> is the barrier a reader awaits so that it never
/// reports a change before it is durable. Each write here completes only when the test says so.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(IReadOnlyList<int> Batch, TaskCompletionSource Done)> _writes = [];
    private readonly SemaphoreSlim _writeStarted = new(0);
    private readonly GroupCommit<int> _commit;

    public GroupCommitTests() => _commit = new GroupCommit<int>(batch =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writes.Enqueue((batch, done));
        _writeStarted.Release();
        return done.Task;
    });

    public void Dispose() => _writeStarted.Dispose();

    [Fact]
    public void With_nothing_enqueued_it_is_already_written()
    {
        Assert.True(_commit.WhenWritten().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task It_waits_for_the_write_in_flight()
    {
        var first = _commit.Enqueue(1);
        var barrier = _commit.WhenWritten();
        Assert.False(barrier.IsCompleted);

        (await NextWrite()).Done.SetResult();
        await barrier;
        await first;
        Assert.True(_commit.WhenWritten().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task It_waits_for_changes_queued_behind_the_write_in_flight_too()
    {
        _ = _commit.Enqueue(1);
        var second = _commit.Enqueue(2);
        var barrier = _commit.WhenWritten();

        (await NextWrite()).Done.SetResult();
        var secondWrite = await NextWrite();
        Assert.False(barrier.IsCompleted, "the barrier passed before the second batch was written");
        Assert.Equal([2], secondWrite.Batch);

        secondWrite.Done.SetResult();
        await barrier;
        await second;
    }

    [Fact]
    public async Task A_failed_write_fails_the_barrier_and_every_later_one()
    {
        var first = _commit.Enqueue(1);
        var barrier = _commit.WhenWritten();

        (await NextWrite()).Done.SetException(new IOException("disk gone"));
        await Assert.ThrowsAsync<IOException>(() => first);
        await Assert.ThrowsAnyAsync<Exception>(() => barrier);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _commit.WhenWritten());
    }

    /// <summary>The next write the committer starts (it starts one on the continuation of the last): a phase barrier.</summary>
    private async Task<(IReadOnlyList<int> Batch, TaskCompletionSource Done)> NextWrite()
    {
        Assert.True(await _writeStarted.WaitAsync(TimeSpan.FromSeconds(30)), "the committer never started its next write");
        Assert.True(_writes.TryDequeue(out var write));
        return write;
    }
}
