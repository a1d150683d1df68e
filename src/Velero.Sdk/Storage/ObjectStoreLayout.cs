using System.Globalization;
using Velero.Sdk.Model;

namespace Velero.Sdk.Storage;

/// <summary>
/// How Velero's files map to keys of a bucket (Velero's <c>ObjectStoreLayout</c>): every key below is relative to the
/// bucket and starts with <see cref="Root"/>, the location's prefix followed by <c>/</c> (empty without a prefix).
/// </summary>
/// <remarks>
/// Backup and restore names become one key segment: a name that is empty, contains <c>/</c>, <c>\</c> or NUL, or is
/// <c>.</c> or <c>..</c> is refused with <see cref="VeleroErrorCode.PathTraversal"/> (Velero's <c>path.Join</c> would
/// silently move such a key elsewhere in the bucket).
/// </remarks>
public sealed class ObjectStoreLayout
{
    /// <summary>The directory of backups.</summary>
    public const string BackupsDirectoryName = "backups";

    /// <summary>The directory of restore logs and results.</summary>
    public const string RestoresDirectoryName = "restores";

    /// <summary>The directory of Restic repositories (file-system backups).</summary>
    public const string ResticDirectoryName = "restic";

    /// <summary>The directory of Kopia repositories (file-system backups).</summary>
    public const string KopiaDirectoryName = "kopia";

    /// <summary>The legacy metadata directory (Velero up to v1.1 kept a revision file there).</summary>
    public const string MetadataDirectoryName = "metadata";

    /// <summary>The directory reserved for plugins.</summary>
    public const string PluginsDirectoryName = "plugins";

    /// <summary>The name of a backup's metadata file, <c>velero-backup.json</c>.</summary>
    public const string BackupMetadataFileName = "velero-backup.json";

    /// <summary>
    /// The name of a restore's resource file, <c>velero-restore.json</c>: written by Velero.Sdk (not by Velero, which keeps
    /// Restores only in the cluster) so that the restores of a bucket can be listed and described without a cluster.
    /// </summary>
    public const string RestoreMetadataFileName = "velero-restore.json";

    /// <summary>
    /// The top-level directories Velero accepts under the root; any other common prefix makes the location invalid
    /// (see <see cref="CheckTopLevelDirectories"/>).
    /// </summary>
    public static IReadOnlyList<string> TopLevelDirectoryNames { get; } =
    [
        BackupsDirectoryName,
        RestoresDirectoryName,
        ResticDirectoryName,
        KopiaDirectoryName,
        MetadataDirectoryName,
        PluginsDirectoryName,
    ];

    /// <summary>Creates the layout of a location with <paramref name="prefix"/>; leading and trailing <c>/</c> are trimmed.</summary>
    /// <param name="prefix">The location's <c>spec.objectStorage.prefix</c>; <see langword="null"/> or empty for none.</param>
    public ObjectStoreLayout(string? prefix = null)
    {
        Prefix = (prefix ?? string.Empty).Trim('/');
        Root = Prefix.Length == 0 ? string.Empty : Prefix + "/";
    }

    /// <summary>The prefix, without leading or trailing <c>/</c>; empty when there is none.</summary>
    public string Prefix { get; }

    /// <summary>The root of every key: <c>""</c> without a prefix, else <c>&lt;prefix&gt;/</c>.</summary>
    public string Root { get; }

    /// <summary><c>&lt;root&gt;backups/</c>.</summary>
    public string BackupsDirectory => Root + BackupsDirectoryName + "/";

    /// <summary><c>&lt;root&gt;restores/</c>.</summary>
    public string RestoresDirectory => Root + RestoresDirectoryName + "/";

    /// <summary><c>&lt;root&gt;restic/</c>.</summary>
    public string ResticDirectory => Root + ResticDirectoryName + "/";

    /// <summary><c>&lt;root&gt;kopia/</c>.</summary>
    public string KopiaDirectory => Root + KopiaDirectoryName + "/";

    /// <summary>
    /// Trims leading and trailing <c>/</c> from a location's bucket name and checks that no <c>/</c> remains, as Velero does
    /// (S3 multi-region access point ARNs, which begin with <c>arn:aws:s3:</c>, may contain <c>/</c>).
    /// </summary>
    /// <param name="bucket">The location's <c>spec.objectStorage.bucket</c>.</param>
    /// <returns>The trimmed bucket name.</returns>
    /// <exception cref="VeleroException">
    /// With <see cref="VeleroErrorCode.Invalid"/> and Velero's text
    /// <c>backup storage location's bucket name "&lt;bucket&gt;" must not contain a '/' (if using a prefix, put it in the 'Prefix' field instead)</c>.
    /// </exception>
    public static string NormalizeBucket(string bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var trimmed = bucket.Trim('/');
        if (trimmed.Contains('/', StringComparison.Ordinal) && !trimmed.StartsWith("arn:aws:s3:", StringComparison.Ordinal))
        {
            throw new VeleroException(
                VeleroErrorCode.Invalid,
                $"backup storage location's bucket name \"{bucket}\" must not contain a '/' (if using a prefix, put it in the 'Prefix' field instead)");
        }

        return trimmed;
    }

