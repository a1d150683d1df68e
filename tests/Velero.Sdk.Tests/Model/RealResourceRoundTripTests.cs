using System.Text.Json.Nodes;
using k8s;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>
/// Real velero.io/v1 objects captured from a Velero e2e run (the 2022-11-29 debug bundle) and
/// Velero's documentation example must survive a read-write round trip unchanged.
/// </summary>
public class RealResourceRoundTripTests
{
    private static string Extracted(string file)
        => TestData.Path("velero-backups", "velero-debug-bundle-2022-11-29", "extracted", file);

    private static string BackupsFile => Extracted("backups-202211290815.5634.json");

    private static string BackupStorageLocationsFile => Extracted("backupstoragelocations-202211290815.5631.json");

    private static string VolumeSnapshotLocationsFile => Extracted("volumesnapshotlocations-202211290815.5633.json");

    [Fact]
    public void Backup_list_round_trips_exactly()
    {
        var json = File.ReadAllText(BackupsFile);

        var list = VeleroJson.Deserialize<V1BackupList>(json)!;

        list.Items.Count.ShouldBe(12);
        ModelGraph.FindExtensionData(list).ShouldBeEmpty();
        JsonAssert.Equal(JsonNode.Parse(json), JsonNode.Parse(VeleroJson.Serialize(list)));
    }

    [Fact]
    public void Each_backup_round_trips_exactly_on_its_own()
    {
        var items = JsonNode.Parse(File.ReadAllText(BackupsFile))!["items"]!.AsArray();
        items.Count.ShouldBe(12);

        foreach (var item in items)
        {
            var backup = VeleroJson.Deserialize<V1Backup>(item!.ToJsonString())!;

            ModelGraph.FindExtensionData(backup).ShouldBeEmpty();
            JsonAssert.Equal(item, JsonNode.Parse(VeleroJson.Serialize(backup)));
        }
    }

    [Fact]
    public void Backup_values_are_read_into_typed_properties()
    {
        var list = VeleroJson.Deserialize<V1BackupList>(File.ReadAllText(BackupsFile))!;

        var backup = list.Items.Single(b => b.Metadata.Name == "backup-1");
        backup.ApiVersion.ShouldBe("velero.io/v1");
        backup.Kind.ShouldBe("Backup");
        backup.Metadata.Labels[VeleroLabels.StorageLocation].ShouldBe("default");
        backup.Metadata.Annotations[VeleroAnnotations.SourceClusterK8sGitVersion].ShouldBe("v1.21.2+vmware.1");
        backup.Spec.Ttl.ShouldBe("720h0m0s");
        GoDuration.Parse(backup.Spec.Ttl!).ShouldBe(TimeSpan.FromDays(30));
        backup.Spec.CsiSnapshotTimeout.ShouldBe("10m0s");
        backup.Spec.SnapshotVolumes.ShouldBe(false);
        backup.Spec.DefaultVolumesToFsBackup.ShouldBe(true);
        backup.Spec.IncludeClusterResources.ShouldBe(true);
        backup.Spec.IncludedNamespaces.ShouldBe(["*"]);
        backup.Spec.IncludedResources.ShouldBe(["crd"]);
        backup.Spec.LabelSelector!.MatchLabels["for"].ShouldBe("backup");
        backup.Spec.StorageLocation.ShouldBe("default");
        backup.Spec.Hooks.ShouldNotBeNull().Resources.ShouldBeNull();
        backup.Spec.Metadata.ShouldNotBeNull().Labels.ShouldBeNull();

        var status = backup.Status.ShouldNotBeNull();
        status.Phase.ShouldBe(BackupPhase.Completed);
        BackupPhase.IsTerminal(status.Phase).ShouldBeTrue();
        status.Version.ShouldBe(1);
        status.FormatVersion.ShouldBe(VeleroConstants.BackupFormatVersion);
        status.StartTimestamp.ShouldBe(new DateTime(2022, 11, 29, 7, 29, 44, DateTimeKind.Utc));
        status.StartTimestamp!.Value.Kind.ShouldBe(DateTimeKind.Utc);
        status.CompletionTimestamp.ShouldBe(new DateTime(2022, 11, 29, 7, 29, 50, DateTimeKind.Utc));
        status.Expiration.ShouldBe(new DateTime(2022, 12, 29, 7, 29, 44, DateTimeKind.Utc));
        status.Progress!.TotalItems.ShouldBe(2);
        status.Progress.ItemsBackedUp.ShouldBe(2);
        status.Errors.ShouldBeNull();

        var partiallyFailed = list.Items.Where(b => b.Status?.Phase == BackupPhase.PartiallyFailed).ToList();
        partiallyFailed.ShouldNotBeEmpty();
        partiallyFailed.ShouldAllBe(b => b.Status!.Errors == 2);
    }

