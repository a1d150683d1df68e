namespace Velero.Sdk.Testing;

/// <summary>
/// A fault that the server injects into matching requests: a delay, an error answer, or both.
/// </summary>
public sealed class FaultRule
{
    /// <summary>The Kubernetes verb to match (<c>get</c>, <c>list</c>, <c>watch</c>, <c>create</c>, <c>update</c>, <c>patch</c>, <c>delete</c>, <c>deletecollection</c>), or null for every verb.</summary>
    public string? Verb { get; init; }

    /// <summary>The resource (plural, optionally <c>plural.group</c> or <c>plural/subresource</c>) to match, or null for every resource.</summary>
    public string? Resource { get; init; }

    /// <summary>A delay added before the request is served (real time).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>The error to answer with: 429, 500 or 503 (any other 4xx/5xx code is answered as a generic Status). 0: no error.</summary>
    public int StatusCode { get; init; }

    /// <summary>The share of matching requests that fail, from 0 to 1 (default 1: all of them).</summary>
    public double Rate { get; init; } = 1;

    /// <summary>The <c>Retry-After</c> seconds sent with a 429 (default 1).</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>How many times the rule may fire before it retires (null: unlimited).</summary>
    public int? MaxCount { get; init; }

    internal int Fired;
}
