using System.Diagnostics;
using System.Globalization;
using k8s;
using Velero.Sdk.Restore;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// The restore phase of the scale run: the scale backup restored into a second, empty API server (its own process), by the
/// engine in a child process so that its peak working set is measured alone. The client QPS limit is lifted.
/// </summary>
internal static class RestorePhase
{
    public const string ChildVerb = "scale-restore-child";

    public static async Task<(string Phase, int Items, double Seconds, double PeakMb)> RunAsync(string repoRoot, string work, string bucket, int workers)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work, "restore-target")).FullName;
        await using var target = await LocalClusterProcess.StartAsync(repoRoot, folder);
        var psi = ScaleRun.ChildStartInfo("VELERO_SCALE_RESTORE_TRACE", [ChildVerb, "--kubeconfig", target.Kubeconfig, "--bucket", bucket, "--workers", workers.ToString(CultureInfo.InvariantCulture)]);
        var serverCpu = target.ProcessorTime;
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        serverCpu = target.ProcessorTime - serverCpu;
        foreach (var gcLine in output.Split('\n').Where(l => l.StartsWith("GC: ", StringComparison.Ordinal)))
        {
            Console.WriteLine("restore engine " + gcLine);
        }

        var line = output.Split('\n').Single(l => l.StartsWith("RESULT\t", StringComparison.Ordinal)).Split('\t');
        double D(int i) => double.Parse(line[i], CultureInfo.InvariantCulture);
        var items = int.Parse(line[2], CultureInfo.InvariantCulture);
        Console.WriteLine(FormattableString.Invariant($"restore target server CPU {serverCpu.TotalSeconds:F2} s ({serverCpu.TotalMilliseconds * 1000 / Math.Max(1, items):F0} us/item)"));
        return (line[1], items, D(3), D(4));
    }

    /// <summary>The engine's side, in its own process.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        var builder = new VeleroClientBuilder()
            .UseKubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Arg("--kubeconfig")))
            .UseObjectStore(new FileSystemObjectStore(Arg("--bucket")));
        builder.Kubernetes.Qps = 0;
        builder.Kubernetes.Burst = 0;
        builder.Restore.Workers = int.Parse(Arg("--workers"), CultureInfo.InvariantCulture);
        using var client = builder.Build();
        RestoreProgress? last = null;
        using var largeObjects = LargeObjectLog.StartIfAsked();
        using var jit = JitLog.StartIfAsked();
        using var timeline = ScaleRun.StartTimeline(() => last is { } p ? $"{p.Phase} {p.ItemsRestored}/{p.TotalItems} {p.CurrentResource}" : "starting");
        var watch = Stopwatch.StartNew();
        var result = await client.RestoreAsync(new RestoreBuilder("scale", "scale-restore").Build(), new SynchronousProgress<RestoreProgress>(p => last = p));
        watch.Stop();
        largeObjects?.Stop();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var cpu = self.TotalProcessorTime;

        // The peak is the engine's: taken when the restore returns, before PrintMemory forces a full collection (whose
        // compaction commits memory of its own for a moment) and before this program reads the archive back.
        var peak = self.PeakWorkingSet64;
        ScaleRun.PrintMemory(result);
        Console.WriteLine(FormattableString.Invariant($"GC: process CPU {cpu.TotalSeconds:F2} s ({cpu.TotalMilliseconds * 1000 / Math.Max(1, result.ItemsRestored):F0} us/item); gen0 {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)} collections; allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB; pause {GC.GetTotalPauseDuration().TotalMilliseconds:F0} ms"));
        Console.WriteLine(FormattableString.Invariant($"GC: JIT (the runtime's warm-up, counted in the CPU above): {System.Runtime.JitInfo.GetCompiledMethodCount():N0} method bodies compiled in {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:F2} s"));
        Console.WriteLine(string.Join('\t', "RESULT", result.Phase, result.ItemsRestored, watch.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
            (peak / 1e6).ToString("R", CultureInfo.InvariantCulture)));
        foreach (var e in result.Errors.All().Take(5))
        {
            Console.Error.WriteLine("error: " + e);
        }

        // Anything not created is named (an empty target server should receive every item as new), and any item of the
        // archive the restore did not handle.
        foreach (var item in result.Items.Where(i => i.Action != RestoredItemAction.Created).Take(10))
        {
            Console.Error.WriteLine("not created: " + item);
        }

        var handled = result.Items.Select(i => i.Namespace + "/" + i.Name).ToHashSet(StringComparer.Ordinal);
        await using (var tarball = File.OpenRead(Path.Combine(Arg("--bucket"), "backups", "scale", "scale.tar.gz")))
        await using (var archive = await Velero.Sdk.Archive.BackupArchiveReader.OpenAsync(tarball))
        {
            Console.Error.WriteLine($"archive: {archive.ItemCount} items");
            foreach (var missing in archive.GroupResources.SelectMany(archive.GetItems).Where(i => !handled.Contains(i.Namespace + "/" + i.Name)).Take(10))
            {
                Console.Error.WriteLine("not handled: " + missing.Path);
            }
        }

        return 0;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that calls its handler on the reporting thread.</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
