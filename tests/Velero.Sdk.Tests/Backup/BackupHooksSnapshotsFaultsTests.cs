using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using k8s.Models;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;
using Velero.Sdk.Testing.Snapshots;

namespace Velero.Sdk.Tests.Backup;

public sealed class BackupHooksSnapshotsFaultsTests : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;
    private readonly ConcurrentQueue<string> _execs = new();

    public async Task InitializeAsync()
    {
        _server = await ShopCluster.StartAsync();
        _server.Exec.Executed += (request, result) => _execs.Enqueue($"{request.Namespace}/{request.Pod}/{request.Container}: {string.Join(' ', request.Command)} -> {result.ExitCode}");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private VeleroClient Client(ObjectStore store, Action<VeleroClientBuilder>? setup = null)
    {
        var builder = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store);
        builder.Kubernetes.InitialRetryDelay = TimeSpan.FromMilliseconds(5);
        builder.Kubernetes.MaxAttempts = 60; // the storm fails half of all requests; 60 attempts make a lost request negligible
        setup?.Invoke(builder);
        return builder.Build();
    }

    [Fact]
    public async Task Annotation_hooks_run_through_pod_exec_before_and_after_the_pod()
    {
        _server.Exec.Add("shop", "web-0", "app", null, new ExecResult("ok"));
        var store = new InMemoryObjectStore();
        var result = await Client(store).BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        _execs.ShouldBe(["shop/web-0/app: /bin/freeze --now -> 0", "shop/web-0/app: /bin/thaw -> 0"]);
        result.Backup.Status!.HookStatus!.HooksAttempted.ShouldBe(2);
        result.Backup.Status.HookStatus.HooksFailed.ShouldBeNull(); // Go omits a zero count
    }

    [Fact]
    public async Task A_failing_pre_hook_with_onError_unset_drops_the_pod_and_the_backup_partially_fails()
    {
        _server.Exec.Add("shop", "web-0", "app", ["/bin/freeze", "--now"], new ExecResult(Stderr: "cannot freeze", ExitCode: 3));
        var store = new InMemoryObjectStore();
        var result = await Client(store).BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        result.Phase.ShouldBe(BackupPhase.PartiallyFailed);
        result.Errors.All().ShouldContain(e => e.Contains("pre hook <from-annotation> failed in pod shop/web-0", StringComparison.Ordinal) && e.Contains("exited with code 3: cannot freeze", StringComparison.Ordinal));
        var tar = TarballReader.Read(store.GetBytes("backups/b1/b1.tar.gz")!);
        tar.Items.ShouldNotContain("pods/shop/web-0");
        tar.Items.ShouldContain("persistentvolumeclaims/shop/data");
        _execs.ShouldBe(["shop/web-0/app: /bin/freeze --now -> 3"]); // no post hook for a dropped pod
        var list = await new BackupStore(store).GetResourceListAsync("b1");
        list["v1/Pod"].ShouldBe(["shop/web-0"]); // Velero lists a dropped pod's key too
    }

    [Fact]
    public async Task Spec_hooks_with_continue_keep_the_pod()
    {
        _server.Exec.Add(null, "static", "c", null, new ExecResult(ExitCode: 1));
        var store = new InMemoryObjectStore();
        var request = new BackupBuilder("b1").IncludeNamespaces("web")
            .AddHook(new V1BackupResourceHookSpec
            {
                Name = "flush",
                IncludedNamespaces = ["web"],
                PreHooks = [new V1BackupResourceHook { Exec = new V1ExecHook { Command = ["sync"], OnError = HookErrorMode.Continue } }],
                PostHooks = [new V1BackupResourceHook { Exec = new V1ExecHook { Command = ["echo", "done"], Container = "c" } }],
            })
            .Build();
        var result = await Client(store).BackupAsync(request);
        result.Phase.ShouldBe(BackupPhase.PartiallyFailed);
        TarballReader.Read(store.GetBytes("backups/b1/b1.tar.gz")!).Items.ShouldContain("pods/web/static");
        _execs.ShouldBe(["web/static/c: sync -> 1", "web/static/c: echo done -> 1"]);
        result.Backup.Status!.HookStatus!.HooksFailed.ShouldBe(2);
    }

    [Fact]
    public async Task Persistent_volumes_are_snapshotted_with_velero_s_tags_and_records()
    {
        var snapshotter = new InMemoryVolumeSnapshotter();
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var store = new InMemoryObjectStore();
        var result = await Client(store, b => b.AddVolumeSnapshotLocation("ebs", "aws", snapshotter))
            .BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").WithLabel("tier", "gold").Build());
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        var (id, (volume, tags)) = snapshotter.Snapshots.Single();
        volume.ShouldBe("vol-0abc");
        tags["velero.io/backup"].ShouldBe("b1");
        tags["velero.io/pv"].ShouldBe("pv-data");
        tags["tier"].ShouldBe("gold");
        snapshotter.Calls.ShouldContain("CreateSnapshot vol-0abc us-east-1a");
        result.Backup.Status!.VolumeSnapshotsAttempted.ShouldBe(1);
        result.Backup.Status.VolumeSnapshotsCompleted.ShouldBe(1);
        result.Backup.Spec.VolumeSnapshotLocations.ShouldBe(["ebs"]);

        var backupStore = new BackupStore(store);
        var record = (await backupStore.GetVolumeSnapshotsAsync("b1")).Single();
        record.Spec.PersistentVolumeName.ShouldBe("pv-data");
        record.Spec.ProviderVolumeId.ShouldBe("vol-0abc");
        record.Spec.VolumeAz.ShouldBe("us-east-1a");
        record.Spec.Location.ShouldBe("ebs");
        record.Spec.BackupUid.ShouldBe(result.Backup.Metadata.Uid);
        record.Status.ProviderSnapshotId.ShouldBe(id);
        record.Status.Phase.ShouldBe("Completed");
        var info = (await backupStore.GetVolumeInfoAsync("b1")).Single();
        info.PvName.ShouldBe("pv-data");
        info.PvcName.ShouldBe("data");
        info.BackupMethod.ShouldBe("NativeSnapshot");
        info.NativeSnapshotInfo!.SnapshotHandle.ShouldBe(id);
    }

    [Fact]
    public async Task Snapshot_volumes_false_snapshots_nothing()
    {
        var snapshotter = new InMemoryVolumeSnapshotter();
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var store = new InMemoryObjectStore();
        var result = await Client(store, b => b.AddVolumeSnapshotLocation("ebs", "aws", snapshotter))
            .BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").SnapshotVolumes(false).Build());
        result.Phase.ShouldBe(BackupPhase.Completed);
        snapshotter.Snapshots.ShouldBeEmpty();
        (await new BackupStore(store).GetVolumeInfoAsync("b1")).Single().SkippedReason.ShouldBe("backup has volume snapshots disabled");
    }

    [Fact]
    public async Task A_failed_snapshot_fails_the_volume_item()
    {
        var snapshotter = new InMemoryVolumeSnapshotter { FailSnapshotsOf = _ => true };
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var store = new InMemoryObjectStore();
        var result = await Client(store, b => b.AddVolumeSnapshotLocation("ebs", "aws", snapshotter))
            .BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        result.Phase.ShouldBe(BackupPhase.PartiallyFailed);
        result.Errors.All().ShouldContain(e => e.Contains("error taking snapshot of volume: snapshot of vol-0abc refused", StringComparison.Ordinal));
        (await new BackupStore(store).GetVolumeSnapshotsAsync("b1")).Single().Status.Phase.ShouldBe("Failed");
    }

    [Fact]
    public async Task Several_locations_of_one_provider_need_a_name()
    {
        var store = new InMemoryObjectStore();
        var client = Client(store, b => b
            .AddVolumeSnapshotLocation("east", "aws", new InMemoryVolumeSnapshotter())
            .AddVolumeSnapshotLocation("west", "aws", new InMemoryVolumeSnapshotter()));
        var result = await client.BackupAsync(new BackupBuilder("b1").IncludeNamespaces("web").Build());
        result.Phase.ShouldBe(BackupPhase.FailedValidation);
        result.ValidationErrors.ShouldBe(["provider aws has more than one possible volume snapshot location, and none were specified explicitly or as a default"]);
        (await client.BackupAsync(new BackupBuilder("b2").IncludeNamespaces("web").WithVolumeSnapshotLocations("west").Build())).Phase.ShouldBe(BackupPhase.Completed);
        (await client.BackupAsync(new BackupBuilder("b3").WithVolumeSnapshotLocations("nope").Build())).ValidationErrors
            .ShouldContain(e => e.StartsWith("a VolumeSnapshotLocation CRD for the location nope with the name specified in the backup spec needs to be created", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_api_fault_storm_still_yields_a_complete_and_equal_backup()
    {
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var calm = new InMemoryObjectStore();
        var expected = TarballReader.Read((await Run(calm, "calm")).Item2);

        _server.Faults.Add(new FaultRule { Verb = "list", StatusCode = 429, Rate = 0.4, RetryAfterSeconds = 0 });
        _server.Faults.Add(new FaultRule { Verb = "get", StatusCode = 500, Rate = 0.4, RetryAfterSeconds = 0 });
        _server.Faults.Add(new FaultRule { StatusCode = 503, Rate = 0.1, RetryAfterSeconds = 0 });
        var stormy = new InMemoryObjectStore();
        var (result, bytes) = await Run(stormy, "stormy");
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        var actual = TarballReader.Read(bytes);
        actual.Items.ShouldBe(expected.Items);
        foreach (var (name, _, _, data) in expected.Entries.Where(e => e.Name.EndsWith(".json", StringComparison.Ordinal)))
        {
            JsonAssert.Equal(System.Text.Json.Nodes.JsonNode.Parse(data), actual.Object(name));
        }

        async Task<(BackupResult, byte[])> Run(InMemoryObjectStore store, string name)
        {
            var r = await Client(store).BackupAsync(new BackupBuilder(name).IncludeNamespaces("shop", "web").Build());
            return (r, store.GetBytes($"backups/{name}/{name}.tar.gz")!);
        }
    }

    [Theory]
    [InlineData("b1.tar.gz")]
    [InlineData("b1-logs.gz")]
    [InlineData("b1-results.gz")]
    [InlineData("b1-resource-list.json.gz")]
    [InlineData("b1-volumesnapshots.json.gz")]
    [InlineData("b1-itemoperations.json.gz")]
    [InlineData("b1-volumeinfo.json.gz")]
    [InlineData("b1-podvolumebackups.json.gz")]
    [InlineData("velero-backup.json")]
    public async Task A_storage_failure_at_any_upload_step_leaves_no_completed_backup(string failingFile)
    {
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var store = new InMemoryObjectStore();
        store.FailPuts(key => key == "backups/b1/" + failingFile);
        var result = await Client(store).BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        result.Phase.ShouldBe(BackupPhase.Failed);
        result.FailureReason.ShouldNotBeNull().ShouldContain(failingFile);
        if (store.GetBytes("backups/b1/velero-backup.json") is { } metadata)
        {
            JsonDocument.Parse(metadata).RootElement.GetProperty("status").GetProperty("phase").GetString().ShouldNotBe(BackupPhase.Completed);
        }

        store.Keys.ShouldNotContain("backups/b1/b1.tar.gz");
    }

    [Fact]
    public async Task Progress_is_reported_and_ends_with_the_totals()
    {
        _server.Exec.Add(null, null, null, null, new ExecResult());
        var reports = new ConcurrentQueue<BackupProgress>();
        var store = new InMemoryObjectStore();
        var client = Client(store);
        var operation = await client.StartBackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build(), new SyncProgress(reports));
        var result = await operation.WaitForCompletionAsync();
        operation.HasCompleted.ShouldBeTrue();
        var last = reports.Last();
        last.Phase.ShouldBe(BackupPhase.Completed);
        last.ItemsBackedUp.ShouldBe(result.ItemsBackedUp);
        last.TotalItems.ShouldBe(result.ItemsBackedUp);
        last.ItemsPerResource["pods"].ShouldBe(1);
        operation.LatestProgress.ShouldBe(last);
    }

    private sealed class SyncProgress(ConcurrentQueue<BackupProgress> reports) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value) => reports.Enqueue(value);
    }
}
