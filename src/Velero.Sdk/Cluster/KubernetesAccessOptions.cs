namespace Velero.Sdk.Cluster;

/// <summary>How Velero.Sdk talks to the Kubernetes API: politeness limits, retries and list paging.</summary>
public sealed class KubernetesAccessOptions
{
    /// <summary>Client-side queries per second (Velero's default: 100). Zero or less lifts the limit.</summary>
    public double Qps { get; set; } = 100;

    /// <summary>Client-side burst (Velero's default: 100).</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// Items per list page, at most (Velero's default: 500). Zero lists without paging. Pages are also held to about
    /// <see cref="PageBytes"/>.
    /// </summary>
    public int PageSize { get; set; } = 500;

    /// <summary>
    /// About how many bytes a list page holds (default 1 MiB), so that memory does not grow with the size of the objects:
    /// 500 objects of 1 MB would be a 500 MB page. A list's first page asks for one item per 16 KiB of this (64 by default;
    /// the average size seen earlier in the same backup when the type was listed before); each later page asks for as many
    /// items of the average size seen so far as fit, at least one and at most <see cref="PageSize"/>. Zero or less turns
    /// it off: every page asks for <see cref="PageSize"/> items.
    /// </summary>
    public int PageBytes { get; set; } = 1 << 20;

    /// <summary>Attempts per request for 429, 5xx and network failures (with backoff; <c>Retry-After</c> honoured).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry delay; it doubles with each attempt, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts (also caps <c>Retry-After</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
