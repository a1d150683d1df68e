using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a DownloadRequest.
/// </summary>
public sealed class V1DownloadRequestStatus
{
    /// <summary>
    /// The current phase; one of the <see cref="DownloadRequestPhase"/> values.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// Pre-signed URL from which the file can be downloaded.
    /// </summary>
    [JsonPropertyName("downloadURL")]
    public string? DownloadURL { get; set; }

    /// <summary>
    /// When the download URL expires. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("expiration")]
    public DateTime? Expiration { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
