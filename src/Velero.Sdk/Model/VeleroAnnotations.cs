namespace Velero.Sdk.Model;

/// <summary>
/// Annotation keys Velero reads and writes, including the pod annotations that define hooks.
/// </summary>
public static class VeleroAnnotations
{
    /// <summary>
    /// On a Backup or Restore: overrides the pod volume operation timeout (Go duration).
    /// </summary>
    public const string PodVolumeTimeout = "velero.io/pod-volume-timeout";

    /// <summary>
    /// Written on Backups: the Kubernetes git version of the source cluster, e.g. <c>v1.30.2</c>.
    /// </summary>
    public const string SourceClusterK8sGitVersion = "velero.io/source-cluster-k8s-gitversion";

    /// <summary>
    /// Written on Backups: the Kubernetes major version of the source cluster, e.g. <c>1</c>.
    /// </summary>
    public const string SourceClusterK8sMajorVersion = "velero.io/source-cluster-k8s-major-version";

    /// <summary>
    /// Written on Backups: the Kubernetes minor version of the source cluster, e.g. <c>30</c>.
    /// </summary>
    public const string SourceClusterK8sMinorVersion = "velero.io/source-cluster-k8s-minor-version";

    /// <summary>
    /// Written on Backups: the server resource timeout (Go duration), passed on to plugins.
    /// </summary>
    public const string ResourceTimeout = "velero.io/resource-timeout";

    /// <summary>
    /// On pods: comma-separated volumes to back up with file-system backup (opt-in mode).
    /// </summary>
    public const string BackupVolumes = "backup.velero.io/backup-volumes";

    /// <summary>
    /// On pods: comma-separated volumes not to back up with file-system backup (opt-out mode).
    /// </summary>
    public const string BackupVolumesExcludes = "backup.velero.io/backup-volumes-excludes";

    /// <summary>
    /// Put by a BackupItemAction on the item it returns to drop the item from the backup (presence
    /// is enough).
    /// </summary>
    public const string SkipFromBackup = "velero.io/skip-from-backup";

    /// <summary>
    /// Put by a BackupItemAction on the item it returns: its additional items bypass the
    /// include/exclude filters. Removed before the item is written.
    /// </summary>
    public const string MustIncludeAdditionalItems = "backup.velero.io/must-include-additional-items";

    /// <summary>
    /// Put by the CSI PVC action when the volume is not provisioned by CSI. Removed before the item
    /// is written.
    /// </summary>
    public const string SkippedNoCsiPv = "backup.velero.io/skipped-no-csi-pv";

    /// <summary>
    /// On a PersistentVolume renamed during restore: its original name.
    /// </summary>
    public const string OriginalPvName = "velero.io/original-pv-name";

    /// <summary>
    /// On a backed-up object: <c>true</c> or <c>false</c> (case-insensitive, trimmed) overrides
    /// whether its status is restored.
    /// </summary>
    public const string RestoreStatus = "velero.io/restore-status";

    /// <summary>
    /// On PVCs backed up through CSI: the VolumeSnapshot name (also written as a label).
    /// </summary>
    public const string VolumeSnapshotName = "velero.io/volume-snapshot-name";

    /// <summary>
    /// On PVCs backed up by the data mover: the DataUpload name.
    /// </summary>
    public const string DataUploadName = "velero.io/data-upload-name";

    /// <summary>
    /// CSI: the snapshot handle of a VolumeSnapshot.
    /// </summary>
    public const string CsiVolumeSnapshotHandle = "velero.io/csi-volumesnapshot-handle";

    /// <summary>
    /// CSI: the restore size of a VolumeSnapshot.
    /// </summary>
    public const string CsiVolumeSnapshotRestoreSize = "velero.io/csi-volumesnapshot-restore-size";

    /// <summary>
    /// CSI: the driver name of a VolumeSnapshot.
    /// </summary>
    public const string CsiDriverName = "velero.io/csi-driver-name";

    /// <summary>
    /// CSI: the deletion policy of a VolumeSnapshotContent.
    /// </summary>
    public const string CsiVolumeSnapshotContentDeletionPolicy = "velero.io/csi-vsc-deletion-policy";

    /// <summary>
    /// CSI: the handle of a VolumeGroupSnapshot.
    /// </summary>
    public const string CsiVolumeGroupSnapshotHandle = "velero.io/csi-volumegroupsnapshot-handle";

    /// <summary>
    /// On a PVC: overrides the VolumeGroupSnapshotClass to use.
    /// </summary>
    public const string CsiVolumeGroupSnapshotClassPvc = "velero.io/csi-volume-group-snapshot-class";

    /// <summary>
    /// Prefix of Backup annotations (<c>prefix + driver</c>) overriding the
    /// VolumeGroupSnapshotClass per CSI driver.
    /// </summary>
    public const string CsiVolumeGroupSnapshotClassBackupPrefix = "velero.io/csi-volumegroupsnapshot-class_";

    /// <summary>
    /// Kubernetes: marks the default VolumeSnapshotClass.
    /// </summary>
    public const string DefaultVolumeSnapshotClass = "snapshot.storage.kubernetes.io/is-default-class";

