using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The hooks of a Restore: init containers added to restored pods and exec hooks run in them.
/// </summary>
public sealed class V1RestoreHooks
{
    /// <summary>
    /// Hook specifications, each with its own namespace, resource and label scope.
    /// </summary>
    [JsonPropertyName("resources")]
    public IList<V1RestoreResourceHookSpec>? Resources { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
