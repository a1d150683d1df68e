using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a DeleteBackupRequest.
/// </summary>
public sealed class V1DeleteBackupRequestStatus
{
    /// <summary>
    /// The current phase; one of the <see cref="DeleteBackupRequestPhase"/> values.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// Errors encountered while deleting the backup.
    /// </summary>
    [JsonPropertyName("errors")]
    public IList<string>? Errors { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
