namespace Velero.Sdk.Model;

/// <summary>
/// Label keys Velero reads and writes.
/// </summary>
public static class VeleroLabels
{
    /// <summary>
    /// On restored objects, DeleteBackupRequests, PodVolumeBackups and CSI objects: the label-safe
    /// backup name (see <see cref="LabelValue.GetValidName(string)"/>).
    /// </summary>
    public const string BackupName = "velero.io/backup-name";

    /// <summary>
    /// On DeleteBackupRequests, PodVolumeBackups and CSI objects: the backup UID.
    /// </summary>
    public const string BackupUid = "velero.io/backup-uid";

    /// <summary>
    /// On every restored object and on PodVolumeRestores: the label-safe restore name.
    /// </summary>
    public const string RestoreName = "velero.io/restore-name";

    /// <summary>
    /// On restore-owned helper objects: the restore UID.
    /// </summary>
    public const string RestoreUid = "velero.io/restore-uid";

    /// <summary>
    /// On Backups created by a Schedule: the schedule name.
    /// </summary>
    public const string ScheduleName = "velero.io/schedule-name";

    /// <summary>
    /// On Backups: the label-safe name of their BackupStorageLocation.
    /// </summary>
    public const string StorageLocation = "velero.io/storage-location";

    /// <summary>
    /// On Backups that garbage collection could not delete: one of the <see
    /// cref="GarbageCollectionFailureReason"/> values.
    /// </summary>
    public const string GcFailure = "velero.io/gc-failure";

    /// <summary>
    /// Value exactly <c>true</c> on an object or namespace excludes it from backups.
    /// </summary>
    public const string ExcludeFromBackup = "velero.io/exclude-from-backup";

    /// <summary>
    /// Identifies a pod by UID (pod volume backups and restores).
    /// </summary>
    public const string PodUid = "velero.io/pod-uid";

    /// <summary>
    /// Identifies a PVC by UID.
    /// </summary>
    public const string PvcUid = "velero.io/pvc-uid";

    /// <summary>
    /// On backup repositories: the namespace whose volumes the repository stores.
    /// </summary>
    public const string VolumeNamespace = "velero.io/volume-namespace";

    /// <summary>
    /// On backup repositories: the repository type.
    /// </summary>
    public const string RepositoryType = "velero.io/repository-type";

    /// <summary>
    /// Identifies the DataUpload of a snapshot backup pod.
    /// </summary>
    public const string DataUpload = "velero.io/data-upload";

    /// <summary>
    /// Marks the ConfigMap holding the snapshot information of a DataUpload.
    /// </summary>
    public const string DataUploadSnapshotInfo = "velero.io/data-upload-snapshot-info";

    /// <summary>
    /// Identifies the DataDownload of a snapshot restore pod.
    /// </summary>
    public const string DataDownload = "velero.io/data-download";

    /// <summary>
    /// Identifies an asynchronous operation.
    /// </summary>
    public const string AsyncOperationId = "velero.io/async-operation-id";

    /// <summary>
    /// Identifies a PVC by <c>namespace.name</c> (label-safe).
    /// </summary>
    public const string PvcNamespaceName = "velero.io/pvc-namespace-name";

    /// <summary>
    /// Explains what a Velero-created resource is used for.
    /// </summary>
    public const string ResourceUsage = "velero.io/resource-usage";

    /// <summary>
    /// On PVCs backed up through CSI: the VolumeSnapshot name (also written as an annotation).
    /// </summary>
    public const string VolumeSnapshotName = "velero.io/volume-snapshot-name";

    /// <summary>
    /// On PVCs restored with dynamic provisioning by the data mover.
    /// </summary>
    public const string DynamicPvRestore = "velero.io/dynamic-pv-restore";

    /// <summary>
    /// Identifies the PodVolumeBackup of a pod volume backup pod.
    /// </summary>
    public const string PodVolumeBackup = "velero.io/pod-volume-backup";

    /// <summary>
    /// Identifies the PodVolumeRestore of a pod volume restore pod.
    /// </summary>
    public const string PodVolumeRestore = "velero.io/pod-volume-restore";

    /// <summary>
    /// Default label key grouping PVCs into a CSI VolumeGroupSnapshot.
    /// </summary>
    public const string VolumeGroup = "velero.io/volume-group";

    /// <summary>
    /// Marks a ConfigMap that configures a plugin; the ConfigMap also has a label
    /// <c>&lt;plugin-name&gt;=&lt;PluginKind&gt;</c>.
    /// </summary>
    public const string PluginConfig = "velero.io/plugin-config";

    /// <summary>
    /// On a VolumeSnapshotClass: marks it as the one Velero uses for its CSI driver.
    /// </summary>
    public const string CsiVolumeSnapshotClass = "velero.io/csi-volumesnapshot-class";

    /// <summary>
    /// On a VolumeGroupSnapshotClass: marks it as the one Velero uses for its CSI driver.
    /// </summary>
    public const string CsiVolumeGroupSnapshotClass = "velero.io/csi-volumegroupsnapshot-class";

    /// <summary>
    /// APIServices with this label are managed by Kubernetes and never restored.
    /// </summary>
    public const string KubeAggregatorAutomanaged = "kube-aggregator.kubernetes.io/automanaged";
}
