using System.Collections.Concurrent;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Hosting;

/// <summary>An in-memory store whose tarball uploads wait until the test opens the gate (so a backup stays InProgress).</summary>
internal sealed class GatedObjectStore(InMemoryObjectStore inner) : ForwardingObjectStore(inner)
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How many tarball uploads each backup started (a backup run twice would show 2).</summary>
    public ConcurrentDictionary<string, int> TarballAttempts { get; } = new(StringComparer.Ordinal);

    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        if (key.EndsWith(".tar.gz", StringComparison.Ordinal))
        {
            TarballAttempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            Waiting.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }

        await Inner.PutAsync(key, content, cancellationToken);
    }
}
