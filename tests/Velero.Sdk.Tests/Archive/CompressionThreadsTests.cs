using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public class CompressionThreadsTests
{
    [Fact]
    public async Task Work_runs_on_dedicated_threads_no_more_at_once_than_the_limit()
    {
        var threads = new CompressionThreads(maxThreads: 2, idleTimeout: TimeSpan.FromSeconds(5));
        int concurrent = 0, peak = 0;
        var names = new System.Collections.Concurrent.ConcurrentBag<(string? Name, bool Pooled)>();
        var tasks = Enumerable.Range(0, 64).Select(i => threads.Run(() =>
        {
            int now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref peak, now);
            names.Add((Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread));
            Thread.Sleep(1);
            Interlocked.Decrement(ref concurrent);
            return i * i;
        })).ToArray();

        var results = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, 64).Select(i => i * i), results);
        Assert.InRange(peak, 1, 2);
        Assert.All(names, n => Assert.Equal(("Velero.Sdk compression", false), n));
        Assert.InRange(threads.Running, 1, 2);
    }

    [Fact]
    public async Task An_exception_faults_only_its_own_task()
    {
        var threads = new CompressionThreads(maxThreads: 1, idleTimeout: TimeSpan.FromSeconds(5));
        var failing = threads.Run<int>(() => throw new InvalidDataException("bad chunk"));
        var after = threads.Run(() => 7);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => failing);
        Assert.Equal("bad chunk", e.Message);
        Assert.Equal(7, await after);
    }

    [Fact]
    public async Task Idle_threads_end_and_new_work_starts_them_again()
    {
        var threads = new CompressionThreads(maxThreads: 2, idleTimeout: TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, await threads.Run(() => 1));

        // Waits for the idle thread to end (a condition, not a timing: it ends 50 ms after its last item).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (threads.Running > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, threads.Running);

        // Work submitted while threads come and go is never left in the queue.
        for (int round = 0; round < 20; round++)
        {
            Assert.Equal(round, await threads.Run(() => round));
            await Task.Delay(round % 3 == 0 ? 60 : 0);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
