using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The <c>csiSnapshotInfo</c> of a <see cref="BackupVolumeInfo"/>.</summary>
public sealed class CsiSnapshotInfo
{
    /// <summary>The CSI snapshot handle.</summary>
    [JsonPropertyName("snapshotHandle")]
    public string SnapshotHandle { get; set; } = string.Empty;

    /// <summary>The snapshot's size in bytes.</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>The CSI driver.</summary>
    [JsonPropertyName("driver")]
    public string Driver { get; set; } = string.Empty;

    /// <summary>The VolumeSnapshotContent's name.</summary>
    [JsonPropertyName("vscName")]
    public string VscName { get; set; } = string.Empty;

    /// <summary>The asynchronous operation's ID; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("operationID")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OperationId { get; set; }

    /// <summary>Whether the snapshot is ready; the key is capitalised <c>ReadyToUse</c> and <c>null</c> is written when unknown.</summary>
    [JsonPropertyName("ReadyToUse")]
    public bool? ReadyToUse { get; set; }

    /// <summary>The VolumeGroupSnapshot handle; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("volumeGroupSnapshotHandle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VolumeGroupSnapshotHandle { get; set; }

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
