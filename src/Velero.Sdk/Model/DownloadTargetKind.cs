namespace Velero.Sdk.Model;

/// <summary>
/// The kinds of file a DownloadRequest can ask for (<see cref="V1DownloadTarget.Kind"/>).
/// </summary>
public static class DownloadTargetKind
{
    /// <summary>
    /// The backup log (<c>backups/&lt;b&gt;/&lt;b&gt;-logs.gz</c>).
    /// </summary>
    public const string BackupLog = "BackupLog";

    /// <summary>
    /// The backup tarball (<c>backups/&lt;b&gt;/&lt;b&gt;.tar.gz</c>).
    /// </summary>
    public const string BackupContents = "BackupContents";

    /// <summary>
    /// The native volume snapshot list
    /// (<c>backups/&lt;b&gt;/&lt;b&gt;-volumesnapshots.json.gz</c>).
    /// </summary>
    public const string BackupVolumeSnapshots = "BackupVolumeSnapshots";

    /// <summary>
    /// The asynchronous item operations of a backup
    /// (<c>backups/&lt;b&gt;/&lt;b&gt;-itemoperations.json.gz</c>).
    /// </summary>
    public const string BackupItemOperations = "BackupItemOperations";

    /// <summary>
    /// The list of backed-up resources (<c>backups/&lt;b&gt;/&lt;b&gt;-resource-list.json.gz</c>).
    /// </summary>
    public const string BackupResourceList = "BackupResourceList";

    /// <summary>
    /// The backup warnings and errors (<c>backups/&lt;b&gt;/&lt;b&gt;-results.gz</c>).
    /// </summary>
    public const string BackupResults = "BackupResults";

    /// <summary>
    /// The restore log (<c>restores/&lt;r&gt;/restore-&lt;r&gt;-logs.gz</c>).
    /// </summary>
    public const string RestoreLog = "RestoreLog";

    /// <summary>
    /// The restore warnings and errors (<c>restores/&lt;r&gt;/restore-&lt;r&gt;-results.gz</c>).
    /// </summary>
    public const string RestoreResults = "RestoreResults";

    /// <summary>
    /// The list of restored resources
    /// (<c>restores/&lt;r&gt;/restore-&lt;r&gt;-resource-list.json.gz</c>).
    /// </summary>
    public const string RestoreResourceList = "RestoreResourceList";

    /// <summary>
    /// The asynchronous item operations of a restore
    /// (<c>restores/&lt;r&gt;/restore-&lt;r&gt;-itemoperations.json.gz</c>).
    /// </summary>
    public const string RestoreItemOperations = "RestoreItemOperations";

    /// <summary>
    /// The CSI VolumeSnapshots of a backup
    /// (<c>backups/&lt;b&gt;/&lt;b&gt;-csi-volumesnapshots.json.gz</c>).
    /// </summary>
    public const string CSIBackupVolumeSnapshots = "CSIBackupVolumeSnapshots";

    /// <summary>
    /// The CSI VolumeSnapshotContents of a backup
    /// (<c>backups/&lt;b&gt;/&lt;b&gt;-csi-volumesnapshotcontents.json.gz</c>).
    /// </summary>
    public const string CSIBackupVolumeSnapshotContents = "CSIBackupVolumeSnapshotContents";

    /// <summary>
    /// The volume information of a backup (<c>backups/&lt;b&gt;/&lt;b&gt;-volumeinfo.json.gz</c>).
    /// </summary>
    public const string BackupVolumeInfos = "BackupVolumeInfos";

    /// <summary>
    /// The volume information of a restore (<c>restores/&lt;r&gt;/&lt;r&gt;-volumeinfo.json.gz</c>,
    /// without the <c>restore-</c> prefix).
    /// </summary>
    public const string RestoreVolumeInfo = "RestoreVolumeInfo";

    /// <summary>
    /// Every defined value, in the order Velero declares them.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        BackupLog,
        BackupContents,
        BackupVolumeSnapshots,
        BackupItemOperations,
        BackupResourceList,
        BackupResults,
        RestoreLog,
        RestoreResults,
        RestoreResourceList,
        RestoreItemOperations,
        CSIBackupVolumeSnapshots,
        CSIBackupVolumeSnapshotContents,
        BackupVolumeInfos,
        RestoreVolumeInfo,
    ];

    /// <summary>
    /// Returns whether <paramref name="value"/> is one of the defined values (ordinal comparison).
    /// </summary>
    /// <param name="value">The value to check.</param>
    /// <returns><see langword="true"/> if the value is defined.</returns>
    public static bool IsDefined(string? value) => value is not null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// Returns whether the target names a restore rather than a backup: <see cref="RestoreLog"/>, <see cref="RestoreResults"/>,
    /// <see cref="RestoreResourceList"/>, <see cref="RestoreItemOperations"/> and <see cref="RestoreVolumeInfo"/>.
    /// </summary>
    /// <param name="kind">The download target kind.</param>
    /// <returns><see langword="true"/> if <see cref="V1DownloadTarget.Name"/> is a restore name.</returns>
    public static bool IsRestoreKind(string? kind)
        => kind is RestoreLog or RestoreResults or RestoreResourceList or RestoreItemOperations or RestoreVolumeInfo;
}
