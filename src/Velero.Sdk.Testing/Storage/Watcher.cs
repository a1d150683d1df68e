using System.Threading.Channels;

namespace Velero.Sdk.Testing.Storage;

/// <summary>One open watch: the store offers it every event of its resource; the connection filters and writes them.</summary>
internal sealed class Watcher : IDisposable
{
    private readonly Channel<WatchEvent> _events = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _dropped = new();

    public Watcher(string storageKey) => StorageKey = storageKey;

    public string StorageKey { get; }

    /// <summary>The store's resourceVersion when the watch was registered.</summary>
    public long StartResourceVersion { get; set; }

    public ChannelReader<WatchEvent> Events => _events.Reader;

    /// <summary>Cancelled when the server drops the connection (fault injection or shutdown).</summary>
    public CancellationToken Dropped => _dropped.Token;

    public void Offer(WatchEvent e) => _events.Writer.TryWrite(e);

    public void Dispose() => _dropped.Dispose();

    public void Drop()
    {
        _events.Writer.TryComplete();
        try
        {
            _dropped.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
