using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a VolumeSnapshotLocation: where and how volume snapshots are taken.
/// </summary>
public sealed class V1VolumeSnapshotLocationSpec
{
    /// <summary>
    /// Name of the volume snapshotter provider, e.g. <c>velero.io/aws</c> (required).
    /// </summary>
    [JsonPropertyName("provider")]
    public string? Provider { get; set; }

    /// <summary>
    /// Provider-specific configuration (e.g. <c>region</c>).
    /// </summary>
    [JsonPropertyName("config")]
    public IDictionary<string, string>? Config { get; set; }

    /// <summary>
    /// Key of a Secret in the Velero namespace holding the provider credentials.
    /// </summary>
    [JsonPropertyName("credential")]
    public V1SecretKeySelector? Credential { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
