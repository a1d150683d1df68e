using System.Runtime.CompilerServices;

namespace Velero.Sdk.Archive;

/// <summary>
/// A few dedicated threads for deflate work. Each compressor holds a few hundred KB of native memory (zlib's state), which
/// the C allocator serves from the calling thread's arena. Compressors made and freed on thread-pool threads spread that
/// churn over many arenas, and the process keeps their fragments (measured: 33 MB more resident memory in a backup of
/// 100,000 items, growing with the run). On a few long-lived threads each new compressor reuses the block the previous one
/// freed. Threads start on demand, up to the processor count, and end after a few idle seconds.
/// <para>
/// Even so, the C allocator keeps pages of freed compressors resident, and with other native allocations between them
/// those pages add up: a backup of 300,000 items grew by about 15 MB of native heap over its run. So every few items a
/// thread gives the allocator's free pages back (<see cref="NativeHeap.Trim"/>); measured, the backup's peak working set
/// fell from 185-189 to 171-175 MB at the same rate.
/// </para>
/// </summary>
internal sealed class CompressionThreads
{
    private readonly Queue<Action> _work = new();
    private readonly int _maxThreads;
    private readonly TimeSpan _idleTimeout;
    private readonly int _trimEvery;
    private int _running;
    private long _trims;

    internal CompressionThreads(int maxThreads, TimeSpan idleTimeout, int trimEvery = 16)
    {
        _maxThreads = Math.Max(1, maxThreads);
        _idleTimeout = idleTimeout;
        _trimEvery = Math.Max(1, trimEvery);
    }

    /// <summary>The process's compression threads: as many as processors, ending after five idle seconds.</summary>
    public static CompressionThreads Shared { get; } = new(Environment.ProcessorCount, TimeSpan.FromSeconds(5));

    /// <summary>The number of threads running now (for tests).</summary>
    internal int Running => Volatile.Read(ref _running);

    /// <summary>How many times a thread has given free native memory back (for tests).</summary>
    internal long Trims => Interlocked.Read(ref _trims);

    /// <summary>Runs <paramref name="work"/> on one of the threads; the task carries its result or its exception.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_work)
        {
            _work.Enqueue(() =>
            {
                try
                {
                    completion.SetResult(work());
                }
                catch (Exception e)
                {
                    completion.SetException(e);
                }
            });
            Monitor.Pulse(_work);
        }

        if (TryReserve())
        {
            var thread = new Thread(Loop) { IsBackground = true, Name = "Velero.Sdk compression" };
            thread.Start();
        }

        return completion.Task;
    }

    private bool TryReserve()
    {
        while (true)
        {
            int running = Volatile.Read(ref _running);
            if (running >= _maxThreads)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _running, running + 1, running) == running)
            {
                return true;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Loop()
    {
        long done = 0;
        while (true)
        {
            Action? item;
            lock (_work)
            {
                while (!_work.TryDequeue(out item))
                {
                    if (!Monitor.Wait(_work, _idleTimeout) && _work.Count == 0)
                    {
                        // Idle: end, under the lock, so that a caller adding work now sees this thread gone and starts another.
                        Interlocked.Decrement(ref _running);
                        return;
                    }
                }
            }

            item();
            if (++done % _trimEvery == 0)
            {
                // Every few items: the freed compressors' pages go back to the system (a few hundred KB each).
                NativeHeap.Trim();
                Interlocked.Increment(ref _trims);
            }
        }
    }
}
