using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a Velero Schedule.
/// </summary>
public sealed class V1ScheduleStatus
{
    /// <summary>
    /// The current phase; one of the <see cref="SchedulePhase"/> values.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// When the schedule last created a Backup. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("lastBackup")]
    public DateTime? LastBackup { get; set; }

    /// <summary>
    /// When the schedule last skipped a backup because of <see
    /// cref="V1ScheduleSpec.SkipImmediately"/>. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("lastSkipped")]
    public DateTime? LastSkipped { get; set; }

    /// <summary>
    /// Validation errors, set when the phase is <see cref="SchedulePhase.FailedValidation"/>.
    /// </summary>
    [JsonPropertyName("validationErrors")]
    public IList<string>? ValidationErrors { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
