using System.Text.Json.Nodes;
using Velero.Sdk.Model;

namespace Velero.Sdk.Storage;

/// <summary>
/// The files of a finished restore, uploaded under <c>restores/&lt;restore&gt;/</c> by
/// <see cref="BackupStore.PutRestoreFilesAsync"/>. A <see langword="null"/> member is not uploaded.
/// </summary>
public sealed class RestoreUpload
{
    /// <summary>Creates the upload for the restore <paramref name="restoreName"/>.</summary>
    public RestoreUpload(string restoreName)
    {
        ArgumentException.ThrowIfNullOrEmpty(restoreName);
        RestoreName = restoreName;
    }

    /// <summary>The restore's name.</summary>
    public string RestoreName { get; }

    /// <summary>The restore log as plain text (compressed while uploading; not disposed).</summary>
    public Stream? Log { get; set; }

    /// <summary>Errors and warnings.</summary>
    public OperationResults? Results { get; set; }

    /// <summary>
    /// The restored items: <c>"&lt;groupVersion&gt;/&lt;Kind&gt;"</c> to sorted <c>"ns/name(action)"</c> lists (action
    /// <c>created</c>, <c>updated</c>, <c>failed</c> or <c>skipped</c>). Keys are written sorted.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? ResourceList { get; set; }

    /// <summary>
    /// A folder where the resource list is compressed before it is uploaded (in a private file, gone once uploaded), so that a
    /// list of hundreds of thousands of items is not held in memory; <see langword="null"/> compresses it in memory.
    /// </summary>
    public string? TempDirectory { get; set; }

    /// <summary>Asynchronous item operations (Velero's RestoreOperation JSON).</summary>
    public JsonArray? ItemOperations { get; set; }

    /// <summary>Velero's RestoreVolumeInfo list as JSON (uploaded as <c>&lt;restore&gt;-volumeinfo.json.gz</c>).</summary>
    public JsonArray? VolumeInfo { get; set; }

    /// <summary>
    /// The Restore resource with its final status, uploaded last as <c>velero-restore.json</c> (a Velero.Sdk addition that
    /// Velero ignores; see <see cref="BackupStore.GetRestoreAsync"/>).
    /// </summary>
    public V1Restore? Restore { get; set; }
}
