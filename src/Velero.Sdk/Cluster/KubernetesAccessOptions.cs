namespace Velero.Sdk.Cluster;

/// <summary>How Velero.Sdk talks to the Kubernetes API: politeness limits, retries and list paging.</summary>
public sealed class KubernetesAccessOptions
{
    /// <summary>Client-side queries per second (Velero's default: 100). Zero or less lifts the limit.</summary>
    public double Qps { get; set; } = 100;

    /// <summary>Client-side burst (Velero's default: 100).</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Items per list page (Velero's default: 500). Zero lists without paging.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Attempts per request for 429, 5xx and network failures (with backoff; <c>Retry-After</c> honoured).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry delay; it doubles with each attempt, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts (also caps <c>Retry-After</c>).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
}
