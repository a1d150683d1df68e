using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Configuration of the file-system restore uploader (Kopia) for a Restore.
/// </summary>
public sealed class V1UploaderConfigForRestore
{
    /// <summary>
    /// Whether files are written sparse.
    /// </summary>
    [JsonPropertyName("writeSparseFiles")]
    public bool? WriteSparseFiles { get; set; }

    /// <summary>
    /// Number of files downloaded in parallel.
    /// </summary>
    [JsonPropertyName("parallelFilesDownload")]
    public int? ParallelFilesDownload { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
