using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Velero.Sdk.Backup;
using Velero.Sdk.Hosting;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Hosting;

public sealed class ReconcilerRestoreSyncTests
{
    [Fact]
    public async Task A_restore_created_with_kubectl_restores_with_a_mapping_and_cleans_its_files_when_deleted()
    {
        await using var fx = await HostFixture.CreateAsync();
        await fx.StartHostAsync();
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"src","labels":{"velero.io/schedule-name":"daily"}},"spec":{"includedNamespaces":["shop"]}}""");
        await fx.WaitForPhaseAsync("backups", "src", BackupPhase.Completed);

        using var temp = new TempFolder();
        var manifest = temp.Combine("restore.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: velero.io/v1
            kind: Restore
            metadata:
              name: from-schedule
              namespace: velero
            spec:
              scheduleName: daily
              namespaceMapping:
                shop: shop-copy
            """);
        using var kubectl = new KubectlRunner(fx.Server);
        await kubectl.OkAsync("create", "--validate=false", "-f", manifest);
        var restore = await fx.WaitForPhaseAsync("restores", "from-schedule", RestorePhase.Completed);
        ((string?)restore["spec"]!["backupName"]).ShouldBe("src");
        restore["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f).ShouldContain(VeleroFinalizers.RestoreExternalResources);
        restore["spec"]!["excludedResources"]!.AsArray().Select(r => (string?)r).ShouldContain("nodes");
        ((string?)restore["status"]!["startTimestamp"]).ShouldBe("2026-11-28T10:00:30Z");
        ((int)restore["status"]!["progress"]!["itemsRestored"]!).ShouldBeGreaterThan(0);
        (await kubectl.OkAsync("get", "configmaps", "-n", "shop-copy", "-o", "name")).ShouldContain("configmap/");
        fx.Store.Keys.ShouldContain("restores/from-schedule/restore-from-schedule-results.gz");

        await kubectl.OkAsync("delete", "restore", "from-schedule", "-n", "velero", "--wait=false");
        await HostFixture.EventuallyAsync(async () => await fx.GetAsync("restores", "from-schedule") is null, "the restore's finalizer is removed");
        fx.Store.Keys.ShouldNotContain(k => k.StartsWith("restores/from-schedule/", StringComparison.Ordinal));

        await fx.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"nothing"},"spec":{"backupName":"absent"}}""");
        var invalid = await fx.WaitForPhaseAsync("restores", "nothing", RestorePhase.FailedValidation);
        ((string?)invalid["status"]!["validationErrors"]![0]).ShouldBe("Error retrieving backup: can't find backup velero/absent: backups.velero.io \"absent\" not found");
        await fx.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"both"},"spec":{"backupName":"src","scheduleName":"daily"}}""");
        var both = await fx.WaitForPhaseAsync("restores", "both", RestorePhase.FailedValidation);
        both["status"]!["validationErrors"]!.AsArray().Select(e => (string?)e).ShouldContain("Either a backup or schedule must be specified as a source for the restore, but not both");
    }

    [Fact]
    public async Task A_fresh_cluster_pointed_at_a_folder_bucket_gets_its_Backups_restores_from_them_and_drops_those_whose_data_left()
    {
        using var bucket = new TempFolder();
        // The backups are written by another cluster, straight into the folder.
        await using (var source = await Backup.ShopCluster.StartAsync())
        {
            source.Exec.Add(null, null, null, null, new ExecResult());
            using var client = new VeleroClientBuilder().UseKubernetes(source.CreateClientConfiguration()).UseObjectStore(new FileSystemObjectStore(bucket.Path)).Build();
            (await client.BackupAsync(new BackupBuilder("migrate").IncludeNamespaces("shop").Build())).Phase.ShouldBe(BackupPhase.Completed);
            (await client.BackupAsync(new BackupBuilder("old").IncludeNamespaces("shop").Build())).Phase.ShouldBe(BackupPhase.Completed);
        }

        await using var fx = await HostFixture.CreateAsync(shop: false);
        await fx.StartHostAsync(defaultLocation: false, setup: v => v.AddFileSystemBackupStorageLocation("default", bucket.Path));
        var location = await fx.WaitForPhaseAsync("backupstoragelocations", "default", BackupStorageLocationPhase.Available);
        ((string?)location["spec"]!["provider"]).ShouldBe("filesystem");
        var synced = await fx.WaitForPhaseAsync("backups", "migrate", BackupPhase.Completed);
        ((string?)synced["spec"]!["storageLocation"]).ShouldBe("default");
        ((string?)synced["metadata"]!["labels"]!["velero.io/storage-location"]).ShouldBe("default");
        (await fx.WaitForAsync("backupstoragelocations", "default", l => l["status"]?["lastSyncedTime"] is not null)).ShouldNotBeNull();

        await fx.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"migrate-in"},"spec":{"backupName":"migrate"}}""");
        await fx.WaitForPhaseAsync("restores", "migrate-in", RestorePhase.Completed);
        fx.Server.GetObject("v1", "Namespace", null, "shop").ShouldNotBeNull();
        ((string?)fx.Server.GetObject("v1", "Namespace", null, "shop")!["metadata"]!["labels"]!["velero.io/restore-name"]).ShouldBe("migrate-in");

        // The bucket is the source of truth: a backup whose data is gone loses its resource at the next sync.
        Directory.Delete(Path.Combine(bucket.Path, "backups", "old"), recursive: true);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(2));
        await HostFixture.EventuallyAsync(async () => await fx.GetAsync("backups", "old") is null, "the orphaned Backup is removed");
        (await fx.GetAsync("backups", "migrate")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Restore_only_mode_runs_restores_but_no_backups_or_schedules()
    {
        await using var fx = await HostFixture.CreateAsync();
        using (var client = new VeleroClientBuilder().UseKubernetes(fx.Server.CreateClientConfiguration()).UseObjectStore(fx.Store).Build())
        {
            (await client.BackupAsync(new BackupBuilder("before").IncludeNamespaces("shop").Build())).Phase.ShouldBe(BackupPhase.Completed);
        }

        await fx.StartHostAsync(o => o.RestoreOnly = true);
        await fx.WaitForPhaseAsync("backups", "before", BackupPhase.Completed); // synced from the bucket
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"refused"},"spec":{}}""");
        await fx.CreateAsync("schedules", """{"apiVersion":"velero.io/v1","kind":"Schedule","metadata":{"name":"idle"},"spec":{"schedule":"@every 1m","template":{}}}""");
        await fx.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"back"},"spec":{"backupName":"before","namespaceMapping":{"shop":"shop-ro"}}}""");
        await fx.WaitForPhaseAsync("restores", "back", RestorePhase.Completed);
        await fx.AdvanceAsync(TimeSpan.FromMinutes(3));
        var refused = (await fx.GetAsync("backups", "refused"))!;
        ((string?)refused["status"]?["phase"]).ShouldNotBe(BackupPhase.InProgress);
        ((string?)refused["status"]?["phase"]).ShouldNotBe(BackupPhase.Completed);
        fx.Store.Keys.ShouldNotContain(k => k.StartsWith("backups/refused/", StringComparison.Ordinal));
        (await fx.GetAsync("schedules", "idle"))!["status"].ShouldBeNull();
    }

    [Fact]
    public async Task Locations_are_validated_read_only_locations_refuse_backups_and_requests_are_answered()
    {
        await using var fx = await HostFixture.CreateAsync();
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "not-velero"));
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "not-velero", "data.txt"), "someone else's");
        using var good = new TempFolder();
        await fx.StartHostAsync(setup: v => v
            .AddFileSystemBackupStorageLocation("junk", folder.Path, isDefault: false)
            .AddFileSystemBackupStorageLocation("files", good.Path, isDefault: false)
            .AddBackupStorageLocation("frozen", new V1BackupStorageLocationSpec { Provider = "memory", ObjectStorage = new V1ObjectStorageLocation { Bucket = "b" }, AccessMode = "ReadOnly" }));
        var junk = await fx.WaitForPhaseAsync("backupstoragelocations", "junk", BackupStorageLocationPhase.Unavailable);
        ((string?)junk["status"]!["message"]).ShouldStartWith("BackupStorageLocation \"junk\" is unavailable: ");
        ((string)junk["status"]!["message"]!).ShouldContain("not-velero");

        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"to-frozen"},"spec":{"storageLocation":"frozen"}}""");
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"to-junk"},"spec":{"storageLocation":"junk"}}""");
        var frozen = await fx.WaitForPhaseAsync("backups", "to-frozen", BackupPhase.FailedValidation);
        ((string?)frozen["status"]!["validationErrors"]![0]).ShouldBe("backup can't be created because backup storage location frozen is currently in read-only mode");
        var unavailable = await fx.WaitForPhaseAsync("backups", "to-junk", BackupPhase.FailedValidation);
        ((string?)unavailable["status"]!["validationErrors"]![0]).ShouldBe("backup can't be created because BackupStorageLocation junk is in Unavailable status.");

        // A download request for a backup in the folder location gets a URL to its tarball.
        await fx.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"in-files"},"spec":{"storageLocation":"files","includedNamespaces":["shop"]}}""");
        await fx.WaitForPhaseAsync("backups", "in-files", BackupPhase.Completed, 60);
        await fx.CreateAsync("downloadrequests", """{"apiVersion":"velero.io/v1","kind":"DownloadRequest","metadata":{"name":"dl"},"spec":{"target":{"kind":"BackupContents","name":"in-files"}}}""");
        var download = await fx.WaitForPhaseAsync("downloadrequests", "dl", DownloadRequestPhase.Processed);
        var url = new Uri((string)download["status"]!["downloadURL"]!);
        File.Exists(url.LocalPath).ShouldBeTrue();
        url.LocalPath.ShouldEndWith(Path.Combine("backups", "in-files", "in-files.tar.gz"));
        ((string?)download["status"]!["expiration"]).ShouldBe("2026-11-28T10:10:30Z");

        await fx.CreateAsync("serverstatusrequests", """{"apiVersion":"velero.io/v1","kind":"ServerStatusRequest","metadata":{"name":"ssr"},"spec":{}}""");
        var status = await fx.WaitForPhaseAsync("serverstatusrequests", "ssr", ServerStatusRequestPhase.Processed);
        ((string?)status["status"]!["serverVersion"]).ShouldNotBeNullOrEmpty();
        var plugins = status["status"]!["plugins"]!.AsArray().Select(p => ((string?)p!["name"], (string?)p["kind"])).ToList();
        plugins.ShouldContain(("filesystem", PluginKind.ObjectStore));
        plugins.ShouldContain(("memory", PluginKind.VolumeSnapshotter));
        plugins.ShouldContain(p => p.Item2 == PluginKind.RestoreItemActionV2 || p.Item2 == PluginKind.BackupItemActionV2);
    }

    [Fact]
    public async Task AddVelero_is_idempotent_works_in_ASP_NET_Core_and_refuses_bad_settings_at_start()
    {
        var services = new ServiceCollection();
        var first = services.AddVelero();
        services.AddVelero(o => o.ConcurrentBackups = 3).ShouldBeSameAs(first);
        services.Count(d => d.ServiceType == typeof(IHostedService)).ShouldBe(1);

        await using var fx = await HostFixture.CreateAsync(shop: false);
        var bad = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        bad.Services.AddVelero(o =>
        {
            o.ConcurrentBackups = 0;
            o.DisabledControllers.Add("nonsense");
            o.LeaderElection.RenewDeadline = TimeSpan.FromMinutes(5);
        }).UseKubernetes(fx.Server.CreateClientConfiguration());
        using var badHost = bad.Build();
        var error = await Should.ThrowAsync<OptionsValidationException>(() => badHost.StartAsync());
        error.Failures.ShouldContain("ConcurrentBackups must be at least 1 (was 0)");
        error.Failures.ShouldContain(f => f.StartsWith("invalid value for --disable-controllers flag provided: nonsense", StringComparison.Ordinal));
        error.Failures.ShouldContain(f => f.StartsWith("LeaderElection needs", StringComparison.Ordinal));

        var web = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        web.WebHost.UseSetting("urls", "http://127.0.0.1:0");
        web.Services.AddVelero(o => o.LeaderElection.Enabled = false).UseKubernetes(fx.Server.CreateClientConfiguration())
            .AddBackupStorageLocation("default", new V1BackupStorageLocationSpec { Provider = "memory", ObjectStorage = new V1ObjectStorageLocation { Bucket = "b" } })
            .AddObjectStoreProvider("memory", _ => fx.Store);
        await using var app = web.Build();
        await app.StartAsync();
        var server = app.Services.GetRequiredService<VeleroServer>();
        await server.WaitUntilReadyAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var location = await fx.WaitForPhaseAsync("backupstoragelocations", "default", BackupStorageLocationPhase.Available);
        ((bool?)location["spec"]!["default"]).ShouldBe(true); // the location named like the server default becomes the default
        await app.StopAsync();
    }

    [Fact]
    public async Task The_CRD_installer_creates_established_CRDs_kubectl_can_use_and_leaves_Velero_own()
    {
        await using var bare = await KubernetesApiServer.StartAsync();
        using var client = new k8s.Kubernetes(bare.CreateClientConfiguration());
        var created = await VeleroCustomResourceDefinitions.InstallAsync(client);
        created.Count.ShouldBe(8);
        created.Values.ShouldAllBe(v => v == "created");
        (await VeleroCustomResourceDefinitions.InstallAsync(client)).Values.ShouldAllBe(v => v == "unchanged");
        using var kubectl = new KubectlRunner(bare);
        using var temp = new TempFolder();
        await File.WriteAllTextAsync(temp.Combine("b.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: velero\n---\napiVersion: velero.io/v1\nkind: Backup\nmetadata:\n  name: x\n  namespace: velero\nspec:\n  includedNamespaces: [a]\n  someFutureField: {kept: true}\n");
        await kubectl.OkAsync("create", "--validate=false", "-f", temp.Combine("b.yaml"));
        (await kubectl.OkAsync("get", "backups", "-n", "velero", "-o", "jsonpath={.items[0].spec.someFutureField.kept}")).ShouldBe("true");

        await using var withVelero = await KubernetesApiServer.StartAsync();
        await withVelero.SeedAsync(TestData.Path("velero-crds", "v1"));
        using var client2 = new k8s.Kubernetes(withVelero.CreateClientConfiguration());
        var kept = await VeleroCustomResourceDefinitions.InstallAsync(client2);
        kept["backups.velero.io"].ShouldBe("kept");
        kept["restores.velero.io"].ShouldBe("kept");
    }
}
