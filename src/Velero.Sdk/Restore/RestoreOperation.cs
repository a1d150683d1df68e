namespace Velero.Sdk.Restore;

/// <summary>
/// A restore that is running: await <see cref="WaitForCompletionAsync"/> for its result, read <see cref="LatestProgress"/>
/// meanwhile.
/// </summary>
public sealed class RestoreOperation
{
    private readonly Task<RestoreResult> _task;
    private RestoreProgress? _latest;

    internal RestoreOperation(string name, Func<IProgress<RestoreProgress>, Task<RestoreResult>> run, IProgress<RestoreProgress>? progress)
    {
        Name = name;
        var relay = new Relay(this, progress);
        _task = Task.Run(() => run(relay));
    }

    /// <summary>The restore's name.</summary>
    public string Name { get; }

    /// <summary>True once the restore has finished (in any phase).</summary>
    public bool HasCompleted => _task.IsCompleted;

    /// <summary>The most recent progress report, or null before the first.</summary>
    public RestoreProgress? LatestProgress => Volatile.Read(ref _latest);

    /// <summary>Waits for the restore to finish and returns its result. Cancelling the wait does not cancel the restore.</summary>
    public Task<RestoreResult> WaitForCompletionAsync(CancellationToken cancellationToken = default) => _task.WaitAsync(cancellationToken);

    private sealed class Relay(RestoreOperation owner, IProgress<RestoreProgress>? inner) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress value)
        {
            Volatile.Write(ref owner._latest, value);
            inner?.Report(value);
        }
    }
}
