using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// The desired state of a DownloadRequest.
/// </summary>
public sealed class V1DownloadRequestSpec
{
    /// <summary>
    /// What to download (required).
    /// </summary>
    [JsonPropertyName("target")]
    public V1DownloadTarget? Target { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
