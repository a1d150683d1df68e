using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a VolumeSnapshotLocation.
/// </summary>
public sealed class V1VolumeSnapshotLocationStatus
{
    /// <summary>
    /// One of the <see cref="VolumeSnapshotLocationPhase"/> values. Velero itself never sets it.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
