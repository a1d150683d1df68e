using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>The <c>snapshotDataMovementInfo</c> of a <see cref="BackupVolumeInfo"/> (CSI snapshot data movement).</summary>
public sealed class SnapshotDataMovementInfo
{
    /// <summary>The data mover (<c>velero</c> for the built-in one).</summary>
    [JsonPropertyName("dataMover")]
    public string DataMover { get; set; } = string.Empty;

    /// <summary>The uploader (<c>kopia</c>).</summary>
    [JsonPropertyName("uploaderType")]
    public string UploaderType { get; set; } = string.Empty;

    /// <summary>The retained local snapshot; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("retainedSnapshot")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RetainedSnapshot { get; set; }

    /// <summary>The snapshot in the backup repository.</summary>
    [JsonPropertyName("snapshotHandle")]
    public string SnapshotHandle { get; set; } = string.Empty;

    /// <summary>The asynchronous operation's ID.</summary>
    [JsonPropertyName("operationID")]
    public string OperationId { get; set; } = string.Empty;

    /// <summary>Bytes moved.</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>Bytes moved incrementally; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("incrementalSize")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? IncrementalSize { get; set; }

    /// <summary>The DataUpload's phase; the key is capitalised <c>Phase</c> (no JSON tag in Go).</summary>
    [JsonPropertyName("Phase")]
    public string Phase { get; set; } = string.Empty;

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
