using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

public class ObjectStoreLayoutTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("/", "")]
    [InlineData("velero", "velero/")]
    [InlineData("/velero/", "velero/")]
    [InlineData("//team/cluster-a//", "team/cluster-a/")]
    public void Prefix_is_trimmed_and_gives_the_root(string? prefix, string root)
    {
        var layout = new ObjectStoreLayout(prefix);

        layout.Root.ShouldBe(root);
        layout.Prefix.ShouldBe(root.TrimEnd('/'));
        layout.BackupsDirectory.ShouldBe(root + "backups/");
        layout.RestoresDirectory.ShouldBe(root + "restores/");
        layout.ResticDirectory.ShouldBe(root + "restic/");
        layout.KopiaDirectory.ShouldBe(root + "kopia/");
    }

    [Fact]
    public void Every_backup_key_without_a_prefix()
    {
        var layout = new ObjectStoreLayout();

        layout.GetBackupDirectory("b1").ShouldBe("backups/b1/");
        layout.GetBackupMetadataKey("b1").ShouldBe("backups/b1/velero-backup.json");
        layout.GetBackupContentsKey("b1").ShouldBe("backups/b1/b1.tar.gz");
        layout.GetBackupLogKey("b1").ShouldBe("backups/b1/b1-logs.gz");
        layout.GetBackupResultsKey("b1").ShouldBe("backups/b1/b1-results.gz");
        layout.GetBackupResourceListKey("b1").ShouldBe("backups/b1/b1-resource-list.json.gz");
        layout.GetBackupVolumeSnapshotsKey("b1").ShouldBe("backups/b1/b1-volumesnapshots.json.gz");
        layout.GetPodVolumeBackupsKey("b1").ShouldBe("backups/b1/b1-podvolumebackups.json.gz");
        layout.GetBackupItemOperationsKey("b1").ShouldBe("backups/b1/b1-itemoperations.json.gz");
        layout.GetBackupVolumeInfoKey("b1").ShouldBe("backups/b1/b1-volumeinfo.json.gz");
        layout.GetCsiVolumeSnapshotsKey("b1").ShouldBe("backups/b1/b1-csi-volumesnapshots.json.gz");
        layout.GetCsiVolumeSnapshotContentsKey("b1").ShouldBe("backups/b1/b1-csi-volumesnapshotcontents.json.gz");
        layout.GetCsiVolumeSnapshotClassesKey("b1").ShouldBe("backups/b1/b1-csi-volumesnapshotclasses.json.gz");
    }

    [Fact]
    public void Every_restore_key_with_a_prefix_including_the_volume_info_without_restore_prefix()
    {
        var layout = new ObjectStoreLayout("/cluster-a/");

        layout.GetRestoreDirectory("r1").ShouldBe("cluster-a/restores/r1/");
        layout.GetRestoreLogKey("r1").ShouldBe("cluster-a/restores/r1/restore-r1-logs.gz");
        layout.GetRestoreResultsKey("r1").ShouldBe("cluster-a/restores/r1/restore-r1-results.gz");
        layout.GetRestoreResourceListKey("r1").ShouldBe("cluster-a/restores/r1/restore-r1-resource-list.json.gz");
        layout.GetRestoreItemOperationsKey("r1").ShouldBe("cluster-a/restores/r1/restore-r1-itemoperations.json.gz");
        layout.GetRestoreVolumeInfoKey("r1").ShouldBe("cluster-a/restores/r1/r1-volumeinfo.json.gz");
        layout.GetBackupMetadataKey("b1").ShouldBe("cluster-a/backups/b1/velero-backup.json");
    }

    [Theory]
    [InlineData(DownloadTargetKind.BackupContents, "p/backups/n/n.tar.gz")]
    [InlineData(DownloadTargetKind.BackupLog, "p/backups/n/n-logs.gz")]
    [InlineData(DownloadTargetKind.BackupVolumeSnapshots, "p/backups/n/n-volumesnapshots.json.gz")]
    [InlineData(DownloadTargetKind.BackupItemOperations, "p/backups/n/n-itemoperations.json.gz")]
    [InlineData(DownloadTargetKind.BackupResourceList, "p/backups/n/n-resource-list.json.gz")]
    [InlineData(DownloadTargetKind.BackupResults, "p/backups/n/n-results.gz")]
    [InlineData(DownloadTargetKind.BackupVolumeInfos, "p/backups/n/n-volumeinfo.json.gz")]
    [InlineData(DownloadTargetKind.CSIBackupVolumeSnapshots, "p/backups/n/n-csi-volumesnapshots.json.gz")]
    [InlineData(DownloadTargetKind.CSIBackupVolumeSnapshotContents, "p/backups/n/n-csi-volumesnapshotcontents.json.gz")]
    [InlineData(DownloadTargetKind.RestoreLog, "p/restores/n/restore-n-logs.gz")]
    [InlineData(DownloadTargetKind.RestoreResults, "p/restores/n/restore-n-results.gz")]
    [InlineData(DownloadTargetKind.RestoreResourceList, "p/restores/n/restore-n-resource-list.json.gz")]
    [InlineData(DownloadTargetKind.RestoreItemOperations, "p/restores/n/restore-n-itemoperations.json.gz")]
    [InlineData(DownloadTargetKind.RestoreVolumeInfo, "p/restores/n/n-volumeinfo.json.gz")]
    public void Download_kind_maps_to_its_key(string kind, string key)
    {
        new ObjectStoreLayout("p").GetDownloadKey(kind, "n").ShouldBe(key);
    }

    [Fact]
    public void Every_defined_download_kind_has_a_key()
    {
        var layout = new ObjectStoreLayout();

        foreach (var kind in DownloadTargetKind.All)
        {
            layout.GetDownloadKey(kind, "n").ShouldEndWith(".gz");
        }
    }

    [Theory]
    [InlineData("BackupTarball")]
    [InlineData("backupcontents")]
    [InlineData("")]
    public void Unknown_download_kind_has_Veleros_error(string kind)
    {
        var error = Should.Throw<VeleroException>(() => new ObjectStoreLayout().GetDownloadKey(kind, "n"));

        error.ErrorCode.ShouldBe(VeleroErrorCode.Invalid);
        error.Message.ShouldBe($"unsupported download target kind \"{kind}\"");
    }

    [Theory]
    [InlineData("bucket", "bucket")]
    [InlineData("/bucket/", "bucket")]
    [InlineData("arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap", "arn:aws:s3::123456789012:accesspoint/mfzwi23gnjvgw.mrap")]
    public void Bucket_is_trimmed(string bucket, string expected)
    {
        ObjectStoreLayout.NormalizeBucket(bucket).ShouldBe(expected);
    }

    [Theory]
    [InlineData("bucket/prefix")]
    [InlineData("/bucket/prefix/")]
    public void Bucket_with_a_slash_has_Veleros_error_naming_the_bucket_as_given(string bucket)
    {
        var error = Should.Throw<VeleroException>(() => ObjectStoreLayout.NormalizeBucket(bucket));

        error.ErrorCode.ShouldBe(VeleroErrorCode.Invalid);
        error.Message.ShouldBe(
            $"backup storage location's bucket name \"{bucket}\" must not contain a '/' (if using a prefix, put it in the 'Prefix' field instead)");
    }

    [Fact]
    public void Known_top_level_directories_are_valid()
    {
        var layout = new ObjectStoreLayout("p");

        layout.CheckTopLevelDirectories(["p/backups/", "p/restores/", "p/restic/", "p/kopia/", "p/metadata/", "p/plugins/"]).ShouldBeNull();
        layout.CheckTopLevelDirectories([]).ShouldBeNull();
        ObjectStoreLayout.TopLevelDirectoryNames.ShouldBe(["backups", "restores", "restic", "kopia", "metadata", "plugins"]);
    }

    [Fact]
    public void Up_to_three_invalid_directories_are_all_named()
    {
        var layout = new ObjectStoreLayout("p");

        layout.CheckTopLevelDirectories(["p/backups/", "p/foo/", "p/bar/"])
            .ShouldBe("Backup store contains invalid top-level directories: [foo bar]");
        layout.CheckTopLevelDirectories(["p/a/", "p/b/", "p/c/"])
            .ShouldBe("Backup store contains invalid top-level directories: [a b c]");
    }

    [Fact]
    public void More_than_three_invalid_directories_are_counted_and_elided()
    {
        var layout = new ObjectStoreLayout();

        layout.CheckTopLevelDirectories(["a/", "backups/", "b/", "c/", "d/", "e/"])
            .ShouldBe("Backup store contains 5 invalid top-level directories: [a b c ...]");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    [InlineData("a\0")]
    public void Names_that_are_not_one_segment_are_refused(string name)
    {
        var layout = new ObjectStoreLayout();

        Should.Throw<VeleroException>(() => layout.GetBackupMetadataKey(name)).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        Should.Throw<VeleroException>(() => layout.GetRestoreLogKey(name)).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        Should.Throw<VeleroException>(() => layout.GetDownloadKey(DownloadTargetKind.BackupContents, name)).ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
    }
}