    [Fact]
    public void Backup_storage_location_list_round_trips_exactly()
    {
        var json = File.ReadAllText(BackupStorageLocationsFile);

        var list = VeleroJson.Deserialize<V1BackupStorageLocationList>(json)!;

        var bsl = list.Items.ShouldHaveSingleItem();
        bsl.Spec.Provider.ShouldBe("aws");
        bsl.Spec.Default.ShouldBe(true);
        bsl.Spec.ObjectStorage!.Bucket.ShouldBe("bucket-velero");
        bsl.Spec.ObjectStorage.Prefix.ShouldBe("default");
        bsl.Spec.Config!["region"].ShouldBe("us-phoenix-1");
        bsl.Spec.Config["s3ForcePathStyle"].ShouldBe("true");
        bsl.Status!.Phase.ShouldBe(BackupStorageLocationPhase.Available);
        bsl.Status.LastSyncedTime.ShouldBe(new DateTime(2022, 11, 29, 8, 15, 28, DateTimeKind.Utc));
        ModelGraph.FindExtensionData(list).ShouldBeEmpty();
        JsonAssert.Equal(JsonNode.Parse(json), JsonNode.Parse(VeleroJson.Serialize(list)));
    }

    [Fact]
    public void Volume_snapshot_location_list_round_trips_exactly()
    {
        var json = File.ReadAllText(VolumeSnapshotLocationsFile);

        var list = VeleroJson.Deserialize<V1VolumeSnapshotLocationList>(json)!;

        var vsl = list.Items.ShouldHaveSingleItem();
        vsl.Spec.Provider.ShouldBe("aws");
        vsl.Spec.Config!["region"].ShouldBe("us-west-2");
        vsl.Status.ShouldBeNull(); // the captured object has no status, and none is added on write
        ModelGraph.FindExtensionData(list).ShouldBeEmpty();
        JsonAssert.Equal(JsonNode.Parse(json), JsonNode.Parse(VeleroJson.Serialize(list)));
    }

    [Fact]
    public void KubernetesJson_and_VeleroJson_write_the_same_text()
    {
        var list = VeleroJson.Deserialize<V1BackupList>(File.ReadAllText(BackupsFile))!;

        KubernetesJson.Serialize(list).ShouldBe(VeleroJson.Serialize(list));
    }

    [Fact]
    public void Documentation_example_round_trips_except_explicit_nulls_and_keeps_the_legacy_field()
    {
        // Velero's output-file-format example is a 2017-era velero-backup.json: it has explicit
        // nulls (which KubernetesJson does not write back) and the removed status.volumeBackups.
        var json = File.ReadAllText(TestData.Path("velero-backups", "docs-examples", "velero-backup.output-file-format-example.json"));

        var backup = VeleroJson.Deserialize<V1Backup>(json)!;

        backup.Metadata.Name.ShouldBe("test-backup");
        backup.Metadata.SelfLink.ShouldBe("/apis/velero.io/v1/namespaces/velero/backups/test-backup");
        backup.Spec.Ttl.ShouldBe("24h0m0s");
        backup.Spec.SnapshotVolumes.ShouldBe(true);
        backup.Spec.ExcludedNamespaces.ShouldBeNull();
        backup.Status!.Phase.ShouldBe(BackupPhase.Completed);
        backup.Status.Expiration.ShouldBe(new DateTime(2017, 8, 1, 13, 39, 15, DateTimeKind.Utc));
        ModelGraph.FindExtensionData(backup).ShouldBe(["$.Status: volumeBackups"]);

        var expected = WithoutNulls(JsonNode.Parse(json));
        JsonAssert.Equal(expected, JsonNode.Parse(VeleroJson.Serialize(backup)));
    }

    private static JsonNode? WithoutNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, value) in o)
                {
                    WithoutNulls(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    WithoutNulls(item);
                }

                break;
        }

        return node;
    }
}
