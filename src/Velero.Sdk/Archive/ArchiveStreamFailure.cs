namespace Velero.Sdk.Archive;

/// <summary>What an <see cref="ArchiveStreamException"/> reports.</summary>
internal enum ArchiveStreamFailure
{
    /// <summary>A size or ratio limit was exceeded.</summary>
    Limit,

    /// <summary>The gzip data is corrupt.</summary>
    CorruptGzip,

    /// <summary>Reading the source stream failed (storage, network).</summary>
    Source,
}
