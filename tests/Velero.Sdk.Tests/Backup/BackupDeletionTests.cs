using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;
using Velero.Sdk.Testing;
using Velero.Sdk.Testing.Snapshots;

namespace Velero.Sdk.Tests.Backup;

public sealed class BackupDeletionTests : IAsyncLifetime
{
    private KubernetesApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ShopCluster.StartAsync();
        _server.Exec.Add(null, null, null, null, new ExecResult());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed class RecordingDeleteAction : DeleteItemAction
    {
        public ConcurrentQueue<string> Seen { get; } = new();

        public override ResourceSelector AppliesTo { get; } = new() { IncludedResources = ["configmaps", "persistentvolumes"] };

        public override Task ExecuteAsync(JsonObject item, V1Backup backup, CancellationToken cancellationToken)
        {
            Seen.Enqueue($"{backup.Metadata.Name}:{item["kind"]}/{item["metadata"]!["name"]}");
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Deleting_runs_delete_item_actions_deletes_snapshots_then_the_bucket_data()
    {
        var snapshotter = new InMemoryVolumeSnapshotter();
        var action = new RecordingDeleteAction();
        var store = new InMemoryObjectStore();
        using var client = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store)
            .AddVolumeSnapshotLocation("ebs", "aws", snapshotter).AddDeleteItemAction(action).Build();
        (await client.BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build())).Phase.ShouldBe(BackupPhase.Completed);
        snapshotter.Snapshots.Count.ShouldBe(1);

        var errors = await client.DeleteBackupAsync("b1");
        errors.ShouldBeEmpty();
        action.Seen.Order().ShouldBe(["b1:ConfigMap/cfg", "b1:PersistentVolume/pv-data"]);
        snapshotter.Snapshots.ShouldBeEmpty();
        store.Keys.ShouldBeEmpty();
        (await client.BackupStore.ListBackupsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_snapshot_that_cannot_be_deleted_keeps_the_bucket_data()
    {
        var store = new InMemoryObjectStore();
        using (var client = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store)
            .AddVolumeSnapshotLocation("ebs", "aws", new InMemoryVolumeSnapshotter()).Build())
        {
            await client.BackupAsync(new BackupBuilder("b1").IncludeNamespaces("shop").Build());
        }

        // A client without that location cannot delete the snapshot: Velero keeps the backup so the deletion can be retried.
        using var other = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(store).Build();
        var errors = await other.DeleteBackupAsync("b1");
        errors.Single().ShouldMatch("^error deleting snapshot snap-0001: volume snapshot location ebs not found$");
        store.Keys.ShouldContain("backups/b1/velero-backup.json");
    }

    [Fact]
    public async Task Deleting_a_missing_backup_says_so()
    {
        using var client = new VeleroClientBuilder().UseKubernetes(_server.CreateClientConfiguration()).UseObjectStore(new InMemoryObjectStore()).Build();
        var e = await Should.ThrowAsync<VeleroException>(() => client.DeleteBackupAsync("nope"));
        e.ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
        e.Message.ShouldBe("backup not found");
    }
}
