using System.Text.Json.Nodes;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Writes a run's progress to its resource at most once a second (as Velero does), the latest value only; the patches run
/// one at a time in the background so the engine never waits for the API server.
/// </summary>
internal sealed class ProgressPatcher<T>(Func<T, JsonObject> toPatch, Func<JsonObject, Task> patch) : IProgress<T>, IDisposable
    where T : class
{
    private readonly CancellationTokenSource _stop = new();
    private T? _latest;
    private Task? _loop;

    public void Report(T value)
    {
        Interlocked.Exchange(ref _latest, value);
        if (_loop is null)
        {
            lock (_stop)
            {
                _loop ??= Task.Run(LoopAsync);
            }
        }
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            if (Interlocked.Exchange(ref _latest, null) is { } value)
            {
                try
                {
                    await patch(toPatch(value)).ConfigureAwait(false);
                }
                catch (VeleroException)
                {
                    // Progress is best effort; the final status is written by the run.
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Stops writing (the final status follows), waiting for a patch in flight.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }
    }

    public void Dispose() => _stop.Dispose();
}
