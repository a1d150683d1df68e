using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Snapshots;

/// <summary>
/// One native volume snapshot taken by a backup, as Velero records it in <c>&lt;backup&gt;-volumesnapshots.json.gz</c>.
/// </summary>
public sealed class VolumeSnapshotRecord
{
    /// <summary>What was snapshotted.</summary>
    [JsonPropertyName("spec")]
    public VolumeSnapshotRecordSpec Spec { get; set; } = new();

    /// <summary>The outcome.</summary>
    [JsonPropertyName("status")]
    public VolumeSnapshotRecordStatus Status { get; set; } = new();

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