    /// <summary>
    /// Kubernetes: marks mirror pods (static pods), which are never restored.
    /// </summary>
    public const string KubernetesConfigMirror = "kubernetes.io/config.mirror";

    /// <summary>
    /// kubectl: the last applied configuration of an object.
    /// </summary>
    public const string LastAppliedConfiguration = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>
    /// Prefix that makes a backup hook annotation key apply to the pre phase, e.g.
    /// <c>pre.hook.backup.velero.io/command</c>.
    /// </summary>
    public const string PreHookPrefix = "pre.";

    /// <summary>
    /// Prefix that makes a backup hook annotation key apply to the post phase, e.g.
    /// <c>post.hook.backup.velero.io/command</c>.
    /// </summary>
    public const string PostHookPrefix = "post.";

    /// <summary>
    /// Legacy unprefixed pre-backup hook annotation (pre phase only): the container to run the
    /// command in.
    /// </summary>
    public const string BackupHookContainer = "hook.backup.velero.io/container";

    /// <summary>
    /// Legacy unprefixed pre-backup hook annotation (pre phase only): the command, a JSON string
    /// array or a single command.
    /// </summary>
    public const string BackupHookCommand = "hook.backup.velero.io/command";

    /// <summary>
    /// Legacy unprefixed pre-backup hook annotation (pre phase only): <c>Continue</c> or
    /// <c>Fail</c>.
    /// </summary>
    public const string BackupHookOnError = "hook.backup.velero.io/on-error";

    /// <summary>
    /// Legacy unprefixed pre-backup hook annotation (pre phase only): the timeout (Go duration).
    /// </summary>
    public const string BackupHookTimeout = "hook.backup.velero.io/timeout";

    /// <summary>
    /// Pre-backup hook annotation: the container to run the command in.
    /// </summary>
    public const string PreBackupHookContainer = "pre.hook.backup.velero.io/container";

    /// <summary>
    /// Pre-backup hook annotation: the command, a JSON string array or a single command.
    /// </summary>
    public const string PreBackupHookCommand = "pre.hook.backup.velero.io/command";

    /// <summary>
    /// Pre-backup hook annotation: <c>Continue</c> or <c>Fail</c>.
    /// </summary>
    public const string PreBackupHookOnError = "pre.hook.backup.velero.io/on-error";

    /// <summary>
    /// Pre-backup hook annotation: the timeout (Go duration).
    /// </summary>
    public const string PreBackupHookTimeout = "pre.hook.backup.velero.io/timeout";

    /// <summary>
    /// Post-backup hook annotation: the container to run the command in.
    /// </summary>
    public const string PostBackupHookContainer = "post.hook.backup.velero.io/container";

    /// <summary>
    /// Post-backup hook annotation: the command, a JSON string array or a single command.
    /// </summary>
    public const string PostBackupHookCommand = "post.hook.backup.velero.io/command";

    /// <summary>
    /// Post-backup hook annotation: <c>Continue</c> or <c>Fail</c>.
    /// </summary>
    public const string PostBackupHookOnError = "post.hook.backup.velero.io/on-error";

    /// <summary>
    /// Post-backup hook annotation: the timeout (Go duration).
    /// </summary>
    public const string PostBackupHookTimeout = "post.hook.backup.velero.io/timeout";

    /// <summary>
    /// Restore exec hook annotation: the container to run the command in.
    /// </summary>
    public const string PostRestoreHookContainer = "post.hook.restore.velero.io/container";

    /// <summary>
    /// Restore exec hook annotation: the command, a JSON string array or a single command.
    /// </summary>
    public const string PostRestoreHookCommand = "post.hook.restore.velero.io/command";

    /// <summary>
    /// Restore exec hook annotation: <c>Continue</c> or <c>Fail</c>.
    /// </summary>
    public const string PostRestoreHookOnError = "post.hook.restore.velero.io/on-error";

    /// <summary>
    /// Restore exec hook annotation: how long the command may run (Go duration).
    /// </summary>
    public const string PostRestoreHookExecTimeout = "post.hook.restore.velero.io/exec-timeout";

    /// <summary>
    /// Restore exec hook annotation: how long to wait for the container to become ready (Go
    /// duration).
    /// </summary>
    public const string PostRestoreHookWaitTimeout = "post.hook.restore.velero.io/wait-timeout";

    /// <summary>
    /// Restore exec hook annotation: whether to wait for the container to be ready
    /// (<c>true</c>/<c>false</c>).
    /// </summary>
    public const string PostRestoreHookWaitForReady = "post.hook.restore.velero.io/wait-for-ready";

    /// <summary>
    /// Restore init hook annotation: the image of the init container.
    /// </summary>
    public const string InitRestoreHookContainerImage = "init.hook.restore.velero.io/container-image";

    /// <summary>
    /// Restore init hook annotation: the name of the init container.
    /// </summary>
    public const string InitRestoreHookContainerName = "init.hook.restore.velero.io/container-name";

    /// <summary>
    /// Restore init hook annotation: the command of the init container.
    /// </summary>
    public const string InitRestoreHookCommand = "init.hook.restore.velero.io/command";

    /// <summary>
    /// Restore init hook annotation: how long to wait for the init container (Go duration).
    /// </summary>
    public const string InitRestoreHookTimeout = "init.hook.restore.velero.io/timeout";
}
