namespace Velero.Sdk.Archive;

/// <summary>
/// Limits and scratch space of a <see cref="BackupArchiveReader"/>. An archive that exceeds a limit is refused as a whole
/// (<see cref="VeleroErrorCode.InvalidArchive"/>) before any item is handed out.
/// </summary>
public sealed class BackupArchiveReaderOptions
{
    /// <summary>
    /// The largest entry accepted, in bytes. Default 64 MiB (Kubernetes objects are limited to about 1.5 MiB by etcd). A
    /// value above <see cref="Array.MaxLength"/> counts as that (an item is read whole).
    /// </summary>
    public long MaxEntrySize { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// The most tar entries accepted (files and directories). Default 10,000,000: each backed-up object is two entries (its
    /// flat path and its preferred-version path), so this takes a backup of about five million objects.
    /// </summary>
    public int MaxEntries { get; set; } = 10_000_000;

    /// <summary>The most uncompressed bytes of tar data accepted (headers and padding included). Default 32 GiB.</summary>
    public long MaxTotalSize { get; set; } = 32L * 1024 * 1024 * 1024;

    /// <summary>
    /// The highest ratio of uncompressed to compressed bytes accepted, checked once
    /// <see cref="CompressionRatioThreshold"/> uncompressed bytes were read; 0 turns the check off. Default 200 (tarballs of
    /// JSON compress about 5 to 30 times; a decompression bomb of zeros about 1000 times).
    /// </summary>
    public double MaxCompressionRatio { get; set; } = 200;

    /// <summary>How many uncompressed bytes to read before <see cref="MaxCompressionRatio"/> is enforced. Default 64 MiB.</summary>
    public long CompressionRatioThreshold { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Whether the copies under version directories (<c>&lt;version&gt;-preferredversion</c> and other versions) are kept and
    /// indexed for <see cref="BackupArchiveReader.GetVersionedItems"/>. Default <see langword="true"/>. A reader that only
    /// reads the flat copies (a restore without API group versions) sets it to <see langword="false"/>: those entries are
    /// still checked like every other entry, but their bytes are not kept, which halves the reader's memory and disk use.
    /// </summary>
    public bool IndexVersionDirectories { get; set; } = true;

    /// <summary>
    /// Where the reader makes its private folder (mode 0700 on Unix) holding the items' bytes while the reader is open;
    /// <see langword="null"/> for the system's temporary folder. The folder is deleted on dispose and when the archive is refused.
    /// </summary>
    public string? TempDirectory { get; set; }

    /// <summary>Entries read by one tar reader before a fresh one takes over (it holds each entry's data stream until disposed).</summary>
    internal int FreshTarReaderEvery { get; init; } = 4096;
}