    /// <summary><c>&lt;root&gt;backups/&lt;backup&gt;/</c>.</summary>
    public string GetBackupDirectory(string backupName) => BackupsDirectory + Segment(backupName, "backup") + "/";

    /// <summary><c>&lt;root&gt;restores/&lt;restore&gt;/</c>.</summary>
    public string GetRestoreDirectory(string restoreName) => RestoresDirectory + Segment(restoreName, "restore") + "/";

    /// <summary><c>backups/&lt;b&gt;/velero-backup.json</c>: the Backup resource (2-space indented JSON, not compressed).</summary>
    public string GetBackupMetadataKey(string backupName) => GetBackupDirectory(backupName) + BackupMetadataFileName;

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;.tar.gz</c>: the backup tarball.</summary>
    public string GetBackupContentsKey(string backupName) => BackupFile(backupName, ".tar.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-logs.gz</c>: the gzipped backup log.</summary>
    public string GetBackupLogKey(string backupName) => BackupFile(backupName, "-logs.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-results.gz</c>: gzipped JSON errors and warnings.</summary>
    public string GetBackupResultsKey(string backupName) => BackupFile(backupName, "-results.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-resource-list.json.gz</c>: gzipped JSON map of backed-up items.</summary>
    public string GetBackupResourceListKey(string backupName) => BackupFile(backupName, "-resource-list.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-volumesnapshots.json.gz</c>: gzipped JSON native volume snapshot records.</summary>
    public string GetBackupVolumeSnapshotsKey(string backupName) => BackupFile(backupName, "-volumesnapshots.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-podvolumebackups.json.gz</c>: gzipped JSON PodVolumeBackups.</summary>
    public string GetPodVolumeBackupsKey(string backupName) => BackupFile(backupName, "-podvolumebackups.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-itemoperations.json.gz</c>: gzipped JSON asynchronous item operations.</summary>
    public string GetBackupItemOperationsKey(string backupName) => BackupFile(backupName, "-itemoperations.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-volumeinfo.json.gz</c>: gzipped JSON <see cref="BackupVolumeInfo"/> list.</summary>
    public string GetBackupVolumeInfoKey(string backupName) => BackupFile(backupName, "-volumeinfo.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-csi-volumesnapshots.json.gz</c> (written by Velero 1.4–1.16, still read).</summary>
    public string GetCsiVolumeSnapshotsKey(string backupName) => BackupFile(backupName, "-csi-volumesnapshots.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-csi-volumesnapshotcontents.json.gz</c> (written by Velero 1.4–1.16, still read).</summary>
    public string GetCsiVolumeSnapshotContentsKey(string backupName) => BackupFile(backupName, "-csi-volumesnapshotcontents.json.gz");

    /// <summary><c>backups/&lt;b&gt;/&lt;b&gt;-csi-volumesnapshotclasses.json.gz</c> (written by Velero 1.9–1.17, still read).</summary>
    public string GetCsiVolumeSnapshotClassesKey(string backupName) => BackupFile(backupName, "-csi-volumesnapshotclasses.json.gz");

    /// <summary><c>restores/&lt;r&gt;/velero-restore.json</c>: the Restore resource with its status (2-space indented JSON, not compressed).</summary>
    public string GetRestoreMetadataKey(string restoreName) => GetRestoreDirectory(restoreName) + RestoreMetadataFileName;

    /// <summary><c>restores/&lt;r&gt;/restore-&lt;r&gt;-logs.gz</c>: the gzipped restore log.</summary>
    public string GetRestoreLogKey(string restoreName) => RestoreFile(restoreName, "restore-", "-logs.gz");

    /// <summary><c>restores/&lt;r&gt;/restore-&lt;r&gt;-results.gz</c>: gzipped JSON errors and warnings.</summary>
    public string GetRestoreResultsKey(string restoreName) => RestoreFile(restoreName, "restore-", "-results.gz");

    /// <summary><c>restores/&lt;r&gt;/restore-&lt;r&gt;-resource-list.json.gz</c>: gzipped JSON map of restored items.</summary>
    public string GetRestoreResourceListKey(string restoreName) => RestoreFile(restoreName, "restore-", "-resource-list.json.gz");

    /// <summary><c>restores/&lt;r&gt;/restore-&lt;r&gt;-itemoperations.json.gz</c>: gzipped JSON asynchronous item operations.</summary>
    public string GetRestoreItemOperationsKey(string restoreName) => RestoreFile(restoreName, "restore-", "-itemoperations.json.gz");

    /// <summary><c>restores/&lt;r&gt;/&lt;r&gt;-volumeinfo.json.gz</c>: gzipped JSON restore volume information (note: no <c>restore-</c> prefix).</summary>
    public string GetRestoreVolumeInfoKey(string restoreName) => RestoreFile(restoreName, string.Empty, "-volumeinfo.json.gz");

    /// <summary>
    /// The key a DownloadRequest of <paramref name="kind"/> (a <see cref="DownloadTargetKind"/> value) for
    /// <paramref name="name"/> (a backup name, or a restore name for the <c>Restore*</c> kinds) points at.
    /// </summary>
    /// <exception cref="VeleroException">
    /// With <see cref="VeleroErrorCode.Invalid"/> and Velero's text <c>unsupported download target kind "&lt;kind&gt;"</c>
    /// for any other kind.
    /// </exception>
    public string GetDownloadKey(string kind, string name) => kind switch
    {
        DownloadTargetKind.BackupContents => GetBackupContentsKey(name),
        DownloadTargetKind.BackupLog => GetBackupLogKey(name),
        DownloadTargetKind.BackupVolumeSnapshots => GetBackupVolumeSnapshotsKey(name),
        DownloadTargetKind.BackupItemOperations => GetBackupItemOperationsKey(name),
        DownloadTargetKind.BackupResourceList => GetBackupResourceListKey(name),
        DownloadTargetKind.BackupResults => GetBackupResultsKey(name),
        DownloadTargetKind.BackupVolumeInfos => GetBackupVolumeInfoKey(name),
        DownloadTargetKind.CSIBackupVolumeSnapshots => GetCsiVolumeSnapshotsKey(name),
        DownloadTargetKind.CSIBackupVolumeSnapshotContents => GetCsiVolumeSnapshotContentsKey(name),
        DownloadTargetKind.RestoreLog => GetRestoreLogKey(name),
        DownloadTargetKind.RestoreResults => GetRestoreResultsKey(name),
        DownloadTargetKind.RestoreResourceList => GetRestoreResourceListKey(name),
        DownloadTargetKind.RestoreItemOperations => GetRestoreItemOperationsKey(name),
        DownloadTargetKind.RestoreVolumeInfo => GetRestoreVolumeInfoKey(name),
        _ => throw new VeleroException(VeleroErrorCode.Invalid, $"unsupported download target kind \"{kind}\""),
    };

    /// <summary>Whether <paramref name="name"/> is one of <see cref="TopLevelDirectoryNames"/>.</summary>
    public static bool IsValidTopLevelDirectory(string name) => TopLevelDirectoryNames.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Velero's location validation: given the common prefixes under <see cref="Root"/> (as an object store lists them,
    /// e.g. <c>&lt;root&gt;backups/</c>), returns <see langword="null"/> when every one is a
    /// <see cref="TopLevelDirectoryNames">known directory</see>, else Velero's error text:
    /// <c>Backup store contains invalid top-level directories: [a b]</c>, or for more than three
    /// <c>Backup store contains N invalid top-level directories: [a b c ...]</c>.
    /// </summary>
    public string? CheckTopLevelDirectories(IEnumerable<string> commonPrefixes)
    {
        ArgumentNullException.ThrowIfNull(commonPrefixes);
        var invalid = new List<string>();
        foreach (var prefix in commonPrefixes)
        {
            var name = prefix.StartsWith(Root, StringComparison.Ordinal) ? prefix[Root.Length..] : prefix;
            if (name.EndsWith('/'))
            {
                name = name[..^1];
            }

            if (!IsValidTopLevelDirectory(name))
            {
                invalid.Add(name);
            }
        }

        if (invalid.Count == 0)
        {
            return null;
        }

        if (invalid.Count > 3)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"Backup store contains {invalid.Count} invalid top-level directories: [{string.Join(' ', invalid.Take(3))} ...]");
        }

        return $"Backup store contains invalid top-level directories: [{string.Join(' ', invalid)}]";
    }

    private string BackupFile(string backupName, string suffix) => GetBackupDirectory(backupName) + backupName + suffix;

    private string RestoreFile(string restoreName, string namePrefix, string suffix) =>
        GetRestoreDirectory(restoreName) + namePrefix + restoreName + suffix;

    private static string Segment(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name is "." or ".." || name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0)
        {
            throw new VeleroException(
                VeleroErrorCode.PathTraversal,
                $"invalid {what} name \"{name}\": it must be one non-empty key segment (no '/', '\\', NUL, '.' or '..')");
        }

        return name;
    }
}
