using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The observed state of a ServerStatusRequest: the server version and its plugins.
/// </summary>
public sealed class V1ServerStatusRequestStatus
{
    /// <summary>
    /// The current phase; one of the <see cref="ServerStatusRequestPhase"/> values.
    /// </summary>
    [JsonPropertyName("phase")]
    public string? Phase { get; set; }

    /// <summary>
    /// When the request was processed. RFC 3339 UTC time with second precision on the wire
    /// (Kubernetes <c>metav1.Time</c>).
    /// </summary>
    [JsonPropertyName("processedTimestamp")]
    public DateTime? ProcessedTimestamp { get; set; }

    /// <summary>
    /// The version of the server that processed the request.
    /// </summary>
    [JsonPropertyName("serverVersion")]
    public string? ServerVersion { get; set; }

    /// <summary>
    /// The plugins registered with the server.
    /// </summary>
    [JsonPropertyName("plugins")]
    public IList<V1PluginInfo>? Plugins { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
