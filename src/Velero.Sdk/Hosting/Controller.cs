using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Diagnostics;

namespace Velero.Sdk.Hosting;

/// <summary>
/// A reconcile loop: names are queued (once each while pending) by watch events and by a periodic source, and reconciled
/// one at a time; a reconcile that throws is retried after a backoff with jitter.
/// </summary>
internal abstract class Controller(string name, ServerContext context)
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>The controller's name, as Velero's <c>--disable-controllers</c> spells it.</summary>
    public string Name => name;

    protected ServerContext Context => context;

    protected ILogger Logger => context.Logger;

    protected TimeProvider Time => context.Time;

    /// <summary>How often every cached object is offered again (null: never).</summary>
    protected virtual TimeSpan? ResyncPeriod => null;

    /// <summary>The names the periodic source offers.</summary>
    protected virtual IEnumerable<string> PeriodicNames() => [];

    /// <summary>Subscribes to the informers (called once, before the loop starts).</summary>
    protected abstract void Subscribe();

    protected abstract Task ReconcileAsync(string key, CancellationToken cancellationToken);

    /// <summary>Queues a name unless it is already waiting.</summary>
    public void Enqueue(string key)
    {
        lock (_pending)
        {
            if (!_pending.Add(key))
            {
                return;
            }
        }

        _queue.Writer.TryWrite(key);
    }

    private ITimer? _timer;

    /// <summary>
    /// Subscribes to the informers, starts the periodic source and queues what it offers now; called before the host says it
    /// is ready, so no event and no tick is missed.
    /// </summary>
    public void Prepare()
    {
        Subscribe();
        if (ResyncPeriod is { } period && period > TimeSpan.Zero)
        {
            _timer = Time.CreateTimer(_ => EnqueuePeriodic(), null, period, period);
        }

        EnqueuePeriodic();
    }

    /// <summary>Reconciles queued names one at a time until cancelled (after <see cref="Prepare"/>).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var timer = _timer;
        try
        {
            await foreach (var key in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_pending)
                {
                    _pending.Remove(key);
                }

                using var activity = Telemetry.Source.StartActivity("velero.reconcile " + name);
                activity?.SetTag("velero.controller", name);
                activity?.SetTag("velero.object", key);
                try
                {
                    await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                    _failures.Remove(key);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A controller outlives any one failed reconcile: it is logged and retried.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    var failures = _failures[key] = _failures.GetValueOrDefault(key) + 1;
                    var delay = Retry.Backoff(failures);
                    Log.ReconcileFailed(Logger, e, name, key, delay);
                    context.Telemetry.ReconcileErrors.Add(1, new KeyValuePair<string, object?>("controller", name));
                    _ = RequeueLaterAsync(key, delay, cancellationToken);
                }
            }
        }
        finally
        {
            if (timer is not null)
            {
                await timer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void EnqueuePeriodic()
    {
        foreach (var key in PeriodicNames())
        {
            Enqueue(key);
        }
    }

    private async Task RequeueLaterAsync(string key, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            Enqueue(key);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
