using System.Text.Json.Nodes;
using Velero.Sdk.Backup;
using Velero.Sdk.Restore;
using Velero.Sdk.Tests.Backup;

namespace Velero.Sdk.Tests.Restore;

/// <summary>
/// A backup of a source cluster in an in-memory bucket, and a target cluster to restore it into (both in-process API
/// servers): what the restore tests share.
/// </summary>
internal sealed class RestoreFixture : IAsyncDisposable
{
    private RestoreFixture(KubernetesApiServer source, KubernetesApiServer target, InMemoryObjectStore store)
    {
        Source = source;
        Target = target;
        Store = store;
    }

    public KubernetesApiServer Source { get; }

    public KubernetesApiServer Target { get; }

    public InMemoryObjectStore Store { get; }

    /// <summary>The backup's tarball, read independently of the library.</summary>
    public TarballReader Tarball(string backup = "b1") => TarballReader.Read(Store.GetBytes($"backups/{backup}/{backup}.tar.gz")!);

    /// <summary>
    /// Starts the shop cluster (plus <paramref name="extra"/> objects) as source and an empty target. With
    /// <paramref name="throughApi"/> the source objects are created through the API (so the server defaults them, as the
    /// restore's creates will be), not seeded as they are.
    /// </summary>
    public static async Task<RestoreFixture> StartAsync(IEnumerable<JsonObject>? extra = null, bool throughApi = false)
    {
        var source = throughApi ? await KubernetesApiServer.StartAsync() : await ShopCluster.StartAsync();
        var objects = throughApi ? ShopCluster.Objects().Concat(extra ?? []) : extra ?? [];
        using var http = new HttpClient { BaseAddress = source.BaseAddress };
        foreach (var obj in objects)
        {
            if (throughApi)
            {
                var response = await http.PostAsync(CollectionPath(obj), new StringContent(obj.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
            }
            else
            {
                await source.SeedAsync(obj);
            }
        }

        source.Exec.Add(null, null, null, null, new ExecResult());
        var target = await KubernetesApiServer.StartAsync();
        return new RestoreFixture(source, target, new InMemoryObjectStore());
    }

    private static string CollectionPath(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var ns = obj["metadata"]!["namespace"]?.GetValue<string>();
        var plural = obj["kind"]!.GetValue<string>() switch
        {
            "CustomResourceDefinition" => "customresourcedefinitions",
            "PersistentVolumeClaim" => "persistentvolumeclaims",
            "PersistentVolume" => "persistentvolumes",
            "StorageClass" => "storageclasses",
            "ClusterRoleBinding" => "clusterrolebindings",
            var kind => kind.ToLowerInvariant() + "s",
        };
        var prefix = apiVersion.Contains('/', StringComparison.Ordinal) ? "/apis/" + apiVersion : "/api/" + apiVersion;
        return ns is null ? $"{prefix}/{plural}" : $"{prefix}/namespaces/{ns}/{plural}";
    }

    public VeleroClient Client(KubernetesApiServer server, Action<VeleroClientBuilder>? setup = null)
    {
        var builder = new VeleroClientBuilder().UseKubernetes(server.CreateClientConfiguration()).UseObjectStore(Store);
        setup?.Invoke(builder);
        return builder.Build();
    }

    public async Task<BackupResult> BackupAsync(Func<BackupBuilder, BackupBuilder>? configure = null, string name = "b1", Action<VeleroClientBuilder>? setup = null)
    {
        using var client = Client(Source, setup);
        var result = await client.BackupAsync((configure ?? (b => b))(new BackupBuilder(name)).Build());
        result.Phase.ShouldBe("Completed", string.Join("; ", result.Errors.All()));
        return result;
    }

    public async Task<RestoreResult> RestoreAsync(Func<RestoreBuilder, RestoreBuilder>? configure = null, string backup = "b1", KubernetesApiServer? into = null, Action<VeleroClientBuilder>? setup = null)
    {
        using var client = Client(into ?? Target, setup);
        return await client.RestoreAsync((configure ?? (r => r))(new RestoreBuilder(backup, "r1")).Build());
    }

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Target.DisposeAsync();
    }
}
