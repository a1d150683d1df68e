using System.Text.Json.Nodes;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Storage;

/// <summary>
/// A finished backup to upload with <see cref="BackupStore.PutBackupAsync"/>: the Backup resource with its final status,
/// the tarball and the side files. What each <see langword="null"/> side file becomes is documented on its property; every
/// file is written, so that Velero's CLI and sync find what they expect (Velero's checklist, api reference 11.9).
/// </summary>
public sealed class BackupUpload
{
    /// <summary>Creates an upload of <paramref name="backup"/> with the tarball <paramref name="contents"/>.</summary>
    /// <param name="backup">The Backup resource, written last as <c>velero-backup.json</c>; its <c>metadata.name</c> names the backup.</param>
    /// <param name="contents">The gzipped tarball (see <see cref="Contents"/>).</param>
    public BackupUpload(V1Backup backup, Stream contents)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(contents);
        Backup = backup;
        Contents = contents;
    }

    /// <summary>The Backup resource, with the phase, timestamps and counters it should have for good.</summary>
    public V1Backup Backup { get; }

    /// <summary>
    /// The gzipped tarball, read from its current position to its end and streamed to the store (never buffered whole).
    /// It is not disposed.
    /// </summary>
    public Stream Contents { get; }

    /// <summary>The backup log as plain text (compressed while uploading; not disposed); <see langword="null"/> uploads an empty gzip stream.</summary>
    public Stream? Log { get; set; }

    /// <summary>Errors and warnings; <see langword="null"/> uploads empty results (<c>{"errors":{},"warnings":{}}</c>).</summary>
    public OperationResults? Results { get; set; }

    /// <summary>
    /// The backed-up items: <c>"&lt;groupVersion&gt;/&lt;Kind&gt;"</c> to sorted <c>"ns/name"</c> (or <c>"name"</c>) lists.
    /// Keys are written sorted, as Go writes maps. <see langword="null"/> uploads <c>{}</c>.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ResourceList { get; set; }

    /// <summary>
    /// A folder where the resource list is compressed before it is uploaded (in a private file, gone once uploaded), so that a
    /// list of hundreds of thousands of items is not held in memory; <see langword="null"/> compresses it in memory.
    /// </summary>
    public string? TempDirectory { get; set; }

    /// <summary>Native volume snapshot records; <see langword="null"/> uploads <c>null</c>, as Velero does when there are none.</summary>
    public IReadOnlyList<VolumeSnapshotRecord>? VolumeSnapshots { get; set; }

    /// <summary>PodVolumeBackup resources as JSON; <see langword="null"/> uploads <c>null</c>, as Velero does when there are none.</summary>
    public JsonArray? PodVolumeBackups { get; set; }

    /// <summary>Asynchronous item operations (Velero's BackupOperation JSON); <see langword="null"/> uploads <c>[]</c>.</summary>
    public JsonArray? ItemOperations { get; set; }

    /// <summary>What happened to each persistent volume; <see langword="null"/> uploads <c>[]</c>.</summary>
    public IReadOnlyList<BackupVolumeInfo>? VolumeInfos { get; set; }
}
