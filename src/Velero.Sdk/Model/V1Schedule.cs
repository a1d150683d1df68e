using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// A Velero Schedule (<c>velero.io/v1</c>, kind <c>Schedule</c>): Backups created repeatedly on a
/// cron schedule.
/// </summary>
[KubernetesEntity(Group = KubeGroup, ApiVersion = KubeApiVersion, Kind = KubeKind, PluralName = KubePluralName)]
public sealed class V1Schedule : IKubernetesObject<V1ObjectMeta>, ISpec<V1ScheduleSpec>, IStatus<V1ScheduleStatus?>
{
    /// <summary>
    /// The API version of this resource, without the group: <c>v1</c>.
    /// </summary>
    public const string KubeApiVersion = VeleroConstants.Version;

    /// <summary>
    /// The kind of this resource: <c>Schedule</c>.
    /// </summary>
    public const string KubeKind = "Schedule";

    /// <summary>
    /// The API group of this resource: <c>velero.io</c>.
    /// </summary>
    public const string KubeGroup = VeleroConstants.Group;

    /// <summary>
    /// The plural resource name used in API paths: <c>schedules</c>.
    /// </summary>
    public const string KubePluralName = "schedules";

    /// <summary>
    /// Initializes a new instance with <see cref="ApiVersion"/> <c>velero.io/v1</c>, <see
    /// cref="Kind"/> <c>Schedule</c>, and empty <see cref="Metadata"/> and <see cref="Spec"/>.
    /// </summary>
    public V1Schedule()
    {
        ApiVersion = VeleroConstants.ApiVersion;
        Kind = KubeKind;
        Metadata = new V1ObjectMeta();
        Spec = new V1ScheduleSpec();
    }

    /// <summary>
    /// The versioned schema of this object: <c>velero.io/v1</c>.
    /// </summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; }

    /// <summary>
    /// The kind of this object: <c>Schedule</c>.
    /// </summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; }

    /// <summary>
    /// Standard Kubernetes object metadata (name, namespace, labels, annotations, ...).
    /// </summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; }

    /// <summary>
    /// The cron expression and the Backup template.
    /// </summary>
    [JsonPropertyName("spec")]
    public V1ScheduleSpec Spec { get; set; }

    /// <summary>
    /// The observed state of the schedule.
    /// </summary>
    [JsonPropertyName("status")]
    public V1ScheduleStatus? Status { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
