using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Actions;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;

namespace Velero.Sdk.Tests.Backup;

public sealed class BackupEngineTests : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ShopCluster.StartAsync();
        _server.Exec.Add(null, null, null, null, new ExecResult()); // hooks succeed
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(BackupResult Result, TarballReader Tar, InMemoryObjectStore Store)> BackupAsync(Func<BackupBuilder, BackupBuilder> configure, Action<VeleroClientBuilder>? setup = null)
    {
        var store = new InMemoryObjectStore();
        var builder = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store);
        setup?.Invoke(builder);
        var client = builder.Build();
        var request = configure(new BackupBuilder("b1")).Build();
        var result = await client.BackupAsync(request);
        var tarball = store.GetBytes("backups/b1/b1.tar.gz");
        return (result, tarball is null ? null! : TarballReader.Read(tarball), store);
    }

    private static readonly string[] ShopNamespaceItems =
    [
        "configmaps/shop/cfg",
        "deployments.apps/shop/web",
        "namespaces/shop",
        "persistentvolumeclaims/shop/data",
        "pods/shop/web-0",
        "secrets/shop/creds",
        "serviceaccounts/shop/runner",
        "services/shop/web",
        "widgets.example.com/shop/w1",
    ];

    private static readonly string[] ShopPulledIn =
    [
        "clusterrolebindings.rbac.authorization.k8s.io/runner-binding", // service account action
        "clusterroles.rbac.authorization.k8s.io/runner-role",
        "customresourcedefinitions.apiextensions.k8s.io/widgets.example.com", // CRD auto-inclusion
        "persistentvolumes/pv-data", // pod -> PVC -> PV
    ];

    [Fact]
    public async Task One_namespace_with_the_items_actions_pull_in()
    {
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop"));
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        tar.Items.ShouldBe(ShopNamespaceItems.Concat(ShopPulledIn).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Archive_layout_is_velero_1_1_0()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop"));
        tar.Entries[0].Name.ShouldBe("metadata/version");
        System.Text.Encoding.ASCII.GetString(tar.Entries[0].Data).ShouldBe("1.1.0\n");
        tar.Entries.ShouldAllBe(e => e.Type == System.Formats.Tar.TarEntryType.RegularFile || e.Type == System.Formats.Tar.TarEntryType.V7RegularFile);
        tar.Entries.ShouldAllBe(e => (int)e.Mode == Convert.ToInt32("755", 8));
        tar.Names.ShouldContain("resources/pods/namespaces/shop/web-0.json");
        tar.Names.ShouldContain("resources/pods/v1-preferredversion/namespaces/shop/web-0.json");
        tar.Names.ShouldContain("resources/deployments.apps/v1-preferredversion/namespaces/shop/web.json");
        tar.Names.ShouldContain("resources/namespaces/cluster/shop.json");
        tar.Names.ShouldContain("resources/persistentvolumes/v1-preferredversion/cluster/pv-data.json");
        tar.Names.Distinct().Count().ShouldBe(tar.Entries.Count);
        tar.Entries.Count.ShouldBe(1 + (2 * (ShopNamespaceItems.Length + ShopPulledIn.Length)));
    }

    [Fact]
    public async Task Objects_are_value_equal_to_the_server_s_apart_from_apiVersion_kind_and_documented_action_changes()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop"));
        var pod = tar.Object("resources/pods/namespaces/shop/web-0.json");
        var served = _server.GetObject("v1", "Pod", "shop", "web-0")!;
        JsonAssert.Equal(served, pod);
        pod["futureTopLevelField"]!.ToJsonString().ShouldBe("""{"keep":[1,2.50,"x"]}""");

        var widget = tar.Object("resources/widgets.example.com/namespaces/shop/w1.json");
        JsonAssert.Equal(_server.GetObject("example.com/v1", "Widget", "shop", "w1"), widget);

        // The PVC action clears data sources and the dynamic selector and drops stale Velero labels.
        var pvc = tar.Object("resources/persistentvolumeclaims/namespaces/shop/data.json");
        pvc["spec"]!["dataSource"].ShouldBeNull();
        pvc["spec"]!["selector"].ShouldBeNull();
        pvc["metadata"]!["labels"]!["velero.io/restore-name"].ShouldBeNull();
        pvc["metadata"]!["labels"]!["app"]!.GetValue<string>().ShouldBe("web");
        pvc["spec"]!["volumeName"]!.GetValue<string>().ShouldBe("pv-data");
    }

    [Fact]
    public async Task Whole_cluster_takes_every_cluster_scoped_type_and_never_the_excluded_namespace()
    {
        var (result, tar, _) = await BackupAsync(b => b);
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        var items = tar.Items;
        items.ShouldContain("storageclasses.storage.k8s.io/standard");
        items.ShouldContain("persistentvolumes/pv-unused");
        items.ShouldContain("namespaces/web");
        items.ShouldContain("configmaps/web/page");
        items.ShouldContain("namespaces/default");
        items.ShouldNotContain("namespaces/secret-stuff");
        items.ShouldNotContain("configmaps/secret-stuff/hidden");
        items.ShouldNotContain("configmaps/shop/skip-me");
        items.ShouldNotContain(i => i.StartsWith("events", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_every_item_key_in_the_file_at_once_a_whole_cluster_backup_takes_the_same_items_and_resource_list()
    {
        // One key in memory a stripe: each key goes to the backup's key file as it comes, and every later question about it
        // (claimed by the pod's block, reached again by the PVC and PV lists, pulled in by an action, written) is answered there.
        var (inFile, inFileTar, inFileStore) = await BackupAsync(b => b, c => c.Backup.ItemKeysInMemory = 16);
        var (inMemory, inMemoryTar, inMemoryStore) = await BackupAsync(b => b);

        inFile.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", inFile.Errors.All()));
        inFileTar.Items.ShouldBe(inMemoryTar.Items);
        foreach (var item in ShopNamespaceItems.Concat(ShopPulledIn))
        {
            inFileTar.Items.ShouldContain(item);
        }

        inFileTar.Names.Count().ShouldBe(inFileTar.Names.Distinct().Count(), "no item is written twice");
        inFile.ItemsPerResource.ShouldBe(inMemory.ItemsPerResource);
        inFile.Backup.Status!.Progress!.ItemsBackedUp.ShouldBe(inFileTar.Items.Count);
        var inFileList = await new BackupStore(inFileStore).GetResourceListAsync("b1");
        var inMemoryList = await new BackupStore(inMemoryStore).GetResourceListAsync("b1");
        inFileList.Keys.ShouldBe(inMemoryList.Keys);
        foreach (var (kind, entries) in inMemoryList)
        {
            inFileList[kind].ShouldBe(entries, kind);
        }
    }

    [Fact]
    public async Task Label_selector_selects_items_and_the_namespaces_that_hold_them()
    {
        var (result, tar, _) = await BackupAsync(b => b.WithLabelSelector("app=web"));
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        var items = tar.Items;
        items.ShouldContain("pods/shop/web-0");
        items.ShouldContain("configmaps/shop/cfg");
        items.ShouldContain("persistentvolumeclaims/shop/data");
        items.ShouldContain("persistentvolumes/pv-data"); // related items ignore selectors
        items.ShouldContain("namespaces/shop");
        items.ShouldNotContain("namespaces/web"); // nothing of it matched
        items.ShouldNotContain("secrets/shop/creds");
        items.ShouldNotContain("configmaps/web/page");
    }

    [Fact]
    public async Task Or_label_selectors_take_the_union()
    {
        var (_, tar, _) = await BackupAsync(b => b.WithOrLabelSelectors("app=page", "team=shop"));
        var items = tar.Items;
        items.ShouldContain("configmaps/web/page");
        items.ShouldContain("namespaces/shop"); // the namespace object matches team=shop
        items.ShouldContain("namespaces/web");
        items.ShouldNotContain("pods/shop/web-0");
    }

    [Theory]
    [InlineData("sh*")]
    [InlineData("sho?")]
    [InlineData("[s]hop")]
    public async Task Namespace_globs(string pattern)
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces(pattern));
        tar.Items.ShouldBe(ShopNamespaceItems.Concat(ShopPulledIn).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_glob_that_matches_nothing_backs_up_nothing()
    {
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("nothing-*"));
        result.Phase.ShouldBe(BackupPhase.Completed);
        tar.Items.ShouldBeEmpty();
        result.Warnings.All().ShouldContain(w => w.Contains("no namespaces matched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_excluded_namespace_is_never_backed_up_not_even_its_namespace_object()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("*").ExcludeNamespaces("shop"));
        tar.Items.ShouldNotContain(i => i.Contains("shop", StringComparison.Ordinal) && !i.StartsWith("storage", StringComparison.Ordinal));
        tar.Items.ShouldContain("namespaces/web");
    }

    [Fact]
    public async Task Old_filters_without_namespaces_write_no_namespace_objects()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop").IncludeResources("configmaps"));
        tar.Items.ShouldBe(["configmaps/shop/cfg"]);
    }

    [Fact]
    public async Task Include_cluster_resources_false_keeps_cluster_scoped_items_out()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop").IncludeClusterResources(false));
        tar.Items.ShouldBe(ShopNamespaceItems.Where(i => i != "namespaces/shop").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Scoped_filters_exclude_one_type_and_pull_in_cluster_types_by_name()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop")
            .ExcludeNamespaceScopedResources("secrets")
            .IncludeClusterScopedResources("storageclasses.storage.k8s.io"));
        var items = tar.Items;
        items.ShouldNotContain("secrets/shop/creds");
        items.ShouldContain("storageclasses.storage.k8s.io/standard");
        items.ShouldContain("namespaces/shop");
        items.ShouldContain("persistentvolumes/pv-data");
        items.ShouldNotContain("persistentvolumes/pv-unused");
    }

    [Fact]
    public async Task An_explicitly_excluded_cluster_type_is_not_pulled_in()
    {
        var (_, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop").ExcludeClusterScopedResources("persistentvolumes", "customresourcedefinitions.apiextensions.k8s.io"));
        tar.Items.ShouldNotContain("persistentvolumes/pv-data");
        tar.Items.ShouldNotContain("customresourcedefinitions.apiextensions.k8s.io/widgets.example.com");
        tar.Items.ShouldContain("persistentvolumeclaims/shop/data");
    }

    [Fact]
    public async Task The_bucket_holds_every_file_with_velero_backup_json_written_last()
    {
        var (result, _, store) = await BackupAsync(b => b.IncludeNamespaces("shop"));
        store.PutLog[^1].ShouldBe("backups/b1/velero-backup.json");
        store.Keys.ShouldBe(
        [
            "backups/b1/b1-itemoperations.json.gz", "backups/b1/b1-logs.gz", "backups/b1/b1-podvolumebackups.json.gz", "backups/b1/b1-resource-list.json.gz",
            "backups/b1/b1-results.gz", "backups/b1/b1-volumeinfo.json.gz", "backups/b1/b1-volumesnapshots.json.gz",
            "backups/b1/b1.tar.gz", "backups/b1/velero-backup.json",
        ], ignoreOrder: true);
        var backupStore = new BackupStore(store);
        var saved = await backupStore.GetBackupAsync("b1");
        saved.Status!.Phase.ShouldBe(BackupPhase.Completed);
        saved.Status.FormatVersion.ShouldBe("1.1.0");
        saved.Status.Version.ShouldBe(1);
        saved.Status.Expiration.ShouldBe(saved.Status.StartTimestamp!.Value.AddHours(720));
        saved.Status.Progress!.ItemsBackedUp.ShouldBe(ShopNamespaceItems.Length + ShopPulledIn.Length);
        saved.Spec.StorageLocation.ShouldBe("default");
        saved.Spec.Ttl.ShouldBe("720h0m0s");
        saved.Metadata.Labels[VeleroLabels.StorageLocation].ShouldBe("default");
        saved.Metadata.Annotations[VeleroAnnotations.SourceClusterK8sGitVersion].ShouldBe("v1.32.0");
        result.Backup.Status!.Phase.ShouldBe(BackupPhase.Completed);

        var list = await backupStore.GetResourceListAsync("b1");
        list["v1/Pod"].ShouldBe(["shop/web-0"]);
        list["v1/PersistentVolume"].ShouldBe(["pv-data"]);
        list["example.com/v1/Widget"].ShouldBe(["shop/w1"]);
        list["v1/Namespace"].ShouldBe(["shop"]);
    }

    [Fact]
    public async Task A_backup_that_already_exists_in_the_bucket_fails_without_touching_it()
    {
        var store = new InMemoryObjectStore();
        var client = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store).Build();
        (await client.BackupAsync(new BackupBuilder("b1").IncludeNamespaces("web").Build())).Phase.ShouldBe(BackupPhase.Completed);
        var before = store.GetBytes("backups/b1/b1.tar.gz");
        var second = await client.BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        second.Phase.ShouldBe(BackupPhase.Failed);
        second.FailureReason.ShouldBe("backup already exists in object storage");
        store.GetBytes("backups/b1/b1.tar.gz").ShouldBe(before);
    }

    [Fact]
    public async Task A_missing_included_namespace_is_an_error_and_the_rest_is_backed_up()
    {
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("web", "missing"));
        result.Phase.ShouldBe(BackupPhase.PartiallyFailed);
        result.Errors.All().ShouldContain("fail to get the namespace missing specified in backup.Spec.IncludedNamespaces");
        tar.Items.ShouldContain("configmaps/web/page");
    }

    [Fact]
    public async Task Listing_a_namespace_labelled_exclude_from_backup_fails_validation()
    {
        var (result, _, store) = await BackupAsync(b => b.IncludeNamespaces("secret-stuff"));
        result.Phase.ShouldBe(BackupPhase.FailedValidation);
        result.ValidationErrors.ShouldBe(["Invalid included/excluded namespace lists: excludes list cannot contain an item in the includes list: secret-stuff"]);
        store.Keys.ShouldBeEmpty();
    }

    [Fact]
    public async Task Ordered_resources_and_missing_entries_warn()
    {
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop", "web").WithOrderedResources("configmaps", "web/page", "shop/nope"));
        result.Warnings.All().ShouldContain(w => w.Contains("Cannot find resource 'shop/nope'.", StringComparison.Ordinal));
        tar.Items.ShouldContain("configmaps/web/page");
    }

    [Fact]
    public async Task A_custom_action_s_change_is_written_and_its_additional_items_are_backed_up()
    {
        var action = new EditConfigMap("cfg", item =>
        {
            item["data"]!["k"] = "changed";
            return [new ResourceIdentifier(string.Empty, "persistentvolumes", null, "pv-unused")];
        });
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop"), c => c.AddBackupItemAction(action));

        result.Phase.ShouldBe(BackupPhase.Completed);
        tar.Object("resources/configmaps/namespaces/shop/cfg.json")["data"]!["k"]!.GetValue<string>().ShouldBe("changed");
        tar.Items.ShouldContain("persistentvolumes/pv-unused");
    }

    [Fact]
    public async Task An_item_an_action_renames_onto_another_item_s_path_is_not_written_twice_and_warns()
    {
        // Which of the two reaches the archive first depends on the workers; either way the path holds one entry and the
        // other item is reported, never written as a second entry under the same name.
        await _server.SeedAsync(JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg-copy","namespace":"shop"},"data":{"k":"copy"}}""")!.AsObject());
        var action = new EditConfigMap("cfg-copy", item =>
        {
            item["metadata"]!["name"] = "cfg";
            return [];
        });
        var (result, tar, _) = await BackupAsync(b => b.IncludeNamespaces("shop"), c => c.AddBackupItemAction(action));

        tar.Names.Count(n => n == "resources/configmaps/namespaces/shop/cfg.json").ShouldBe(1);
        tar.Names.Count(n => n == "resources/configmaps/v1-preferredversion/namespaces/shop/cfg.json").ShouldBe(1);
        tar.Names.ShouldNotContain("resources/configmaps/namespaces/shop/cfg-copy.json");
        result.Warnings.All().Count(w => w.Contains("another item was already written at its path", StringComparison.Ordinal)).ShouldBe(1);
        result.Phase.ShouldBe(BackupPhase.Completed);
    }

    /// <summary>A user's action on one config map of <c>shop</c>: edits the item, returns additional items.</summary>
    private sealed class EditConfigMap(string name, Func<JsonObject, IReadOnlyList<ResourceIdentifier>> edit) : BackupItemAction
    {
        public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("configmaps");

        public override Task<BackupItemActionResult> ExecuteAsync(BackupItemActionContext context, CancellationToken cancellationToken)
        {
            if (context.Identifier.Name != name)
            {
                return Task.FromResult(new BackupItemActionResult(context.Item));
            }

            var additional = edit(context.Item);
            return Task.FromResult(new BackupItemActionResult(context.Item, additional));
        }
    }
}
