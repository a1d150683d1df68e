using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;

namespace Velero.Sdk.Tests.Backup;

/// <summary>
/// Backups of the in-process API server seeded with real manifests and recorded objects of ../shared/testdata. The expected
/// entries come from listing the server directly (an oracle independent of the engine) and Velero's rules.
/// </summary>
public sealed class TestdataClusterBackupTests : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;

    public static IEnumerable<string> Seeds =>
    [
        TestData.Path("k8s-objects", "volumesnapshot", "crds"),
        TestData.Path("k8s-objects", "velero-remap-crd-testdata", "v1"),
        TestData.Path("k8s-manifests", "kubernetes-examples"),
        TestData.Path("k8s-manifests", "velero-examples", "nginx-app_with-pv.yaml"),
        TestData.Path("k8s-manifests", "velero-testdata", "storage-class"),
        TestData.Path("k8s-manifests", "velero-testdata", "volume-snapshot-class"),
        TestData.Path("k8s-objects", "recorded-apiserver-v1.36", "extracted"),
        TestData.Path("k8s-objects", "volumesnapshot", "examples", "snapshot-v1.yaml"),
    ];

    public async Task InitializeAsync()
    {
        _server = await KubernetesApiServer.StartAsync();
        await _server.SeedAsync(Seeds);
        _server.Exec.Add(null, null, null, null, new ExecResult());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(BackupResult Result, TarballReader Tar)> BackupAsync(Func<BackupBuilder, BackupBuilder> configure)
    {
        var store = new InMemoryObjectStore();
        using var client = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store).Build();
        var result = await client.BackupAsync(configure(new BackupBuilder("t1")).Build());
        return (result, TarballReader.Read(store.GetBytes("backups/t1/t1.tar.gz")!));
    }

    /// <summary>Every object the server holds, as <c>group-resource/[ns/]name</c>, by listing each listable resource over plain HTTP.</summary>
    private async Task<SortedSet<string>> ServerObjectsAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "x");
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var groups = new List<(string Path, string Group)> { ("/api/v1", string.Empty) };
        using (var apis = JsonDocument.Parse(await http.GetStringAsync("/apis")))
        {
            foreach (var g in apis.RootElement.GetProperty("groups").EnumerateArray())
            {
                groups.Add(("/apis/" + g.GetProperty("preferredVersion").GetProperty("groupVersion").GetString(), g.GetProperty("name").GetString()!));
            }
        }

        foreach (var (path, group) in groups)
        {
            using var list = JsonDocument.Parse(await http.GetStringAsync(path));
            foreach (var r in list.RootElement.GetProperty("resources").EnumerateArray())
            {
                var name = r.GetProperty("name").GetString()!;
                var verbs = r.GetProperty("verbs").EnumerateArray().Select(v => v.GetString()).ToList();
                if (name.Contains('/', StringComparison.Ordinal) || !new[] { "list", "create", "get", "delete" }.All(verbs.Contains))
                {
                    continue;
                }

                var gr = group.Length == 0 ? name : name + "." + group;
                using var items = JsonDocument.Parse(await http.GetStringAsync($"{path}/{name}"));
                foreach (var item in items.RootElement.GetProperty("items").EnumerateArray())
                {
                    var meta = item.GetProperty("metadata");
                    var ns = meta.TryGetProperty("namespace", out var n) ? n.GetString() : null;
                    result.Add(ns is null ? $"{gr}/{meta.GetProperty("name").GetString()}" : $"{gr}/{ns}/{meta.GetProperty("name").GetString()}");
                }
            }
        }

        return result;
    }

    [Fact]
    public async Task A_whole_cluster_backup_holds_every_object_but_the_automatically_excluded_snapshot_types()
    {
        var (result, tar) = await BackupAsync(b => b);
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        var expected = (await ServerObjectsAsync())
            .Where(i => !i.StartsWith("volumesnapshots.snapshot.storage.k8s.io/", StringComparison.Ordinal)
                     && !i.StartsWith("volumesnapshotcontents.snapshot.storage.k8s.io/", StringComparison.Ordinal))
            .ToList();
        expected.Count.ShouldBeGreaterThan(40);
        tar.Items.ShouldBe(expected);
    }

    [Fact]
    public async Task Every_archived_object_equals_the_server_s_apart_from_documented_changes()
    {
        var (_, tar) = await BackupAsync(b => b);
        int compared = 0;
        foreach (var (name, _, _, data) in tar.Entries.Where(e => e.Name.StartsWith("resources/", StringComparison.Ordinal) && !e.Name.Contains("-preferredversion/", StringComparison.Ordinal)))
        {
            var archived = JsonNode.Parse(data)!.AsObject();
            var apiVersion = archived["apiVersion"]!.GetValue<string>();
            var kind = archived["kind"]!.GetValue<string>();
            var meta = archived["metadata"]!;
            var served = _server.GetObject(apiVersion, kind, meta["namespace"]?.GetValue<string>(), meta["name"]!.GetValue<string>());
            served.ShouldNotBeNull(name);
            if (kind == "PersistentVolumeClaim")
            {
                // The PVC action's documented changes for bound claims.
                foreach (var field in new[] { "dataSource", "dataSourceRef", "selector" })
                {
                    (served["spec"] as JsonObject)?.Remove(field);
                    (archived["spec"] as JsonObject)?.Remove(field);
                }
            }

            JsonAssert.Equal(served, archived);
            compared++;
        }

        compared.ShouldBe(tar.Items.Count);
    }

    [Fact]
    public async Task A_namespace_subset_with_old_filters_takes_only_the_listed_types()
    {
        var (result, tar) = await BackupAsync(b => b.IncludeNamespaces("nginx-example").IncludeResources("deployments", "pvc"));
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        tar.Items.ShouldBe(["deployments.apps/nginx-example/nginx-deployment", "persistentvolumeclaims/nginx-example/nginx-logs"]);
    }

    [Fact]
    public async Task Kube_system_by_glob_with_a_label_selector()
    {
        var (_, tar) = await BackupAsync(b => b.IncludeNamespaces("kube-*").WithLabelSelector("k8s-app=kube-dns"));
        var items = tar.Items;
        items.ShouldNotBeEmpty();
        items.ShouldAllBe(i => i.Contains("/kube-system/", StringComparison.Ordinal) || i.StartsWith("namespaces/", StringComparison.Ordinal) || i.StartsWith("priorityclasses", StringComparison.Ordinal));

        // Velero's rule: with a namespace filter that is not "everything", every included namespace's object is backed up by
        // name, even when no item in it matches the selector.
        items.Where(i => i.StartsWith("namespaces/", StringComparison.Ordinal)).ShouldBe(["namespaces/kube-node-lease", "namespaces/kube-public", "namespaces/kube-system"]);
        items.ShouldContain(i => i.StartsWith("pods/kube-system/coredns", StringComparison.Ordinal));
        items.ShouldContain("deployments.apps/kube-system/coredns");
    }
}
