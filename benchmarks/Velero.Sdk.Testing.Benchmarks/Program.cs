using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Velero.Sdk.Testing;

// Scale benchmark of the in-process API server (not run in CI):
//   dotnet run -c Release --project benchmarks/Velero.Sdk.Testing.Benchmarks -- [objects=100000] [clients=16] [pageSize=500] [warmUp=30000]
// Creates N pods in namespace "default" from parallel plain HttpClient clients (after warm-up creates in another
// namespace, so that tiered compilation has settled), then lists them all in pages, and prints objects/s.
// The process CPU per create (client and server together) is printed too: unlike objects/s, it does not depend
// on how busy the machine's other processes keep its cores.
var objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var pageSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
var warmUp = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30_000;

await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { HistorySize = 10_000 });
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

var jsonType = new MediaTypeHeaderValue("application/json");

static string Pod(int i) =>
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + i.ToString("D6", CultureInfo.InvariantCulture)
    + "\",\"labels\":{\"app\":\"bench\",\"shard\":\"" + (i % 10).ToString(CultureInfo.InvariantCulture)
    + "\"},\"annotations\":{\"note\":\"benchmark object " + i.ToString(CultureInfo.InvariantCulture)
    + "\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"registry.example.com/app:1.2.3\",\"ports\":[{\"containerPort\":8080}],"
    + "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}],\"restartPolicy\":\"Always\"}}";

Console.WriteLine($"objects={objects} clients={clients} pageSize={pageSize} warmUp={warmUp} cores={Environment.ProcessorCount} load average: {LoadAverage()}");
Console.WriteLine($"object size ~{Encoding.UTF8.GetByteCount(Pod(1))} bytes");

// Warm up the JIT (tiered compilation and PGO reach their optimized code) and the connections.
using (var ns = new StringContent("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"warm-up\"}}", Encoding.UTF8, "application/json"))
{
    (await http.PostAsync("api/v1/namespaces", ns)).EnsureSuccessStatusCode();
}

var warmSw = Stopwatch.StartNew();
await RunCreates("warm-up", 0, warmUp);
Console.WriteLine($"warm-up: {warmUp} creates in {warmSw.Elapsed.TotalSeconds:F2} s");
await Task.Delay(1000);

var before = GC.GetTotalMemory(forceFullCollection: true);
var process = Process.GetCurrentProcess();
var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes());
var totalSw = Stopwatch.StartNew();
var totalCpu = process.TotalProcessorTime;
const int Chunk = 25_000;
for (var from = 0; from < objects; from += Chunk)
{
    var to = Math.Min(objects, from + Chunk);
    process.Refresh();
    var cpuBefore = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    await RunCreates("default", from, to);
    sw.Stop();
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    Console.WriteLine($"create {from}..{to}: {(to - from) / sw.Elapsed.TotalSeconds:F0} objects/s, {cpu.TotalMilliseconds * 1000 / (to - from):F0} us CPU/create (load average: {LoadAverage()})");
}

totalSw.Stop();
process.Refresh();
var allCpu = process.TotalProcessorTime - totalCpu;
Console.WriteLine($"create: {objects} objects in {totalSw.Elapsed.TotalSeconds:F2} s = {objects / totalSw.Elapsed.TotalSeconds:F0} objects/s"
    + $" (process CPU {allCpu.TotalSeconds:F2} s = {allCpu.TotalMilliseconds * 1000 / objects:F0} us/create, client and server; {objects / allCpu.TotalSeconds:F0} creates per CPU-second)");
Console.WriteLine($"  GCs gen0/1/2: {GC.CollectionCount(0) - gcBefore.Item1}/{GC.CollectionCount(1) - gcBefore.Item2}/{GC.CollectionCount(2) - gcBefore.Item3},"
    + $" pause {(GC.GetTotalPauseDuration() - gcBefore.Item4).TotalSeconds:F2} s, allocated {(GC.GetTotalAllocatedBytes() - gcBefore.Item5) / (double)objects / 1024:F1} KiB/create (client and server)");
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"memory: {(after - before) / 1024.0 / 1024.0:F1} MiB for {objects} objects (~{(after - before) / (double)objects:F0} bytes/object, history 10,000 events)");

for (var round = 0; round < 3; round++)
{
    var sw = Stopwatch.StartNew();
    var total = 0;
    var pages = 0;
    string? cont = null;
    do
    {
        var url = $"api/v1/namespaces/default/pods?limit={pageSize}" + (cont is null ? string.Empty : "&continue=" + Uri.EscapeDataString(cont));
        using var resp = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        resp.EnsureSuccessStatusCode();
        await using var stream = await resp.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(stream);
        total += doc.RootElement.GetProperty("items").GetArrayLength();
        cont = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) ? c.GetString() : null;
        pages++;
    }
    while (cont is not null);
    sw.Stop();
    Console.WriteLine($"list round {round + 1}: {total} objects in {pages} pages in {sw.Elapsed.TotalSeconds:F2} s = {total / sw.Elapsed.TotalSeconds:F0} objects/s (client parses every page)");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

async Task RunCreates(string ns, int from, int to)
{
    var next = from - 1;
    var workers = Enumerable.Range(0, clients).Select(async _ =>
    {
        while (true)
        {
            var i = Interlocked.Increment(ref next);
            if (i >= to)
            {
                return;
            }

            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Pod(i)));
            content.Headers.ContentType = jsonType;
            using var resp = await http.PostAsync($"api/v1/namespaces/{ns}/pods", content);
            if ((int)resp.StatusCode != 201)
            {
                throw new InvalidOperationException($"create {i}: {(int)resp.StatusCode} {await resp.Content.ReadAsStringAsync()}");
            }
        }
    });
    await Task.WhenAll(workers);
}
