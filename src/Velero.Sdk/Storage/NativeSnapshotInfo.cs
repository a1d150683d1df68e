using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The <c>nativeSnapshotInfo</c> of a <see cref="BackupVolumeInfo"/>. Every key is always written.</summary>
public sealed class NativeSnapshotInfo
{
    /// <summary>The provider's snapshot ID.</summary>
    [JsonPropertyName("snapshotHandle")]
    public string SnapshotHandle { get; set; } = string.Empty;

    /// <summary>The provider's volume type.</summary>
    [JsonPropertyName("volumeType")]
    public string VolumeType { get; set; } = string.Empty;

    /// <summary>The availability zone.</summary>
    [JsonPropertyName("volumeAZ")]
    public string VolumeAz { get; set; } = string.Empty;

    /// <summary>Provisioned IOPS as a decimal <em>string</em> (<c>"0"</c> when none), as Velero writes it.</summary>
    [JsonPropertyName("iops")]
    public string Iops { get; set; } = string.Empty;

    /// <summary>The snapshot's phase (<c>New</c>, <c>Completed</c>, <c>Failed</c>); the key is capitalised <c>Phase</c> (no JSON tag in Go).</summary>
    [JsonPropertyName("Phase")]
    public string Phase { get; set; } = string.Empty;

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
