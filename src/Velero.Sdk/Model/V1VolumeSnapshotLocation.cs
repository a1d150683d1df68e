using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A Velero VolumeSnapshotLocation (<c>velero.io/v1</c>, kind <c>VolumeSnapshotLocation</c>, short
/// name <c>vsl</c>): where volume snapshots are taken.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1VolumeSnapshotLocation : IKubernetesObject<V1ObjectMeta>, ISpec<V1VolumeSnapshotLocationSpec>, IStatus<V1VolumeSnapshotLocationStatus?>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this resource: <c>VolumeSnapshotLocation</c>.
    /// </summary>
    public const string KubeKind = "VolumeSnapshotLocation";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>volumesnapshotlocations</c>.
    /// </summary>
    public const string KubePluralName = "volumesnapshotlocations";

    /// <summary>
    /// Initializes a new instance with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>VolumeSnapshotLocation</c>, and empty <see cref="Metadata"/> and <see
    /// cref="Spec"/>.
    /// </summary>
    public V1VolumeSnapshotLocation()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ObjectMeta();
        Spec = new V1VolumeSnapshotLocationSpec();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>VolumeSnapshotLocation</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard Kubernetes object metadata (name, namespace, labels, annotations, ...).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; }

    /// <summary>
    /// The provider and configuration of the location.
    /// </summary>
    [JsonPropertyName("spec")]
    public V1VolumeSnapshotLocationSpec Spec { get; set; }

    /// <summary>
    /// The observed state of the location.
    /// </summary>
    [JsonPropertyName("status")]
    public V1VolumeSnapshotLocationStatus? Status { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
