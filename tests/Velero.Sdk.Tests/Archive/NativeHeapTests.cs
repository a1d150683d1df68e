using System.Runtime.InteropServices;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

[Collection(ProcessWideMeasurements.Name)]
public class NativeHeapTests
{
    [Fact]
    public void Trim_gives_freed_native_memory_back_to_the_system()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(NativeHeap.Trim());
            return;
        }

        // 128 MB in blocks below glibc's mmap threshold, from the heap. Every other one is freed: 64 MB of holes between
        // live blocks, which free() cannot give back (only memory at the top of the heap goes back by itself).
        const int Blocks = 1280, Size = 100 * 1024;
        var blocks = new nint[Blocks];
        var ones = new byte[Size];
        Array.Fill(ones, (byte)1);
        for (int i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Size); // malloc
            Marshal.Copy(ones, 0, blocks[i], Size); // touched, so resident
        }

        for (int i = 0; i < Blocks; i += 2)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        long before = ResidentAnonymousKb();
        bool trimmed = NativeHeap.Trim();
        long after = ResidentAnonymousKb();
        for (int i = 1; i < Blocks; i += 2)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        Assert.True(trimmed, "malloc_trim released nothing after 64 MB were freed");
        Assert.True(before - after > 32 * 1024, $"resident anonymous memory {before} kB before the trim, {after} kB after");
    }

    [Fact]
    public async Task Compression_threads_trim_every_few_items()
    {
        var threads = new CompressionThreads(maxThreads: 1, idleTimeout: TimeSpan.FromSeconds(5), trimEvery: 4);
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(i, await threads.Run(() => i));
        }

        // The item's result is set before the thread counts it, so the ninth's trim count may lag: 2 after 8 items.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (threads.Trims < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, threads.Trims);
    }

    private static long ResidentAnonymousKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
}
