using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a Velero Backup.
/// </summary>
public sealed class V1BackupStatus
{
    /// <summary>
    /// Deprecated major backup format version; always <c>1</c>.
    /// </summary>
    [JsonPropertyName("version")]
    public int? Version { get; set; }

    /// <summary>
    /// Version of the backup tarball format, currently <c>1.1.0</c> (<see
    /// cref="VeleroConstants.BackupFormatVersion"/>).
    /// </summary>
    [JsonPropertyName("formatVersion")]
    public string? FormatVersion { get; set; }

    /// <summary>
    /// When the backup becomes eligible for garbage collection (start time plus TTL). RFC 3339 UTC
    /// time with second precision on the wire (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("expiration")]
    public DateTime? Expiration { get; set; }

    /// <summary>
    /// The current phase; one of the <see cref="BackupPhase"/> values. Empty means <see
    /// cref="BackupPhase.New"/>.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// Position in the backup queue; only meaningful in phase <see cref="BackupPhase.Queued"/>.
    /// </summary>
    [JsonPropertyName("queuePosition")]
    public int? QueuePosition { get; set; }

    /// <summary>
    /// Validation errors, set when the phase is <see cref="BackupPhase.FailedValidation"/>.
    /// </summary>
    [JsonPropertyName("validationErrors")]
    public IList<string>? ValidationErrors { get; set; }

    /// <summary>
    /// When the backup started running. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("startTimestamp")]
    public DateTime? StartTimestamp { get; set; }

    /// <summary>
    /// When the backup completed, partially failed or failed. RFC 3339 UTC time with second
    /// precision on the wire (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("completionTimestamp")]
    public DateTime? CompletionTimestamp { get; set; }

    /// <summary>
    /// Number of native volume snapshots attempted.
    /// </summary>
    [JsonPropertyName("volumeSnapshotsAttempted")]
    public int? VolumeSnapshotsAttempted { get; set; }

    /// <summary>
    /// Number of native volume snapshots completed.
    /// </summary>
    [JsonPropertyName("volumeSnapshotsCompleted")]
    public int? VolumeSnapshotsCompleted { get; set; }

    /// <summary>
    /// The error that failed the whole backup.
    /// </summary>
    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    /// <summary>
    /// Number of warnings logged for the backup.
    /// </summary>
    [JsonPropertyName("warnings")]
    public int? Warnings { get; set; }

    /// <summary>
    /// Number of errors logged for the backup.
    /// </summary>
    [JsonPropertyName("errors")]
    public int? Errors { get; set; }

    /// <summary>
    /// How many items have been backed up so far (best effort).
    /// </summary>
    [JsonPropertyName("progress")]
    public V1BackupProgress? Progress { get; set; }

    /// <summary>
    /// Number of CSI volume snapshots attempted.
    /// </summary>
    [JsonPropertyName("csiVolumeSnapshotsAttempted")]
    public int? CsiVolumeSnapshotsAttempted { get; set; }

    /// <summary>
    /// Number of CSI volume snapshots completed.
    /// </summary>
    [JsonPropertyName("csiVolumeSnapshotsCompleted")]
    public int? CsiVolumeSnapshotsCompleted { get; set; }

    /// <summary>
    /// Number of asynchronous BackupItemAction operations attempted.
    /// </summary>
    [JsonPropertyName("backupItemOperationsAttempted")]
    public int? BackupItemOperationsAttempted { get; set; }

    /// <summary>
    /// Number of asynchronous BackupItemAction operations completed.
    /// </summary>
    [JsonPropertyName("backupItemOperationsCompleted")]
    public int? BackupItemOperationsCompleted { get; set; }

    /// <summary>
    /// Number of asynchronous BackupItemAction operations that failed.
    /// </summary>
    [JsonPropertyName("backupItemOperationsFailed")]
    public int? BackupItemOperationsFailed { get; set; }

    /// <summary>
    /// Counters of the hooks run for the backup.
    /// </summary>
    [JsonPropertyName("hookStatus")]
    public V1HookStatus? HookStatus { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
