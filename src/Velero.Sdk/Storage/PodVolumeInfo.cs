using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The <c>pvbInfo</c> of a <see cref="BackupVolumeInfo"/> (a file-system backup of a pod volume).</summary>
public sealed class PodVolumeInfo
{
    /// <summary>The snapshot in the backup repository; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("snapshotHandle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SnapshotHandle { get; set; }

    /// <summary>Bytes backed up; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("size")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Size { get; set; }

    /// <summary>Bytes backed up incrementally; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("incrementalSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? IncrementalSize { get; set; }

    /// <summary>The uploader (<c>kopia</c> or <c>restic</c>).</summary>
    [JsonPropertyName("uploaderType")]
    public string UploaderType { get; set; } = string.Empty;

    /// <summary>The pod volume's name.</summary>
    [JsonPropertyName("volumeName")]
    public string VolumeName { get; set; } = string.Empty;

    /// <summary>The pod's name.</summary>
    [JsonPropertyName("podName")]
    public string PodName { get; set; } = string.Empty;

    /// <summary>The pod's namespace.</summary>
    [JsonPropertyName("podNamespace")]
    public string PodNamespace { get; set; } = string.Empty;

    /// <summary>The node that ran the backup; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("nodeName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NodeName { get; set; }

    /// <summary>The PodVolumeBackup's phase; the key is capitalised <c>Phase</c> (no JSON tag in Go).</summary>
    [JsonPropertyName("Phase")]
    public string Phase { get; set; } = string.Empty;

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
