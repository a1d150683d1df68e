using System.IO.Compression;

namespace Velero.Sdk.Archive;

/// <summary>Options of a <see cref="BackupArchiveWriter"/>.</summary>
public sealed class BackupArchiveWriterOptions
{
    /// <summary>
    /// The gzip level. Default <see cref="CompressionLevel.Optimal"/> (zlib level 6, what Velero's Go default level
    /// gives); <see cref="CompressionLevel.Fastest"/> is several times faster for a somewhat larger tarball.
    /// </summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    /// <summary>The clock of the entries' modification times (whole seconds, as Go's tar writer rounds). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How many cores compress at once (default: all). Above 1 the archive is written as consecutive gzip members of about
    /// 1 MB each, compressed in parallel: one valid gzip stream that Velero, gzip and tar read as usual. 1 writes a single member.
    /// </summary>
    public int CompressionParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Whether the destination stream stays open after the writer is completed or disposed. Default <see langword="false"/>.</summary>
    public bool LeaveOpen { get; set; }
}
