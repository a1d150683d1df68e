using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A Velero ServerStatusRequest (<c>velero.io/v1</c>, kind <c>ServerStatusRequest</c>, short name
/// <c>ssr</c>): asks the server for its version and plugins.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1ServerStatusRequest : IKubernetesObject<V1ObjectMeta>, ISpec<V1ServerStatusRequestSpec>, IStatus<V1ServerStatusRequestStatus?>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this resource: <c>ServerStatusRequest</c>.
    /// </summary>
    public const string KubeKind = "ServerStatusRequest";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>serverstatusrequests</c>.
    /// </summary>
    public const string KubePluralName = "serverstatusrequests";

    /// <summary>
    /// Initializes a new instance with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>ServerStatusRequest</c>, and empty <see cref="Metadata"/> and <see
    /// cref="Spec"/>.
    /// </summary>
    public V1ServerStatusRequest()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ObjectMeta();
        Spec = new V1ServerStatusRequestSpec();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>ServerStatusRequest</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard Kubernetes object metadata (name, namespace, labels, annotations, ...).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; }

    /// <summary>
    /// Empty.
    /// </summary>
    [JsonPropertyName("spec")]
    public V1ServerStatusRequestSpec Spec { get; set; }

    /// <summary>
    /// The server version and plugins, once processed.
    /// </summary>
    [JsonPropertyName("status")]
    public V1ServerStatusRequestStatus? Status { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
