using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Progress of a running backup.
/// </summary>
public sealed class V1BackupProgress
{
    /// <summary>
    /// Number of items to be backed up (may grow while the backup runs).
    /// </summary>
    [JsonPropertyName("totalItems")]
    public int? TotalItems { get; set; }

    /// <summary>
    /// Number of items backed up so far.
    /// </summary>
    [JsonPropertyName("itemsBackedUp")]
    public int? ItemsBackedUp { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
