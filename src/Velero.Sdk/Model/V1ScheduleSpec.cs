using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a Velero Schedule: a cron expression and the Backup spec to use.
/// </summary>
public sealed class V1ScheduleSpec
{
    /// <summary>
    /// The spec copied into every Backup the schedule creates (required).
    /// </summary>
    [JsonPropertyName("template")]
    public V1BackupSpec? Template { get; set; }

    /// <summary>
    /// Cron expression (5 fields, <c>@every</c> and <c>@daily</c>-style descriptors, optional
    /// <c>CRON_TZ=</c> prefix) saying when to back up (required).
    /// </summary>
    [JsonPropertyName("schedule")]
    public string? Schedule { get; set; }

    /// <summary>
    /// Whether created Backups get an owner reference to the Schedule. Absent means <see
    /// langword="false"/>.
    /// </summary>
    [JsonPropertyName("useOwnerReferencesInBackup")]
    public bool? UseOwnerReferencesInBackup { get; set; }

    /// <summary>
    /// Whether the schedule is paused. Absent means <see langword="false"/>.
    /// </summary>
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    /// <summary>
    /// One-shot flag: skip the backup that would be taken now and wait for the next cron tick.
    /// Reset to <see langword="false"/> by the controller after use. Absent means the server
    /// default (<c>--schedule-skip-immediately</c>, normally <see langword="false"/>).
    /// </summary>
    [JsonPropertyName("skipImmediately")]
    public bool? SkipImmediately { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
