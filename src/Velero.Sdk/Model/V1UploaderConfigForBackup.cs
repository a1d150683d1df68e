using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Configuration of the file-system backup uploader (Kopia) for a Backup.
/// </summary>
public sealed class V1UploaderConfigForBackup
{
    /// <summary>
    /// Number of files uploaded in parallel.
    /// </summary>
    [JsonPropertyName("parallelFilesUpload")]
    public int? ParallelFilesUpload { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
