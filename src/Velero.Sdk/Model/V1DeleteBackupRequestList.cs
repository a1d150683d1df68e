using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A list of <see cref="V1DeleteBackupRequest"/> resources, as returned by a list or watch call
/// (kind <c>DeleteBackupRequestList</c>).
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1DeleteBackupRequestList : IKubernetesObject<V1ListMeta>, IItems<V1DeleteBackupRequest>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this list: <c>DeleteBackupRequestList</c>.
    /// </summary>
    public const string KubeKind = "DeleteBackupRequestList";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>deletebackuprequests</c>.
    /// </summary>
    public const string KubePluralName = "deletebackuprequests";

    /// <summary>
    /// Initializes a new, empty list with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>DeleteBackupRequestList</c> and empty <see cref="Metadata"/>.
    /// </summary>
    public V1DeleteBackupRequestList()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ListMeta();
        Items = new List<V1DeleteBackupRequest>();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>DeleteBackupRequestList</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard list metadata (resource version, continue token).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ListMeta Metadata { get; set; }

    /// <summary>
    /// The DeleteBackupRequest resources in the list.
    /// </summary>
    [JsonPropertyName("items")]
    public IList<V1DeleteBackupRequest> Items { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
