using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Snapshots;

/// <summary>The <c>status</c> of a <see cref="VolumeSnapshotRecord"/>.</summary>
public sealed class VolumeSnapshotRecordStatus
{
    /// <summary>The provider's snapshot ID; omitted when empty.</summary>
    [JsonPropertyName("providerSnapshotID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ProviderSnapshotId { get; set; }

    /// <summary><c>New</c>, <c>Completed</c> or <c>Failed</c>; omitted when empty.</summary>
    [JsonPropertyName("phase")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Phase { get; set; }

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
