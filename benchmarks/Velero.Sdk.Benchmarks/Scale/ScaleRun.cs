using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using k8s;
using Velero.Sdk.Archive;
using Velero.Sdk.Backup;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>
/// The backup scale run: an API server in its own process seeded with a fixed mix of real-shaped objects; a backup to a folder
/// in a child process (its peak working set is the engine's); beside it, the limit (the same objects written as Velero's
/// double-entry tar with gzip Optimal on one thread, no cluster) and <c>kubectl get -o json | gzip</c> over the same server.
/// </summary>
internal static class ScaleRun
{
    public const string BackupChildVerb = "scale-backup-child";
    private const int Namespaces = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int objects = IntArg(args, "--objects", 100_000);
        int workers = IntArg(args, "--workers", 4);
        var level = Enum.Parse<CompressionLevel>(StringArg(args, "--compression") ?? nameof(CompressionLevel.Optimal));
        var root = RepoRoot();
        var testdata = Path.Combine(root, "..", "shared", "testdata");
        var work = Directory.CreateTempSubdirectory("velero-scale-");
        try
        {
            Console.WriteLine($"scale run: {objects:N0} objects, {workers} item block workers, gzip {level}, {Environment.ProcessorCount} cores");
            await using var server = await LocalClusterProcess.StartAsync(root, work.FullName);
            var mix = new ObjectMix(testdata);
            var (seedRate, rawBytes) = await SeedAsync(server, mix, objects);
            server.ObjectCount = objects;
            Console.WriteLine($"seeded {objects:N0} objects ({rawBytes / (double)objects / 1024:F1} KB average as sent) at {seedRate:N0} creates/s");

            var listRate = await MeasureServerListAsync(server);
            Console.WriteLine($"server lists (plain HttpClient, pages of 500, all kinds): {listRate:N0} objects/s");
            var limit = MeasureLimit(mix, objects);
            var target = Path.Combine(work.FullName, "bucket");
            var child = await RunChildAsync(server.Kubeconfig, target, workers, level);

            // --no-kubectl leaves out the kubectl comparison (minutes at 300k objects on a busy machine); --no-restore the
            // restore phase. kubectl runs after the backup: its minutes of whole-cluster lists left the API server process
            // slower for whatever came next.
            var kubectl = args.Contains("--no-kubectl") ? ((double ObjectsPerSecond, double Seconds)?)null : await MeasureKubectlAsync(server);
            Console.WriteLine();
            Console.WriteLine($"client QPS limit: lifted (Qps = 0, Burst = 0); page size 500");
            Console.WriteLine($"backup:  {child.Items:N0} items in {child.Seconds:F2} s = {child.Items / child.Seconds:N0} objects/s, {child.RawMb / child.Seconds:F1} MB/s raw JSON, tarball {child.TarMb:F1} MB, phase {child.Phase}");
            Console.WriteLine($"engine process peak working set: {child.PeakMb:F0} MB");
            Console.WriteLine($"limit:   {limit.ObjectsPerSecond:N0} objects/s, {limit.MbPerSecond:F1} MB/s (Velero's double-entry tar, gzip Optimal, one thread, no cluster)");
            if (kubectl is { } k)
            {
                Console.WriteLine($"kubectl get -o json | gzip: {k.ObjectsPerSecond:N0} objects/s ({k.Seconds:F2} s)");
            }

            Console.WriteLine($"backup / limit: {child.Items / child.Seconds / limit.ObjectsPerSecond:P0}");
            if (child.Items != objects + Namespaces + 2)
            {
                await ReportMissingAsync(mix, objects, target);
            }

            if (args.Contains("--no-restore"))
            {
                return child.Phase == "Completed" ? 0 : 1;
            }

            var restore = await RestorePhase.RunAsync(root, work.FullName, target, IntArg(args, "--restore-workers", 16));
            Console.WriteLine($"restore: {restore.Items:N0} items in {restore.Seconds:F2} s = {restore.Items / restore.Seconds:N0} objects/s into an empty API server (own process), phase {restore.Phase}");
            Console.WriteLine($"restore engine process peak working set: {restore.PeakMb:F0} MB");
            return child.Phase == "Completed" && restore.Phase == "Completed" ? 0 : 1;
        }
        finally
        {
            try
            {
                // VELERO_SCALE_KEEP=1 keeps the work folder (the bucket with the scale backup) for a look afterwards.
                if (Environment.GetEnvironmentVariable("VELERO_SCALE_KEEP") != "1")
                {
                    work.Delete(recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>The engine's side, in its own process so its working set is measured alone.</summary>
    public static async Task<int> RunBackupChildAsync(string[] args)
    {
        var kubeconfig = StringArg(args, "--kubeconfig")!;
        var target = StringArg(args, "--target")!;
        int workers = IntArg(args, "--workers", 4);
        var level = Enum.Parse<CompressionLevel>(StringArg(args, "--compression") ?? nameof(CompressionLevel.Optimal));
        var builder = new VeleroClientBuilder()
            .UseKubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig))
            .UseObjectStore(new FileSystemObjectStore(target));
        builder.Kubernetes.Qps = 0;
        builder.Kubernetes.Burst = 0;
        builder.Backup.ItemBlockWorkers = workers;
        builder.Backup.CompressionLevel = level;
        using var client = builder.Build();
        var request = new BackupBuilder("scale").IncludeNamespaces("scale-*").Build();
        BackupProgress? last = null;
        using var largeObjects = LargeObjectLog.StartIfAsked();
        using var jit = JitLog.StartIfAsked();
        using var timeline = StartTimeline(() => last is { } p ? $"{p.Phase} {p.ItemsBackedUp}/{p.TotalItems} {p.CurrentResource}" : "starting");
        var watch = Stopwatch.StartNew();
        var result = await client.BackupAsync(request, new SynchronousProgress<BackupProgress>(p => last = p));
        watch.Stop();
        largeObjects?.Stop();
        if (timeline is not null)
        {
            Console.Error.WriteLine(FormattableString.Invariant($"timeline {watch.Elapsed.TotalSeconds,6:F1} s  backup returned"));
        }

        // The peak is the engine's: taken before this program reads the tarball back to count its bytes.
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var peak = self.PeakWorkingSet64;
        var cpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var pause = GC.GetTotalPauseDuration();
        var collections = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var (jitted, jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
        PrintMemory(result);
        var tar = new FileInfo(Path.Combine(target, "backups", "scale", "scale.tar.gz"));
        long raw = 0;
        await using (var contents = tar.OpenRead())
        await using (var gz = new GZipStream(contents, CompressionMode.Decompress))
        await using (var reader = new TarReader(gz))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (!entry.Name.Contains("-preferredversion/", StringComparison.Ordinal))
                {
                    raw += entry.Length;
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant($"GC: backup process CPU {cpu.TotalSeconds:F2} s ({cpu.TotalMilliseconds * 1000 / Math.Max(1, result.ItemsBackedUp):F0} us/item); gen0 {collections.Item1}, gen1 {collections.Item2}, gen2 {collections.Item3} collections; allocated {allocated / 1e6:F0} MB; pause {pause.TotalMilliseconds:F0} ms"));
        Console.WriteLine(FormattableString.Invariant($"GC: JIT (the runtime's warm-up, counted in the CPU above): {jitted:N0} method bodies compiled in {jitTime.TotalSeconds:F2} s"));
        Console.WriteLine(string.Join('\t', "RESULT", result.Phase, result.ItemsBackedUp, watch.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
            (raw / 1e6).ToString("R", CultureInfo.InvariantCulture), (peak / 1e6).ToString("R", CultureInfo.InvariantCulture),
            (tar.Length / 1e6).ToString("R", CultureInfo.InvariantCulture)));
        foreach (var e in result.Errors.All().Take(5))
        {
            Console.Error.WriteLine("error: " + e);
        }

        Console.Error.WriteLine("backed up: " + string.Join(", ", result.ItemsPerResource.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}")));
        foreach (var w in result.Warnings.All().Take(5))
        {
            Console.Error.WriteLine("warning: " + w);
        }

        return 0;
    }

    private static async Task<(double Rate, long Bytes)> SeedAsync(LocalClusterProcess server, ObjectMix mix, int objects)
    {
        using var http = server.CreateHttpClient();
        for (int n = 0; n < Namespaces; n++)
        {
            var body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"scale-" + n.ToString("D2", CultureInfo.InvariantCulture) + "\"}}";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            (await http.PostAsync("/api/v1/namespaces", content)).EnsureSuccessStatusCode();
        }

        // Every real cluster has the system priority classes that kube-system pods name.
        foreach (var (pc, value) in new[] { ("system-cluster-critical", 2000000000), ("system-node-critical", 2000001000) })
        {
            var body = "{\"apiVersion\":\"scheduling.k8s.io/v1\",\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"" + pc + "\"},\"value\":" + value.ToString(CultureInfo.InvariantCulture) + "}";
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            (await http.PostAsync("/apis/scheduling.k8s.io/v1/priorityclasses", content)).EnsureSuccessStatusCode();
        }

        long bytes = 0;
        int next = -1;
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, 16).Select(async _ =>
        {
            while (true)
            {
                int i = Interlocked.Increment(ref next);
                if (i >= objects)
                {
                    return;
                }

                var (path, json) = mix.Get(i, $"scale-{i % Namespaces:D2}");
                Interlocked.Add(ref bytes, json.Length);
                using var content = new ByteArrayContent(json);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(path, content);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"create {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }).ToArray();
        await Task.WhenAll(tasks);
        return (objects / watch.Elapsed.TotalSeconds, bytes);
    }

    /// <summary>Names the seeded objects the backup's tarball lacks.</summary>
    private static async Task ReportMissingAsync(ObjectMix mix, int objects, string target)
    {
        await using var tarball = File.OpenRead(Path.Combine(target, "backups", "scale", "scale.tar.gz"));
        await using var archive = await BackupArchiveReader.OpenAsync(tarball);
        int missing = 0;
        for (int i = 0; i < objects; i++)
        {
            var ns = $"scale-{i % Namespaces:D2}";
            var (path, json) = mix.Get(i, ns);
            var resource = path[(path.LastIndexOf('/') + 1)..];
            var gr = path.StartsWith("/apis/apps", StringComparison.Ordinal) ? resource + ".apps" : resource;
            var name = System.Text.Json.Nodes.JsonNode.Parse(json)!["metadata"]!["name"]!.GetValue<string>();
            if (archive.FindItem(gr, ns, name) is null && ++missing <= 10)
            {
                Console.WriteLine($"missing from the backup: {gr} {ns}/{name}");
            }
        }

        Console.WriteLine($"missing from the backup: {missing} of {objects} seeded objects");
    }

    /// <summary>How fast the server alone answers the lists a backup makes (so it is not the bottleneck).</summary>
    private static async Task<double> MeasureServerListAsync(LocalClusterProcess server)
    {
        using var http = server.CreateHttpClient();
        int count = 0;
        var watch = Stopwatch.StartNew();
        foreach (var (path, kind, _) in ObjectMix.Kinds)
        {
            string? token = null;
            do
            {
                var url = $"{path}/{kind}?limit=500" + (token is null ? string.Empty : "&continue=" + Uri.EscapeDataString(token));
                using var doc = System.Text.Json.JsonDocument.Parse(await http.GetByteArrayAsync(url));
                count += doc.RootElement.GetProperty("items").GetArrayLength();
                token = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
            }
            while (!string.IsNullOrEmpty(token));
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The same objects written as Velero writes them (two entries each), gzip Optimal, one thread, no cluster.</summary>
    private static (double ObjectsPerSecond, double MbPerSecond) MeasureLimit(ObjectMix mix, int objects)
    {
        var items = new List<(string Path, byte[] Json)>(objects);
        for (int i = 0; i < objects; i++)
        {
            var ns = $"scale-{i % Namespaces:D2}";
            var (path, json) = mix.Get(i, ns);
            var resource = path[(path.LastIndexOf('/') + 1)..];
            var gr = path.StartsWith("/apis/apps", StringComparison.Ordinal) ? resource + ".apps" : resource;
            items.Add(($"resources/{gr}/namespaces/{ns}/{i}.json", json));
        }

        long raw = items.Sum(i => (long)i.Json.Length);
        var watch = Stopwatch.StartNew();
        using (var gz = new GZipStream(Stream.Null, CompressionLevel.Optimal))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, json) in items)
            {
                foreach (var entryPath in new[] { path, path.Insert(path.IndexOf("/namespaces/", StringComparison.Ordinal), "/v1-preferredversion") })
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, entryPath) { Mode = (UnixFileMode)Convert.ToInt32("755", 8), DataStream = new MemoryStream(json, writable: false) };
                    tar.WriteEntry(entry);
                }
            }
        }

        watch.Stop();
        return (objects / watch.Elapsed.TotalSeconds, raw / 1e6 / watch.Elapsed.TotalSeconds);
    }

    private static async Task<(double ObjectsPerSecond, double Seconds)> MeasureKubectlAsync(LocalClusterProcess server)
    {
        var kubectl = Kubectl.Find();
        var cache = Directory.CreateTempSubdirectory("kubectl-cache-");
        try
        {
            var psi = new ProcessStartInfo("/bin/bash")
            {
                ArgumentList = { "-c", $"'{kubectl}' --kubeconfig '{server.Kubeconfig}' --cache-dir '{cache.FullName}' get pods,deployments,configmaps,secrets,services -A -o json | gzip -c | wc -c" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(psi)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            watch.Stop();
            if (process.ExitCode != 0 || error.Length > 0)
            {
                Console.Error.WriteLine($"kubectl: {error.Trim()}");
            }

            _ = output;
            return (server.ObjectCount / watch.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    private static async Task<(string Phase, int Items, double Seconds, double RawMb, double PeakMb, double TarMb)> RunChildAsync(string kubeconfig, string target, int workers, CompressionLevel level)
    {
        var psi = ChildStartInfo("VELERO_SCALE_TRACE", [BackupChildVerb, "--kubeconfig", kubeconfig, "--target", target, "--workers", workers.ToString(CultureInfo.InvariantCulture), "--compression", level.ToString()]);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        foreach (var gcLine in output.Split('\n').Where(l => l.StartsWith("GC: ", StringComparison.Ordinal)))
        {
            Console.WriteLine("engine " + gcLine);
        }

        var line = output.Split('\n').Single(l => l.StartsWith("RESULT\t", StringComparison.Ordinal)).Split('\t');
        double D(int i) => double.Parse(line[i], CultureInfo.InvariantCulture);
        return (line[1], int.Parse(line[2], CultureInfo.InvariantCulture), D(3), D(4), D(5), D(6));
    }

    /// <summary>
    /// The memory figures of an engine child, as <c>GC: </c> lines: the GC heap after its last collection by generation, the
    /// kernel's figures (Linux: peak and current resident set, anonymous and file-backed, threads), and the live heap after a
    /// full collection while <paramref name="result"/> is still held.
    /// </summary>
    internal static void PrintMemory(object result)
    {
        var heap = GC.GetGCMemoryInfo(GCKind.Any);
        Console.WriteLine(FormattableString.Invariant($"GC: heap after the last collection {heap.HeapSizeBytes / 1e6:F0} MB ({string.Join(", ", heap.GenerationInfo.ToArray().Select((g, i) => $"gen{i} {g.SizeAfterBytes / 1e6:F0}"))} MB), committed {heap.TotalCommittedBytes / 1e6:F0} MB, fragmented {heap.FragmentedBytes / 1e6:F0} MB"));
        if (File.Exists("/proc/self/status"))
        {
            var wanted = new[] { "VmHWM", "RssAnon", "RssFile", "Threads" };
            var lines = File.ReadAllLines("/proc/self/status").Where(l => wanted.Any(w => l.StartsWith(w + ":", StringComparison.Ordinal)));
            Console.WriteLine("GC: process " + string.Join(", ", lines.Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))));
        }

        Console.WriteLine(FormattableString.Invariant($"GC: live after a full collection, the result still held: {GC.GetTotalMemory(forceFullCollection: true) / 1e6:F0} MB"));

        // VELERO_SCALE_PAUSE=<seconds> keeps the child alive, the result held, for a heap dump (dotnet-gcdump collect -p <pid>).
        if (int.TryParse(Environment.GetEnvironmentVariable("VELERO_SCALE_PAUSE"), CultureInfo.InvariantCulture, out var pause))
        {
            Console.Error.WriteLine($"paused {pause} s: pid {Environment.ProcessId}");
            Thread.Sleep(TimeSpan.FromSeconds(pause));
        }

        GC.KeepAlive(result);
    }

    /// <summary>
    /// With <c>VELERO_SCALE_TIMELINE=&lt;seconds&gt;</c> (<c>1</c>: a line a second), a line per interval on standard error
    /// while an engine child runs: elapsed time, resident set, its peak and its parts (Linux), the GC's committed bytes and heap after its last collection by generation, and collection counts;
    /// null otherwise.
    /// </summary>
    internal static Timer? StartTimeline(Func<string>? status = null)
    {
        if (!double.TryParse(Environment.GetEnvironmentVariable("VELERO_SCALE_TIMELINE"), CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return null;
        }

        var watch = Stopwatch.StartNew();
        return new Timer(_ =>
        {
            var heap = GC.GetGCMemoryInfo(GCKind.Any);
            string? Status(string field) => File.Exists("/proc/self/status")
                ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
                : null;
            var rss = Status("VmRSS");
            var hwm = Status("VmHWM");
            var gens = heap.GenerationInfo.ToArray();
            Console.Error.WriteLine(FormattableString.Invariant(
                $"timeline {watch.Elapsed.TotalSeconds,6:F1} s  rss {(rss is null ? 0 : long.Parse(rss, CultureInfo.InvariantCulture) / 1024),4} MB (peak {(hwm is null ? 0 : long.Parse(hwm, CultureInfo.InvariantCulture) / 1024),4}{ResidentByKind()})  committed {heap.TotalCommittedBytes / 1e6,4:F0}  heap {heap.HeapSizeBytes / 1e6,4:F0} (gen2 {gens[2].SizeAfterBytes / 1e6:F0}, loh {gens[3].SizeAfterBytes / 1e6:F0})  last gc #{heap.Index} gen{heap.Generation}  gcs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}  allocated {GC.GetTotalAllocatedBytes() / 1e6:F0} MB  {status?.Invoke()}"));
        }, null, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(seconds));
    }

    /// <summary>
    /// Linux: the resident set by kind of mapping, in MiB, from <c>/proc/self/smaps</c>: the runtime's code and stub heaps
    /// (mapped twice through a memory file, for write-xor-execute), the C allocator's main heap, other anonymous memory (the
    /// GC heap, thread stacks, malloc arenas) and mapped files (the runtime and the assemblies). Empty elsewhere.
    /// </summary>
    private static string ResidentByKind()
    {
        if (!File.Exists("/proc/self/smaps"))
        {
            return string.Empty;
        }

        long code = 0, heap = 0, anon = 0, files = 0;
        string kind = "anon";
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            if (line.Length > 0 && char.IsAsciiHexDigit(line[0]) && line.IndexOf('-') is > 0 and var dash && dash < line.IndexOf(' '))
            {
                var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var name = fields.Length > 5 ? fields[5].Trim() : string.Empty;
                kind = name.Contains("doublemapper", StringComparison.Ordinal) ? "code" : name == "[heap]" ? "heap" : name.StartsWith('[') ? "other" : name.Length > 0 ? "file" : "anon";
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                long kb = long.Parse(line.AsSpan(4).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                switch (kind)
                {
                    case "code": code += kb; break;
                    case "heap": heap += kb; break;
                    case "anon": anon += kb; break;
                    case "file": files += kb; break;
                }
            }
        }

        return FormattableString.Invariant($"; code {code / 1024}, anon {anon / 1024}, malloc heap {heap / 1024}, files {files / 1024}");
    }

    /// <summary>
    /// A child process of this program (an engine side, measured alone), workstation GC. <paramref name="traceVariable"/> names
    /// an environment variable, <c>&lt;dotnet-trace path&gt;:&lt;output&gt;[:&lt;profile&gt;]</c>, that traces the child with
    /// dotnet-trace: CPU samples by default, or a profile such as gc-verbose (allocations); speedscope when the output ends with .json.
    /// </summary>
    internal static ProcessStartInfo ChildStartInfo(string traceVariable, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        IEnumerable<string> all = [typeof(ScaleRun).Assembly.Location, .. args];
        if (Environment.GetEnvironmentVariable(traceVariable) is { Length: > 0 } trace && trace.Split(":") is [var tool, var traceFile, .. var rest])
        {
            psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true };
            string[] format = traceFile.EndsWith(".json", StringComparison.Ordinal) ? ["--format", "Speedscope"] : [];
            string[] profile = rest is [var p] ? ["--profile", p] : [];
            all = ["collect", "--show-child-io", .. format, .. profile, "-o", traceFile, "--", "dotnet", .. all];
        }

        foreach (var a in all)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        if (Environment.GetEnvironmentVariable("VELERO_SCALE_GEN0") is { Length: > 0 } gen0)
        {
            psi.Environment["DOTNET_GCgen0size"] = gen0;
        }

        return psi;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Velero.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the scale run from the repository (Velero.Sdk.sln not found)");
    }

    private static int IntArg(string[] args, string name, int fallback) =>
        StringArg(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static string? StringArg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
