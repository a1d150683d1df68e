using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Velero.Sdk.Hosting;
using Velero.Sdk.Model;
using Velero.Sdk.Testing.Snapshots;
using Velero.Sdk.Tests.Backup;

namespace Velero.Sdk.Tests.Hosting;

/// <summary>
/// A Generic Host running <c>AddVelero</c> against an in-process API server that has Velero's own CRDs (from the shared
/// test data) and the shop application; the bucket is an in-memory store (provider <c>memory</c>) unless a test adds another.
/// Time is a <see cref="FakeTimeProvider"/> unless the test asks for the wall clock.
/// </summary>
internal sealed class HostFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 30, TimeSpan.Zero);

    private readonly List<IHost> _hosts = [];

    private HostFixture(KubernetesApiServer server, InMemoryObjectStore store, FakeTimeProvider time)
    {
        Server = server;
        Store = store;
        Time = time;
        Http = new HttpClient { BaseAddress = server.BaseAddress };
        Resources = new VeleroResourceClient(Http);
    }

    public KubernetesApiServer Server { get; }

    public InMemoryObjectStore Store { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    /// <summary>The velero namespace's resources over plain HTTP.</summary>
    public VeleroResourceClient Resources { get; }

    public InMemoryVolumeSnapshotter Snapshotter { get; } = new();

    public VeleroServer Velero => _hosts[^1].Services.GetRequiredService<VeleroServer>();

    /// <summary>A cluster with Velero's CRDs and the shop application, no host yet.</summary>
    public static async Task<HostFixture> CreateAsync(bool shop = true)
    {
        var server = shop ? await ShopCluster.StartAsync() : await KubernetesApiServer.StartAsync();
        await server.SeedAsync(TestData.Path("velero-crds", "v1"));
        server.Exec.Add(null, null, null, null, new ExecResult()); // backup hooks of the shop's pods succeed
        return new HostFixture(server, new InMemoryObjectStore(), new FakeTimeProvider(Start));
    }

    /// <summary>Starts a host (leader election off unless <paramref name="configure"/> turns it on) and waits until it leads.</summary>
    public async Task<IHost> StartHostAsync(Action<VeleroServerOptions>? configure = null, Action<VeleroServerBuilder>? setup = null, bool fakeTime = true, bool waitReady = true, bool defaultLocation = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (Environment.GetEnvironmentVariable("VELERO_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug);
        }

        if (fakeTime)
        {
            builder.Services.AddSingleton<TimeProvider>(Time);
        }

        var velero = builder.Services.AddVelero(o =>
            {
                o.LeaderElection.Enabled = false;
                configure?.Invoke(o);
            })
            .UseKubernetes(Server.CreateClientConfiguration())
            .AddObjectStoreProvider("memory", _ => Store)
            .AddVolumeSnapshotterProvider("memory", _ => Snapshotter);
        if (defaultLocation)
        {
            velero.AddBackupStorageLocation("default", new V1BackupStorageLocationSpec { Provider = "memory", ObjectStorage = new V1ObjectStorageLocation { Bucket = "bucket" }, Default = true });
        }

        setup?.Invoke(velero);
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        if (waitReady)
        {
            await host.Services.GetRequiredService<VeleroServer>().WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        return host;
    }

    public static string Path(string plural, string? name = null) => VeleroResourceClient.Path(plural, name);

    public Task<JsonObject?> GetAsync(string plural, string name) => Resources.GetAsync(plural, name);

    public Task<JsonArray> ListAsync(string plural) => Resources.ListAsync(plural);

    public Task<JsonObject> CreateAsync(string plural, string json) => Resources.CreateAsync(plural, json);

    public Task<JsonObject> WaitForAsync(string plural, string name, Func<JsonObject, bool> condition, int seconds = 30) =>
        Resources.WaitForAsync(plural, name, condition, seconds);

    public Task<JsonObject> WaitForPhaseAsync(string plural, string name, string phase, int seconds = 30) =>
        Resources.WaitForPhaseAsync(plural, name, phase, seconds);

    /// <summary>Waits (wall clock) until <paramref name="condition"/> holds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new ShouldAssertException($"timed out after {seconds} s waiting until {what}");
    }

    /// <summary>Moves fake time on in steps, so the timers of each period fire in turn.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromMinutes(1);
        for (var moved = TimeSpan.Zero; moved < by; moved += s)
        {
            Time.Advance(s < by - moved ? s : by - moved);
            await Task.Delay(20);
        }
    }

    public async Task StopHostAsync(IHost host)
    {
        await host.StopAsync();
        host.Dispose();
        _hosts.Remove(host);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }

        Http.Dispose();
        await Server.DisposeAsync();
    }
}
