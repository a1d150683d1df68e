using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// One restore hook: an exec hook, an init hook, or both.
/// </summary>
public sealed class V1RestoreResourceHook
{
    /// <summary>
    /// A command run in a container of the restored pod.
    /// </summary>
    [JsonPropertyName("exec")]
    public V1ExecRestoreHook? Exec { get; set; }

    /// <summary>
    /// Init containers added to the restored pod.
    /// </summary>
    [JsonPropertyName("init")]
    public V1InitRestoreHook? Init { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
