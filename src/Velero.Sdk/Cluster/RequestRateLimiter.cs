namespace Velero.Sdk.Cluster;

/// <summary>A client-side token bucket (queries per second with a burst), as client-go's flow control.</summary>
internal sealed class RequestRateLimiter
{
    private readonly double _qps;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _tokens;
    private long _last;

    public RequestRateLimiter(double qps, int burst, TimeProvider time)
    {
        _qps = qps;
        _burst = Math.Max(1, burst);
        _time = time;
        _tokens = _burst;
        _last = time.GetTimestamp();
    }

    /// <summary>True when the limiter never waits (QPS not positive).</summary>
    public bool Unlimited => _qps <= 0;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (Unlimited)
        {
            return;
        }

        TimeSpan wait;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + (_time.GetElapsedTime(_last, now).TotalSeconds * _qps));
            _last = now;
            _tokens -= 1;
            wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _qps);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }
}
