using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Which resources get their <c>status</c> restored (RestoreSpec <c>restoreStatus</c>).
/// </summary>
public sealed class V1RestoreStatusSpec
{
    /// <summary>
    /// Resources whose status is restored; <c>*</c> means all.
    /// </summary>
    [JsonPropertyName("includedResources")]
    public IList<string>? IncludedResources { get; set; }

    /// <summary>
    /// Resources whose status is not restored.
    /// </summary>
    [JsonPropertyName("excludedResources")]
    public IList<string>? ExcludedResources { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
