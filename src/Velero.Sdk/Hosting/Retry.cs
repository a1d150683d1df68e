namespace Velero.Sdk.Hosting;

/// <summary>How the watch loops and controllers wait after a failure.</summary>
internal static class Retry
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Exponential backoff from 500 ms to 30 s with ±25 % jitter, so many hosts do not retry in step.</summary>
    public static TimeSpan Backoff(int failures)
    {
        var baseMs = Math.Min(MaxBackoff.TotalMilliseconds, 500 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromMilliseconds(baseMs * (0.75 + (Random.Shared.NextDouble() * 0.5)));
    }
}
