using Velero.Sdk.Archive;

namespace Velero.Sdk.Backup;

/// <summary>Writes a backup's items to its archive, in the cluster's preferred version (flat and versioned paths).</summary>
internal sealed class ArchiveItemSink(BackupArchiveWriter writer) : IItemSink
{
    public Task WriteItemAsync(string groupResource, string? ns, string name, string version, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        writer.WriteItemAsync(groupResource, ns, name, version, isPreferredVersion: true, json, cancellationToken);
}
