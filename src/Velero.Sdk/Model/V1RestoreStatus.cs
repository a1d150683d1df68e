using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a Velero Restore.
/// </summary>
public sealed class V1RestoreStatus
{
    /// <summary>
    /// The current phase; one of the <see cref="RestorePhase"/> values. Empty means <see
    /// cref="RestorePhase.New"/>.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// Validation errors, set when the phase is <see cref="RestorePhase.FailedValidation"/>.
    /// </summary>
    [JsonPropertyName("validationErrors")]
    public IList<string>? ValidationErrors { get; set; }

    /// <summary>
    /// Number of warnings in the restore results.
    /// </summary>
    [JsonPropertyName("warnings")]
    public int? Warnings { get; set; }

    /// <summary>
    /// Number of errors in the restore results.
    /// </summary>
    [JsonPropertyName("errors")]
    public int? Errors { get; set; }

    /// <summary>
    /// The error that failed the whole restore.
    /// </summary>
    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    /// <summary>
    /// When the restore started running. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("startTimestamp")]
    public DateTime? StartTimestamp { get; set; }

    /// <summary>
    /// When the restore completed, partially failed or failed. RFC 3339 UTC time with second
    /// precision on the wire (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("completionTimestamp")]
    public DateTime? CompletionTimestamp { get; set; }

    /// <summary>
    /// How many items have been restored so far (best effort).
    /// </summary>
    [JsonPropertyName("progress")]
    public V1RestoreProgress? Progress { get; set; }

    /// <summary>
    /// Number of asynchronous RestoreItemAction operations attempted.
    /// </summary>
    [JsonPropertyName("restoreItemOperationsAttempted")]
    public int? RestoreItemOperationsAttempted { get; set; }

    /// <summary>
    /// Number of asynchronous RestoreItemAction operations completed.
    /// </summary>
    [JsonPropertyName("restoreItemOperationsCompleted")]
    public int? RestoreItemOperationsCompleted { get; set; }

    /// <summary>
    /// Number of asynchronous RestoreItemAction operations that failed.
    /// </summary>
    [JsonPropertyName("restoreItemOperationsFailed")]
    public int? RestoreItemOperationsFailed { get; set; }

    /// <summary>
    /// Counters of the hooks run for the restore.
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
