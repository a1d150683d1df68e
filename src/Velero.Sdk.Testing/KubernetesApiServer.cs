using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Patching;
using Velero.Sdk.Testing.Discovery;
using Velero.Sdk.Testing.Http;
using Velero.Sdk.Testing.Storage;

namespace Velero.Sdk.Testing;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1, faithful enough for kubectl and KubernetesClient: discovery
/// (legacy and aggregated), CRUD with resourceVersion conflicts, status subresources, merge/JSON/strategic merge
/// patches, finalizers, namespaces, CustomResourceDefinitions, paged lists, watches, <c>pods/exec</c>, server-side
/// printing (<c>meta.k8s.io/v1 Table</c> with the real columns, as <c>kubectl get</c> asks for it), the defaults a real
/// server fills in on create, update and patch (pods, deployments, jobs, services with cluster IP and node port
/// allocation, PVCs, PVs, secrets), plus test hooks (seeding objects as written, history compaction, fault injection,
/// request counters). No controllers run.
/// </summary>
public sealed class KubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiEngine _engine;
    private readonly CancellationTokenSource _stopping;
    private readonly string? _token;
    private int _disposed;

    private KubernetesApiServer(WebApplication app, ApiEngine engine, CancellationTokenSource stopping, Uri baseAddress, string? token, FaultInjector faults, RequestCounters counters, ExecHandlers exec)
    {
        _app = app;
        _engine = engine;
        _stopping = stopping;
        BaseAddress = baseAddress;
        _token = token;
        Faults = faults;
        RequestCounters = counters;
        Exec = exec;
    }

    /// <summary>The server's address, <c>http://127.0.0.1:&lt;port&gt;/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Fault injection: latency, error answers, dropped watches.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The requests served so far, by verb and resource.</summary>
    public RequestCounters RequestCounters { get; }

    /// <summary>The answers to <c>pods/exec</c>.</summary>
    public ExecHandlers Exec { get; }

    /// <summary>The newest resourceVersion handed out.</summary>
    public long ResourceVersion => _engine.Store.CurrentResourceVersion;

    /// <summary>Starts a server with the built-in resources and the namespaces <c>default</c>, <c>kube-system</c>, <c>kube-public</c> and <c>kube-node-lease</c>.</summary>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<KubernetesApiServer> StartAsync(KubernetesApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubernetesApiServerOptions();
        var random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        var registry = new ResourceRegistry();
        var store = new ObjectStore(options.HistorySize, initialResourceVersion: 1);
        var engine = new ApiEngine(registry, store, options.TimeProvider, random);
        foreach (var ns in new[] { "default", "kube-node-lease", "kube-public", "kube-system" })
        {
            engine.EnsureNamespace(ns);
        }

        var stopping = new CancellationTokenSource();
        var counters = new RequestCounters();
        var exec = new ExecHandlers();
        var faults = new FaultInjector(random, store.DropWatchers);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        app.UseWebSockets();
        var handler = new RequestHandler(engine, options, faults, counters, exec, stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        return new KubernetesApiServer(app, engine, stopping, baseAddress, options.BearerToken, faults, counters, exec);
    }

    /// <summary>A KubernetesClient configuration that talks to this server (with the bearer token, if one is required).</summary>
    /// <returns>The configuration.</returns>
    public KubernetesClientConfiguration CreateClientConfiguration() => new()
    {
        Host = BaseAddress.ToString().TrimEnd('/'),
        AccessToken = _token,
    };

    /// <summary>Writes a kubeconfig (context <c>velero-sdk-testing</c>) for kubectl and other clients, atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <returns>The full path written.</returns>
    public string WriteKubeconfig(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var server = BaseAddress.ToString().TrimEnd('/');
        var sb = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine("- name: velero-sdk-testing")
            .AppendLine("  cluster:")
            .AppendLine(CultureInfo.InvariantCulture, $"    server: {server}")
            .AppendLine("users:")
            .AppendLine("- name: velero-sdk-testing")
            .AppendLine("  user:");
        // KubernetesClient refuses a user without credentials; a server without a token ignores this one.
        sb.AppendLine(CultureInfo.InvariantCulture, $"    token: \"{_token ?? "velero-sdk-testing"}\"");

        sb.AppendLine("contexts:")
            .AppendLine("- name: velero-sdk-testing")
            .AppendLine("  context:")
            .AppendLine("    cluster: velero-sdk-testing")
            .AppendLine("    user: velero-sdk-testing")
            .AppendLine("    namespace: default")
            .AppendLine("current-context: velero-sdk-testing");
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        File.WriteAllText(temp, sb.ToString());
        File.Move(temp, full, overwrite: true);
        return full;
    }

    /// <summary>
    /// Stores the objects of a manifest file or of every manifest (*.yaml, *.yml, *.json) under a folder, as written
    /// (status, finalizers and deletionTimestamp included): CustomResourceDefinitions first, then namespaces, then
    /// the rest. A missing namespace is created. An object that cannot be stored throws, naming it.
    /// </summary>
    /// <param name="fileOrFolder">A manifest file (multi-document YAML, JSON, <c>kind: List</c>) or a folder.</param>
    /// <param name="cancellationToken">Cancels seeding between objects.</param>
    /// <returns>How many objects were stored.</returns>
    public Task<int> SeedAsync(string fileOrFolder, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileOrFolder);
        var objects = ManifestReader.ReadPath(fileOrFolder).ToList();
        return SeedAllAsync(objects, cancellationToken);
    }

    /// <summary>
    /// Seeds several files or folders as one set: CustomResourceDefinitions of every seed first, then namespaces,
    /// then the rest, each group in the order given.
    /// </summary>
    /// <param name="filesOrFolders">Manifest files or folders.</param>
    /// <param name="cancellationToken">Cancels seeding between objects.</param>
    /// <returns>How many objects were stored.</returns>
    public Task<int> SeedAsync(IEnumerable<string> filesOrFolders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filesOrFolders);
        var objects = filesOrFolders.SelectMany(ManifestReader.ReadPath).ToList();
        return SeedAllAsync(objects, cancellationToken);
    }

    /// <summary>Stores one object as written (see <see cref="SeedAsync(string, CancellationToken)"/>).</summary>
    /// <param name="obj">The object, with apiVersion, kind and metadata.name.</param>
    /// <param name="cancellationToken">Not used; for symmetry.</param>
    /// <returns>The stored object, with its resourceVersion.</returns>
    public Task<JsonObject> SeedAsync(JsonNode obj, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = obj.DeepClone() as JsonObject ?? throw new ArgumentException("a Kubernetes object must be a JSON object", nameof(obj));
        return Task.FromResult(SeedOne(copy, Describe(copy)));
    }

    /// <summary>Seeds YAML or JSON manifest text (multi-document allowed).</summary>
    /// <param name="manifest">The manifest text.</param>
    /// <param name="cancellationToken">Cancels seeding between objects.</param>
    /// <returns>How many objects were stored.</returns>
    public Task<int> SeedYamlAsync(string manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var objects = ManifestReader.ParseAll(manifest).Select((o, i) => ($"document {(i + 1).ToString(CultureInfo.InvariantCulture)}", o)).ToList();
        return SeedAllAsync(objects, cancellationToken);
    }

    private Task<int> SeedAllAsync(List<(string Source, JsonObject Object)> objects, CancellationToken cancellationToken)
    {
        static int Order(JsonObject o) => ((string?)o["kind"], (string?)o["apiVersion"]) switch
        {
            ("CustomResourceDefinition", "apiextensions.k8s.io/v1") => 0,
            ("Namespace", "v1") => 1,
            _ => 2,
        };

        var count = 0;
        foreach (var (source, obj) in objects.OrderBy(o => Order(o.Object)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            SeedOne(obj, source + ": " + Describe(obj));
            count++;
        }

        return Task.FromResult(count);
    }

    private JsonObject SeedOne(JsonObject obj, string description)
    {
        try
        {
            return _engine.Seed(obj).Parse();
        }
        catch (Exception e) when (e is InvalidOperationException or ApiException or FormatException)
        {
            throw new InvalidOperationException($"cannot seed {description}: {e.Message}", e);
        }
    }

    private static string Describe(JsonObject o)
    {
        var ns = (string?)o["metadata"]?["namespace"];
        var name = (string?)o["metadata"]?["name"] ?? "(no name)";
        return $"{(string?)o["apiVersion"]}, Kind={(string?)o["kind"]} {(ns is null ? string.Empty : ns + "/")}{name}";
    }

    /// <summary>Reads one stored object as a get would answer it, or null.</summary>
    /// <param name="apiVersion">The group/version, for example <c>apps/v1</c>.</param>
    /// <param name="kind">The kind, for example <c>Deployment</c>.</param>
    /// <param name="ns">The namespace (null or empty for cluster-scoped objects).</param>
    /// <param name="name">The name.</param>
    /// <returns>A copy of the object, or null when it does not exist.</returns>
    public JsonObject? GetObject(string apiVersion, string kind, string? ns, string name)
    {
        var type = _engine.Registry.Current.FindByKind(apiVersion, kind) ?? throw new ArgumentException($"no resource serves {apiVersion}, Kind={kind}");
        return _engine.Store.Get(type.StorageKey, StoredObject.KeyOf(type.Namespaced ? ns ?? string.Empty : string.Empty, name))?.Parse();
    }

    /// <summary>
    /// Forgets the change history, as an etcd compaction does: continue tokens and watch resourceVersions older
    /// than now are answered with 410 Gone/Expired.
    /// </summary>
    public void CompactHistory() => _engine.Store.Compact();

    /// <summary>Stops the server and closes every connection.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _engine.Store.DropWatchers();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
