using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a DeleteBackupRequest.
/// </summary>
public sealed class V1DeleteBackupRequestSpec
{
    /// <summary>
    /// Name of the Backup to delete (required).
    /// </summary>
    [JsonPropertyName("backupName")]
    public string? BackupName { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
