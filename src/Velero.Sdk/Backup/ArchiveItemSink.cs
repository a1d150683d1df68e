using Velero.Sdk.Archive;

namespace Velero.Sdk.Backup;

/// <summary>
/// Writes a backup's items to its archive, in the cluster's preferred version (flat and versioned paths). The backup run
/// writes each path once (its item table marks the written keys), so the writer keeps no table of its own.
/// </summary>
internal sealed class ArchiveItemSink(BackupArchiveWriter writer) : IItemSink
{
    public Task WriteItemAsync(string groupResource, string? ns, string name, string version, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail, CancellationToken cancellationToken) =>
        writer.WriteItemPartsAsync(groupResource, ns, name, version, isPreferredVersion: true, head, tail, cancellationToken, checkPath: false);
}
