using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>
/// What a backup did with one persistent volume: an element of Velero's <c>&lt;backup&gt;-volumeinfo.json.gz</c>
/// (<c>BackupVolumeInfo</c>, Velero 1.13+). Restores use it to choose how to bring each volume back.
/// </summary>
/// <remarks>
/// Key names are Velero's exactly. Properties Go marks <c>omitempty</c> are omitted when <see langword="null"/>; the three
/// booleans are always written. Unknown fields are kept in <see cref="AdditionalProperties"/>.
/// </remarks>
public sealed class BackupVolumeInfo
{
    /// <summary>The PVC's name; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("pvcName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PvcName { get; set; }

    /// <summary>The PVC's namespace; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("pvcNamespace")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PvcNamespace { get; set; }

    /// <summary>The PV's name; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("pvName")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PvName { get; set; }

    /// <summary><c>NativeSnapshot</c>, <c>PodVolumeBackup</c> or <c>CSISnapshot</c>; omitted when the volume was skipped.</summary>
    [JsonPropertyName("backupMethod")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BackupMethod { get; set; }

    /// <summary>Whether the snapshot data was moved to the backup repository (always written).</summary>
    [JsonPropertyName("snapshotDataMoved")]
    public bool SnapshotDataMoved { get; set; }

    /// <summary>Whether the local snapshot is kept after data movement (always written).</summary>
    [JsonPropertyName("preserveLocalSnapshot")]
    public bool PreserveLocalSnapshot { get; set; }

    /// <summary>Whether the volume was skipped (always written).</summary>
    [JsonPropertyName("skipped")]
    public bool Skipped { get; set; }

    /// <summary>Why the volume was skipped; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("skippedReason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SkippedReason { get; set; }

    /// <summary>When the volume's backup started (RFC 3339, UTC, seconds); omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("startTimestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(Rfc3339TimeJsonConverter))]
    public DateTime? StartTimestamp { get; set; }

    /// <summary>When the volume's backup completed (RFC 3339, UTC, seconds); omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("completionTimestamp")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(Rfc3339TimeJsonConverter))]
    public DateTime? CompletionTimestamp { get; set; }

    /// <summary><c>succeeded</c> or <c>failed</c>; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("result")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Result { get; set; }

    /// <summary>CSI snapshot details; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("csiSnapshotInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CsiSnapshotInfo? CsiSnapshotInfo { get; set; }

    /// <summary>Data-mover details; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("snapshotDataMovementInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SnapshotDataMovementInfo? SnapshotDataMovementInfo { get; set; }

    /// <summary>Native snapshot details; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("nativeSnapshotInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NativeSnapshotInfo? NativeSnapshotInfo { get; set; }

    /// <summary>Pod volume (file-system) backup details; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("pvbInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PodVolumeInfo? PvbInfo { get; set; }

    /// <summary>The PV's reclaim policy and labels; omitted when <see langword="null"/>.</summary>
    [JsonPropertyName("pvInfo")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PersistentVolumeInfo? PvInfo { get; set; }

    /// <summary>Fields a newer Velero adds.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
