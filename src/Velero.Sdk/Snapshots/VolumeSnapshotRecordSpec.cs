using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Snapshots;

/// <summary>The <c>spec</c> of a <see cref="VolumeSnapshotRecord"/>.</summary>
public sealed class VolumeSnapshotRecordSpec
{
    /// <summary>The backup that took the snapshot.</summary>
    [JsonPropertyName("backupName")]
    public string BackupName { get; set; } = string.Empty;

    /// <summary>The UID of that backup.</summary>
    [JsonPropertyName("backupUID")]
    public string BackupUid { get; set; } = string.Empty;

    /// <summary>The VolumeSnapshotLocation used.</summary>
    [JsonPropertyName("location")]
    public string Location { get; set; } = string.Empty;

    /// <summary>The PersistentVolume snapshotted.</summary>
    [JsonPropertyName("persistentVolumeName")]
    public string PersistentVolumeName { get; set; } = string.Empty;

    /// <summary>The provider's volume ID.</summary>
    [JsonPropertyName("providerVolumeID")]
    public string ProviderVolumeId { get; set; } = string.Empty;

    /// <summary>The provider's volume type (e.g. <c>gp3</c>).</summary>
    [JsonPropertyName("volumeType")]
    public string VolumeType { get; set; } = string.Empty;

    /// <summary>The availability zone; omitted when empty.</summary>
    [JsonPropertyName("volumeAZ")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? VolumeAz { get; set; }

    /// <summary>Provisioned IOPS; omitted only when the provider gave none.</summary>
    [JsonPropertyName("volumeIOPS")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VolumeIops { get; set; }

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
