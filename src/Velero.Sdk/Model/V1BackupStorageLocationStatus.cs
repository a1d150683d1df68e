using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a BackupStorageLocation.
/// </summary>
public sealed class V1BackupStorageLocationStatus
{
    /// <summary>
    /// Whether the location is available; one of the <see cref="BackupStorageLocationPhase"/>
    /// values. Empty means not yet validated (treated as unavailable).
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// When backups were last synced from the location. RFC 3339 UTC time with second precision on
    /// the wire (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("lastSyncedTime")]
    public DateTime? LastSyncedTime { get; set; }

    /// <summary>
    /// When the location was last validated. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("lastValidationTime")]
    public DateTime? LastValidationTime { get; set; }

    /// <summary>
    /// Error text when the location is unavailable.
    /// </summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>
    /// Deprecated and no longer written by Velero.
    /// </summary>
    [JsonPropertyName("lastSyncedRevision")]
    public string? LastSyncedRevision { get; set; }

    /// <summary>
    /// Deprecated and unused by Velero.
    /// </summary>
    [JsonPropertyName("accessMode")]
    public string? AccessMode { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
