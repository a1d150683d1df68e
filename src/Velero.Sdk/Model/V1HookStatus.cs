using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Counters of the hooks run by a backup or restore.
/// </summary>
public sealed class V1HookStatus
{
    /// <summary>
    /// Number of hooks attempted.
    /// </summary>
    [JsonPropertyName("hooksAttempted")]
    public int? HooksAttempted { get; set; }

    /// <summary>
    /// Number of hooks that failed.
    /// </summary>
    [JsonPropertyName("hooksFailed")]
    public int? HooksFailed { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
