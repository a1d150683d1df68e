using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A Velero DownloadRequest (<c>velero.io/v1</c>, kind <c>DownloadRequest</c>): a request for a
/// pre-signed URL of a backup or restore file.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1DownloadRequest : IKubernetesObject<V1ObjectMeta>, ISpec<V1DownloadRequestSpec>, IStatus<V1DownloadRequestStatus?>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this resource: <c>DownloadRequest</c>.
    /// </summary>
    public const string KubeKind = "DownloadRequest";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>downloadrequests</c>.
    /// </summary>
    public const string KubePluralName = "downloadrequests";

    /// <summary>
    /// Initializes a new instance with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>DownloadRequest</c>, and empty <see cref="Metadata"/> and <see
    /// cref="Spec"/>.
    /// </summary>
    public V1DownloadRequest()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ObjectMeta();
        Spec = new V1DownloadRequestSpec();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>DownloadRequest</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard Kubernetes object metadata (name, namespace, labels, annotations, ...).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; }

    /// <summary>
    /// Which file to download.
    /// </summary>
    [JsonPropertyName("spec")]
    public V1DownloadRequestSpec Spec { get; set; }

    /// <summary>
    /// The download URL, once processed.
    /// </summary>
    [JsonPropertyName("status")]
    public V1DownloadRequestStatus? Status { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
