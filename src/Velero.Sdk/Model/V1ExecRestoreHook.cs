using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Model;

/// <summary>
/// A command run in a container of a restored pod.
/// </summary>
public sealed class V1ExecRestoreHook
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
    /// How long to wait for the command once it started. A Go duration string such as
    /// <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use <see cref="GoDuration"/>
    /// to convert it to and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("execTimeout")]
    public string? ExecTimeout { get; set; }

    /// <summary>
    /// How long to wait for the container to become ready before running the command. A Go duration
    /// string such as <c>"720h0m0s"</c>, kept verbatim so that round trips are exact; use <see
    /// cref="GoDuration"/> to convert it to and from <see cref="TimeSpan"/>.
    /// </summary>
    [JsonPropertyName("waitTimeout")]
    public string? WaitTimeout { get; set; }

    /// <summary>
    /// Whether to wait for the container to be ready before running the command.
    /// </summary>
    [JsonPropertyName("waitForReady")]
    public bool? WaitForReady { get; set; }

    /// <summary>
    /// Fields present in the JSON that this model does not know (for example fields added by a
    /// newer Velero). They are kept here so that a read-modify-write round trip does not lose them.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
