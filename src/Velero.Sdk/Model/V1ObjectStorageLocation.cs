using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Velero.Sdk.Model;

/// <summary>
/// The object storage bucket (and optional prefix) of a BackupStorageLocation.
/// </summary>
public sealed class V1ObjectStorageLocation
{
    /// <summary>
    /// The bucket name (required).
    /// </summary>
    [JsonPropertyName("bucket")]
    public string? Bucket { get; set; }

    /// <summary>
    /// Optional prefix (folder) within the bucket under which Velero stores its data.
    /// </summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; set; }

    /// <summary>
    /// Deprecated: a PEM CA bundle used to verify TLS connections, base64 encoded on the wire. Use
    /// <see cref="CaCertRef"/>.
    /// </summary>
    [JsonPropertyName("caCert")]
    public byte[]? CaCert { get; set; }

    /// <summary>
    /// Key of a Secret holding the CA bundle used to verify TLS connections. Mutually exclusive
    /// with <see cref="CaCert"/>.
    /// </summary>
    [JsonPropertyName("caCertRef")]
    public V1SecretKeySelector? CaCertRef { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
