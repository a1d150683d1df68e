using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// A command run in a container of a pod during backup.
/// </summary>
public sealed class V1ExecHook
{
    /// <summary>
    /// The container to run the command in; empty means the first container of the pod.
    /// </summary>
    [JsonPropertyName("container")]
    public string? Container { get; set; }

    /// <summary>
    /// The command and its arguments (at least one element).
    /// </summary>
    [JsonPropertyName("command")]
    public IList<string>? Command { get; set; }

    /// <summary>
    /// What to do when the command fails: <see cref="HookErrorMode.Continue"/> or <see
    /// cref="HookErrorMode.Fail"/>.
    /// </summary>
    [JsonPropertyName("onError")]
    public string? OnError { get; set; }

    /// <summary>
    /// How long to wait for the command. A Go duration string such as <c>"720h0m0s"</c>, kept
    /// verbatim so that round trips are exact; use <see cref="GoDuration"/> to convert it to and
    /// from <see cref="TimeSpan"/>. <c>0</c> or absent means 30 seconds.
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
