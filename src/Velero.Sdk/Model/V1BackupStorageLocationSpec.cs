using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a BackupStorageLocation: an object storage bucket that holds backups.
/// </summary>
public sealed class V1BackupStorageLocationSpec
{
    /// <summary>
    /// Name of the object store provider, e.g. <c>velero.io/aws</c> or <c>aws</c> (required).
    /// </summary>
    [JsonPropertyName("provider")]
    public string? Provider { get; set; }

    /// <summary>
    /// Provider-specific configuration (e.g. <c>region</c>, <c>s3Url</c>, <c>s3ForcePathStyle</c>).
    /// </summary>
    [JsonPropertyName("config")]
    public IDictionary<string, string>? Config { get; set; }

    /// <summary>
    /// Key of a Secret in the Velero namespace holding the provider credentials.
    /// </summary>
    [JsonPropertyName("credential")]
    public V1SecretKeySelector? Credential { get; set; }

    /// <summary>
    /// The bucket and prefix (required).
    /// </summary>
    [JsonPropertyName("objectStorage")]
    public V1ObjectStorageLocation? ObjectStorage { get; set; }

    /// <summary>
    /// Whether this is the default location. Absent means <see langword="false"/>.
    /// </summary>
    [JsonPropertyName("default")]
    public bool? Default { get; set; }

    /// <summary>
    /// Access mode: <see cref="BackupStorageLocationAccessMode.ReadWrite"/> (default) or <see
    /// cref="BackupStorageLocationAccessMode.ReadOnly"/>.
    /// </summary>
    [JsonPropertyName("accessMode")]
    public string? AccessMode { get; set; }

    /// <summary>
    /// How often to sync backups from object storage; absent means the server default, <c>0s</c>
    /// disables sync. A Go duration string such as <c>"720h0m0s"</c>, kept verbatim so that round
    /// trips are exact; use <see cref="GoDuration"/> to convert it to and from <see
    /// cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("backupSyncPeriod")]
    public string? BackupSyncPeriod { get; set; }

    /// <summary>
    /// How often to validate the location; absent means the server default, <c>0s</c> disables
    /// validation. A Go duration string such as <c>"720h0m0s"</c>, kept verbatim so that round
    /// trips are exact; use <see cref="GoDuration"/> to convert it to and from <see
    /// cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("validationFrequency")]
    public string? ValidationFrequency { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
