using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// Init containers added to a restored pod.
/// </summary>
public sealed class V1InitRestoreHook
{
    /// <summary>
    /// The init containers, as raw Kubernetes <c>Container</c> JSON objects (kept raw so that every
    /// container field survives a round trip).
    /// </summary>
    [JsonPropertyName("initContainers")]
    public IList<JsonElement>? InitContainers { get; set; }

    /// <summary>
    /// How long to wait for the init containers. A Go duration string such as <c>"720h0m0s"</c>,
    /// kept verbatim so that round trips are exact; use <see cref="GoDuration"/> to convert it to
    /// and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("timeout")]
    public string? Timeout { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
