using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A named set of restore hooks and the items (pods) they apply to.
/// </summary>
public sealed class V1RestoreResourceHookSpec
{
    /// <summary>
    /// Name of this hook specification (required).
    /// </summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>
    /// Namespaces the hooks apply to; empty means all.
    /// </summary>
    [JsonPropertyName("includedNamespaces")]
    public IList<string>? IncludedNamespaces { get; set; }

    /// <summary>
    /// Namespaces the hooks do not apply to.
    /// </summary>
    [JsonPropertyName("excludedNamespaces")]
    public IList<string>? ExcludedNamespaces { get; set; }

    /// <summary>
    /// Resources the hooks apply to; empty means all.
    /// </summary>
    [JsonPropertyName("includedResources")]
    public IList<string>? IncludedResources { get; set; }

    /// <summary>
    /// Resources the hooks do not apply to.
    /// </summary>
    [JsonPropertyName("excludedResources")]
    public IList<string>? ExcludedResources { get; set; }

    /// <summary>
    /// Only items with matching labels get the hooks.
    /// </summary>
    [JsonPropertyName("labelSelector")]
    public V1LabelSelector? LabelSelector { get; set; }

    /// <summary>
    /// Hooks for restored pods (JSON name <c>postHooks</c>).
    /// </summary>
    [JsonPropertyName("postHooks")]
    public IList<V1RestoreResourceHook>? PostHooks { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
