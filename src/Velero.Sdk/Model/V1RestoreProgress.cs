using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Progress of a running restore.
/// </summary>
public sealed class V1RestoreProgress
{
    /// <summary>
    /// Number of items to be restored.
    /// </summary>
    [JsonPropertyName("totalItems")]
    public int? TotalItems { get; set; }

    /// <summary>
    /// Number of items restored so far.
    /// </summary>
    [JsonPropertyName("itemsRestored")]
    public int? ItemsRestored { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
