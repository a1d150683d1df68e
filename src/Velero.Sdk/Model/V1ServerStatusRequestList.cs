using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A list of <see cref="V1ServerStatusRequest"/> resources, as returned by a list or watch call
/// (kind <c>ServerStatusRequestList</c>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1ServerStatusRequestList : IKubernetesObject<V1ListMeta>, IItems<V1ServerStatusRequest>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this list: <c>ServerStatusRequestList</c>.
    /// </summary>
    public const string KubeKind = "ServerStatusRequestList";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>serverstatusrequests</c>.
    /// </summary>
    public const string KubePluralName = "serverstatusrequests";

    /// <summary>
    /// Initializes a new, empty list with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>ServerStatusRequestList</c> and empty <see cref="Metadata"/>.
    /// </summary>
    public V1ServerStatusRequestList()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ListMeta();
        Items = new List<V1ServerStatusRequest>();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>ServerStatusRequestList</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard list metadata (resource version, continue token).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; }

    /// <summary>
    /// The ServerStatusRequest resources in the list.
    /// </summary>
    [JsonPropertyName("items")]
    public IList<V1ServerStatusRequest> Items { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
