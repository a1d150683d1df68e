using System.Collections.Concurrent;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Hosting;

/// <summary>An in-memory store whose tarball uploads wait until the test opens the gate (so a backup stays InProgress).</summary>
internal sealed class GatedObjectStore(InMemoryObjectStore inner) : ObjectStore
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

        await inner.PutAsync(key, content, cancellationToken);
    }

    public override Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => inner.ExistsAsync(key, cancellationToken);

    public override Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

    public override IAsyncEnumerable<string> ListCommonPrefixesAsync(string prefix, string delimiter, CancellationToken cancellationToken = default) =>
        inner.ListCommonPrefixesAsync(prefix, delimiter, cancellationToken);

    public override IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListKeysAsync(prefix, cancellationToken);

    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
