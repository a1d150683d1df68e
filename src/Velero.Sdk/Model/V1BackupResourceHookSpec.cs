using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A named set of backup hooks and the items (pods) they apply to.
/// </summary>
public sealed class V1BackupResourceHookSpec
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
    /// Hooks run before the item is backed up (JSON name <c>pre</c>).
    /// </summary>
    [JsonPropertyName("pre")]
    public IList<V1BackupResourceHook>? PreHooks { get; set; }

    /// <summary>
    /// Hooks run after the item and its additional items are backed up (JSON name <c>post</c>).
    /// </summary>
    [JsonPropertyName("post")]
    public IList<V1BackupResourceHook>? PostHooks { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
