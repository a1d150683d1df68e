using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

public class ConstantsTests
{
    [Fact]
    public void Backup_phases_are_velero_strings_in_velero_order()
        => BackupPhase.All.ShouldBe(
            [
                "New", "Queued", "ReadyToStart", "FailedValidation", "InProgress", "WaitingForPluginOperations",
                "WaitingForPluginOperationsPartiallyFailed", "Finalizing", "FinalizingPartiallyFailed", "Completed",
                "PartiallyFailed", "Failed", "Deleting",
            ]);

    [Theory]
    [InlineData(null, true, false)]
    [InlineData("", true, false)]
    [InlineData("New", true, false)]
    [InlineData("Queued", false, false)]
    [InlineData("InProgress", false, false)]
    [InlineData("Finalizing", false, false)]
    [InlineData("FailedValidation", false, true)]
    [InlineData("Completed", false, true)]
    [InlineData("PartiallyFailed", false, true)]
    [InlineData("Failed", false, true)]
    [InlineData("Deleting", false, false)]
    [InlineData("completed", false, false)]
    public void Backup_phase_helpers(string? phase, bool isNew, bool isTerminal)
    {
        BackupPhase.IsNew(phase).ShouldBe(isNew);
        BackupPhase.IsTerminal(phase).ShouldBe(isTerminal);
    }

    [Theory]
    [InlineData(null, true, false)]
    [InlineData("New", true, false)]
    [InlineData("WaitingForPluginOperations", false, false)]
    [InlineData("Completed", false, true)]
    [InlineData("PartiallyFailed", false, true)]
    [InlineData("Failed", false, true)]
    [InlineData("FailedValidation", false, true)]
    public void Restore_phase_helpers(string? phase, bool isNew, bool isTerminal)
    {
        RestorePhase.IsNew(phase).ShouldBe(isNew);
        RestorePhase.IsTerminal(phase).ShouldBe(isTerminal);
    }

    [Fact]
    public void Location_helpers_treat_empty_values_as_velero_does()
    {
        BackupStorageLocationPhase.IsAvailable("Available").ShouldBeTrue();
        BackupStorageLocationPhase.IsAvailable(null).ShouldBeFalse();
        BackupStorageLocationPhase.IsAvailable("").ShouldBeFalse();
        BackupStorageLocationAccessMode.IsReadOnly("ReadOnly").ShouldBeTrue();
        BackupStorageLocationAccessMode.IsReadOnly("").ShouldBeFalse();
        BackupStorageLocationAccessMode.IsReadOnly(null).ShouldBeFalse();
    }

    [Fact]
    public void Download_target_kinds_that_name_a_restore()
    {
        DownloadTargetKind.All.Count.ShouldBe(14);
        DownloadTargetKind.All.Where(DownloadTargetKind.IsRestoreKind).ShouldBe(
            ["RestoreLog", "RestoreResults", "RestoreResourceList", "RestoreItemOperations", "RestoreVolumeInfo"]);
    }

    [Fact]
    public void IsDefined_is_ordinal()
    {
        ExistingResourcePolicy.All.ShouldBe(["none", "update"]);
        ExistingResourcePolicy.IsDefined("update").ShouldBeTrue();
        ExistingResourcePolicy.IsDefined("Update").ShouldBeFalse();
        HookErrorMode.All.ShouldBe(["Continue", "Fail"]);
        HookErrorMode.IsDefined(null).ShouldBeFalse();
        PluginKind.IsDefined("BackupItemActionV2").ShouldBeTrue();
    }

    [Fact]
    public void Key_constants_match_the_reference()
    {
        VeleroConstants.ApiVersion.ShouldBe($"{VeleroConstants.Group}/{VeleroConstants.Version}");
        VeleroConstants.DefaultNamespace.ShouldBe("velero");
        VeleroConstants.BackupFormatVersion.ShouldBe("1.1.0");
        GoDuration.Parse(VeleroConstants.DefaultBackupTtl).ShouldBe(TimeSpan.FromHours(720));
        GoDuration.Format(GoDuration.Parse(VeleroConstants.DefaultCsiSnapshotTimeout)).ShouldBe(VeleroConstants.DefaultCsiSnapshotTimeout);
        GoDuration.Format(GoDuration.Parse(VeleroConstants.DefaultItemOperationTimeout)).ShouldBe(VeleroConstants.DefaultItemOperationTimeout);
        VeleroLabels.BackupName.ShouldBe("velero.io/backup-name");
        VeleroLabels.ExcludeFromBackup.ShouldBe("velero.io/exclude-from-backup");
        VeleroAnnotations.RestoreStatus.ShouldBe("velero.io/restore-status");
        VeleroAnnotations.KubernetesConfigMirror.ShouldBe("kubernetes.io/config.mirror");
        VeleroAnnotations.PreBackupHookCommand.ShouldBe(VeleroAnnotations.PreHookPrefix + VeleroAnnotations.BackupHookCommand);
        VeleroAnnotations.PostBackupHookTimeout.ShouldBe(VeleroAnnotations.PostHookPrefix + VeleroAnnotations.BackupHookTimeout);
        VeleroFinalizers.RestoreExternalResources.ShouldBe("restores.velero.io/external-resources-finalizer");
    }

    [Fact]
    public void Every_key_in_the_reference_tables_has_a_constant()
    {
        // Every backticked velero.io / hook key listed in velero-engine.md section 0.1 is defined.
        string[] keys =
        [
            "velero.io/backup-name", "velero.io/restore-name", "velero.io/backup-uid", "velero.io/schedule-name",
            "velero.io/storage-location", "velero.io/restore-uid", "velero.io/exclude-from-backup",
            "velero.io/skip-from-backup", "backup.velero.io/must-include-additional-items",
            "backup.velero.io/skipped-no-csi-pv", "backup.velero.io/backup-volumes",
            "backup.velero.io/backup-volumes-excludes", "velero.io/pod-volume-timeout",
            "velero.io/source-cluster-k8s-gitversion", "velero.io/source-cluster-k8s-major-version",
            "velero.io/source-cluster-k8s-minor-version", "velero.io/resource-timeout", "velero.io/original-pv-name",
            "velero.io/restore-status", "velero.io/volume-snapshot-name", "velero.io/data-upload-name",
            "velero.io/gc-failure", "velero.io/volume-group", "kubernetes.io/config.mirror",
            "kube-aggregator.kubernetes.io/automanaged",
            "pre.hook.backup.velero.io/container", "pre.hook.backup.velero.io/command",
            "pre.hook.backup.velero.io/on-error", "pre.hook.backup.velero.io/timeout",
            "post.hook.backup.velero.io/container", "post.hook.backup.velero.io/command",
            "post.hook.backup.velero.io/on-error", "post.hook.backup.velero.io/timeout",
            "hook.backup.velero.io/container", "hook.backup.velero.io/command", "hook.backup.velero.io/on-error",
            "hook.backup.velero.io/timeout",
            "init.hook.restore.velero.io/container-image", "init.hook.restore.velero.io/container-name",
            "init.hook.restore.velero.io/command", "init.hook.restore.velero.io/timeout",
            "post.hook.restore.velero.io/container", "post.hook.restore.velero.io/command",
            "post.hook.restore.velero.io/on-error", "post.hook.restore.velero.io/exec-timeout",
            "post.hook.restore.velero.io/wait-timeout", "post.hook.restore.velero.io/wait-for-ready",
        ];

        var defined = new[] { typeof(VeleroLabels), typeof(VeleroAnnotations) }
            .SelectMany(t => t.GetFields())
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();

        keys.Where(k => !defined.Contains(k)).ShouldBeEmpty();
    }
}
