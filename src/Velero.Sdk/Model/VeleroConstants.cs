namespace Velero.Sdk.Model;

/// <summary>
/// Constants of the <c>velero.io/v1</c> API and of Velero server defaults.
/// </summary>
public static class VeleroConstants
{
    /// <summary>
    /// The API group of every Velero resource.
    /// </summary>
    public const string Group = "velero.io";

    /// <summary>
    /// The API version (without group) of the resources in this namespace.
    /// </summary>
    public const string Version = "v1";

    /// <summary>
    /// The full <c>apiVersion</c> of the resources in this namespace.
    /// </summary>
    public const string ApiVersion = "velero.io/v1";

    /// <summary>
    /// The namespace the Velero server and its resources live in by default.
    /// </summary>
    public const string DefaultNamespace = "velero";

    /// <summary>
    /// The backup tarball format version written into <see cref="V1BackupStatus.FormatVersion"/>
    /// and <c>metadata/version</c>.
    /// </summary>
    public const string BackupFormatVersion = "1.1.0";

    /// <summary>
    /// The deprecated major backup version written into <see cref="V1BackupStatus.Version"/>.
    /// </summary>
    public const int BackupVersion = 1;

    /// <summary>
    /// Default backup time to live (30 days), as a Go duration string.
    /// </summary>
    public const string DefaultBackupTtl = "720h0m0s";

    /// <summary>
    /// Default CSI snapshot timeout, as a Go duration string.
    /// </summary>
    public const string DefaultCsiSnapshotTimeout = "10m0s";

    /// <summary>
    /// Default timeout of asynchronous item operations, as a Go duration string.
    /// </summary>
    public const string DefaultItemOperationTimeout = "4h0m0s";

    /// <summary>
    /// Default server resource timeout (for example waiting for CRDs to become ready), as a Go
    /// duration string.
    /// </summary>
    public const string DefaultResourceTimeout = "10m0s";

    /// <summary>
    /// Default pod volume (file-system backup) operation timeout, as a Go duration string.
    /// </summary>
    public const string DefaultFsBackupTimeout = "4h0m0s";

    /// <summary>
    /// How long a restore waits for terminating namespaces and volumes by default, as a Go duration
    /// string.
    /// </summary>
    public const string DefaultTerminatingResourceTimeout = "10m0s";

    /// <summary>
    /// Timeout of an exec hook whose timeout is unset or zero, as a Go duration string.
    /// </summary>
    public const string DefaultHookTimeout = "30s";

    /// <summary>
    /// Default period of backup sync from a storage location, as a Go duration string.
    /// </summary>
    public const string DefaultBackupSyncPeriod = "1m0s";

    /// <summary>
    /// Default period of storage location validation, as a Go duration string.
    /// </summary>
    public const string DefaultStoreValidationFrequency = "1m0s";

    /// <summary>
    /// Default period of backup garbage collection, as a Go duration string.
    /// </summary>
    public const string DefaultGarbageCollectionFrequency = "1h0m0s";

    /// <summary>
    /// Default period at which asynchronous item operations are checked, as a Go duration string.
    /// </summary>
    public const string DefaultItemOperationSyncFrequency = "10s";

    /// <summary>
    /// How long the pre-signed URL of a DownloadRequest is valid, as a Go duration string.
    /// </summary>
    public const string DownloadUrlTtl = "10m0s";

    /// <summary>
    /// Name of the storage location used when a backup names none and no location is marked
    /// default.
    /// </summary>
    public const string DefaultBackupStorageLocation = "default";

    /// <summary>
    /// Default label key used to group PVCs into CSI VolumeGroupSnapshots.
    /// </summary>
    public const string DefaultVolumeGroupSnapshotLabelKey = "velero.io/volume-group";

    /// <summary>
    /// Name of the built-in data mover (an empty <see cref="V1BackupSpec.DataMover"/> means this
    /// one).
    /// </summary>
    public const string DefaultDataMover = "velero";

    /// <summary>
    /// Format of the timestamp suffix of backups created by a schedule
    /// (<c>&lt;schedule&gt;-&lt;timestamp&gt;</c>), for <see cref="DateTime.ToString(string)"/>; Go
    /// layout <c>20060102150405</c>.
    /// </summary>
    public const string ScheduleBackupTimestampFormat = "yyyyMMddHHmmss";

    /// <summary>
    /// Top-level directory of a backup tarball holding one sub-directory per resource.
    /// </summary>
    public const string ResourcesDir = "resources";

    /// <summary>
    /// Top-level directory of a backup tarball holding metadata such as the format version.
    /// </summary>
    public const string MetadataDir = "metadata";

    /// <summary>
    /// Directory of a backup tarball holding cluster-scoped items of a resource.
    /// </summary>
    public const string ClusterScopedDir = "cluster";

    /// <summary>
    /// Directory of a backup tarball holding namespaced items of a resource.
    /// </summary>
    public const string NamespaceScopedDir = "namespaces";

    /// <summary>
    /// Suffix of the tarball directory holding the preferred API version of a resource.
    /// </summary>
    public const string PreferredVersionDirSuffix = "-preferredversion";

    /// <summary>
    /// Server feature flag that enables CSI support.
    /// </summary>
    public const string CsiFeatureFlag = "EnableCSI";

    /// <summary>
    /// Server feature flag that enables backing up and restoring every API group version.
    /// </summary>
    public const string ApiGroupVersionsFeatureFlag = "EnableAPIGroupVersions";
}
