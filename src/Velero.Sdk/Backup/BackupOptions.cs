using System.IO.Compression;

namespace Velero.Sdk.Backup;

/// <summary>How backups run.</summary>
public sealed class BackupOptions
{
    /// <summary>Item blocks backed up at once (Velero's <c>--item-block-worker-count</c> is 1; parallel is faster).</summary>
    public int ItemBlockWorkers { get; set; } = 8;

    /// <summary>The archive's gzip level (Velero uses the default level; <see cref="CompressionLevel.Fastest"/> trades size for speed).</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    /// <summary>Retention of backups whose spec has no TTL (Velero's default: 720h).</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromHours(720);

    /// <summary>Where the archive is staged before upload; the system temp folder when null.</summary>
    public string? TempDirectory { get; set; }

    /// <summary>How many of a backup's item keys stay in memory before the rest go to a file in <see cref="TempDirectory"/> (tests set it low).</summary>
    internal int ItemKeysInMemory { get; set; } = ItemKeySet.DefaultMemoryKeys;

    /// <summary>The default VolumeSnapshotLocation per provider, used when a provider has several and the backup names none.</summary>
    public IDictionary<string, string> DefaultVolumeSnapshotLocations { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
