namespace Velero.Sdk.Backup;

/// <summary>
/// A backup that is running: await <see cref="WaitForCompletionAsync"/> for its result, read <see cref="LatestProgress"/>
/// meanwhile. Like Azure's long-running operations.
/// </summary>
public sealed class BackupOperation
{
    private readonly Task<BackupResult> _task;
    private BackupProgress? _latest;

    internal BackupOperation(string name, Func<IProgress<BackupProgress>, Task<BackupResult>> run, IProgress<BackupProgress>? progress)
    {
        Name = name;
        var relay = new Relay(this, progress);
        _task = Task.Run(() => run(relay));
    }

    /// <summary>The backup's name.</summary>
    public string Name { get; }

    /// <summary>True once the backup has finished (in any phase).</summary>
    public bool HasCompleted => _task.IsCompleted;

    /// <summary>The most recent progress report, or null before the first.</summary>
    public BackupProgress? LatestProgress => Volatile.Read(ref _latest);

    /// <summary>Waits for the backup to finish and returns its result. Cancelling the wait does not cancel the backup.</summary>
    public Task<BackupResult> WaitForCompletionAsync(CancellationToken cancellationToken = default) => _task.WaitAsync(cancellationToken);

    private sealed class Relay(BackupOperation owner, IProgress<BackupProgress>? inner) : IProgress<BackupProgress>
    {
        public void Report(BackupProgress value)
        {
            Volatile.Write(ref owner._latest, value);
            inner?.Report(value);
        }
    }
}
