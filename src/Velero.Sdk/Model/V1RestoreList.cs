using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A list of <see cref="V1Restore"/> resources, as returned by a list or watch call (kind
/// <c>RestoreList</c>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1RestoreList : IKubernetesObject<V1ListMeta>, IItems<V1Restore>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this list: <c>RestoreList</c>.
    /// </summary>
    public const string KubeKind = "RestoreList";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>restores</c>.
    /// </summary>
    public const string KubePluralName = "restores";

    /// <summary>
    /// Initializes a new, empty list with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>RestoreList</c> and empty <see cref="Metadata"/>.
    /// </summary>
    public V1RestoreList()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ListMeta();
        Items = new List<V1Restore>();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>RestoreList</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard list metadata (resource version, continue token).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; }

    /// <summary>
    /// The Restore resources in the list.
    /// </summary>
    [JsonPropertyName("items")]
    public IList<V1Restore> Items { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
