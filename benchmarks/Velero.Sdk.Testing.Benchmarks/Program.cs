using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Velero.Sdk.Testing;

// Scale benchmark of the in-process API server (not run in CI):
//   dotnet run -c Release --project benchmarks/Velero.Sdk.Testing.Benchmarks -- [objects=100000] [clients=16] [pageSize=500]
// Creates N pods from parallel plain HttpClient clients, then lists them all in pages, and prints objects/s.
var objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var pageSize = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;

await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { HistorySize = 10_000 });
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

var jsonType = new MediaTypeHeaderValue("application/json");

static string Pod(int i) =>
    "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"pod-" + i.ToString("D6", CultureInfo.InvariantCulture)
    + "\",\"namespace\":\"default\",\"labels\":{\"app\":\"bench\",\"shard\":\"" + (i % 10).ToString(CultureInfo.InvariantCulture)
    + "\"},\"annotations\":{\"note\":\"benchmark object " + i.ToString(CultureInfo.InvariantCulture)
    + "\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"registry.example.com/app:1.2.3\",\"ports\":[{\"containerPort\":8080}],"
    + "\"env\":[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"2\"}],\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"}}}],\"restartPolicy\":\"Always\"}}";

Console.WriteLine($"objects={objects} clients={clients} pageSize={pageSize} cores={Environment.ProcessorCount}");
Console.WriteLine($"object size ~{Encoding.UTF8.GetByteCount(Pod(1))} bytes");

// Warm up the JIT (tiered compilation reaches its optimized code) and the connections.
const int WarmUp = 10_000;
await RunCreates(0, WarmUp);
await Task.Delay(500);
var before = GC.GetTotalMemory(forceFullCollection: true);
var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var sw = Stopwatch.StartNew();
await RunCreates(WarmUp, objects);
sw.Stop();
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
var created = objects - WarmUp;
Console.WriteLine($"create: {created} objects in {sw.Elapsed.TotalSeconds:F2} s = {created / sw.Elapsed.TotalSeconds:F0} objects/s"
    + $" (process CPU {cpu.TotalSeconds:F2} s = {cpu.TotalMilliseconds * 1000 / created:F0} us/create, client and server; {created / cpu.TotalSeconds:F0} creates per CPU-second)");
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"memory: {(after - before) / 1024.0 / 1024.0:F1} MiB for {created} objects (~{(after - before) / (double)created:F0} bytes/object, history 10,000 events)");

for (var round = 0; round < 3; round++)
{
    sw.Restart();
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

async Task RunCreates(int from, int to)
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
            using var resp = await http.PostAsync("api/v1/namespaces/default/pods", content);
            if ((int)resp.StatusCode != 201)
            {
                throw new InvalidOperationException($"create {i}: {(int)resp.StatusCode} {await resp.Content.ReadAsStringAsync()}");
            }
        }
    });
    await Task.WhenAll(workers);
}
