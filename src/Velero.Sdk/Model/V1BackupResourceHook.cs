using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// One backup hook.
/// </summary>
public sealed class V1BackupResourceHook
{
    /// <summary>
    /// The command to execute in a container of the pod.
    /// </summary>
    [JsonPropertyName("exec")]
    public V1ExecHook? Exec { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
