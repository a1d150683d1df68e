namespace Velero.Sdk.Backup;

/// <summary>Where a backup writes its items (the archive).</summary>
internal interface IItemSink
{
    /// <summary>Writes one item (the caller writes each path once) (its JSON is <paramref name="head"/> then <paramref name="tail"/>) at its flat path and its <c>&lt;version&gt;-preferredversion</c> path.</summary>
    Task WriteItemAsync(string groupResource, string? ns, string name, string version, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail, CancellationToken cancellationToken);
}
