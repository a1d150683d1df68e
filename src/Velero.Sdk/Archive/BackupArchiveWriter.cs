using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Velero.Sdk.Model;

namespace Velero.Sdk.Archive;

/// <summary>
/// Writes a Velero backup tarball (format <c>1.1.0</c>) as a gzip stream, entry by entry, without buffering it: what a
/// backup uploads as <c>&lt;backup&gt;.tar.gz</c>. Safe for concurrent callers (writes are serialized).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>The first entry is <c>metadata/version</c> holding <c>1.1.0\n</c>; it is written before the first item (or on
/// completion when there is none).</item>
/// <item>Entries are regular files only (no directory entries), mode <c>0755</c>, uid and gid 0 without user or group names,
/// modification time from the <see cref="BackupArchiveWriterOptions.TimeProvider"/> in whole seconds. A header is USTAR
/// when the path fits (ASCII, file name at most 100 bytes, directory at most 155) and PAX otherwise (long or non-ASCII
/// paths), as Go's archive/tar chooses.</item>
/// <item>Each path is written at most once: <see cref="WriteItemAsync"/> of an item whose path (flat or versioned) was
/// already written writes nothing and returns <see langword="false"/>, so the caller can log it. Paths are remembered as
/// 64-bit keyed hashes in an open-addressed table, 11 to 21 bytes each.</item>
/// </list>
/// </remarks>
public sealed class BackupArchiveWriter : IAsyncDisposable, IDisposable
{
    private static readonly byte[] VersionContent = Encoding.ASCII.GetBytes(VeleroConstants.BackupFormatVersion + "\n");

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CompactHashSet _paths = new();
    private readonly TimeProvider _timeProvider;
    private readonly Stream _destination;
    private readonly bool _leaveOpen;
    private readonly Stream _gzip;
    private bool _versionWritten;
    private bool _completed;
    private bool _faulted;
    private long _itemCount;
    private long _entryCount;
    private long _contentBytes;

    /// <summary>Creates a writer that writes the gzipped tarball to <paramref name="destination"/>.</summary>
    public BackupArchiveWriter(Stream destination, BackupArchiveWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= new BackupArchiveWriterOptions();
        _destination = destination;
        _leaveOpen = options.LeaveOpen;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _gzip = options.CompressionParallelism > 1
            ? new ParallelGzipStream(destination, options.CompressionLevel, options.CompressionParallelism)
            : new GZipStream(destination, options.CompressionLevel, leaveOpen: true);
    }

    /// <summary>How many items were written (an item written under two paths counts once).</summary>
    public long ItemCount => Interlocked.Read(ref _itemCount);

    /// <summary>How many tar entries were written, <c>metadata/version</c> included.</summary>
    public long EntryCount => Interlocked.Read(ref _entryCount);

    /// <summary>How many content bytes were written into entries (before compression, headers excluded).</summary>
    public long ContentBytes => Interlocked.Read(ref _contentBytes);

    /// <summary>
    /// Writes one backed-up item. When <paramref name="isPreferredVersion"/> is <see langword="true"/> it is written twice,
    /// at the flat path every restore reads and under <c>&lt;version&gt;-preferredversion</c>; otherwise (another served
    /// version, with <c>EnableAPIGroupVersions</c>) only under <c>&lt;version&gt;</c>.
    /// </summary>
    /// <param name="groupResource">Plural resource and group, e.g. <c>deployments.apps</c>, or <c>pods</c> for the core group.</param>
    /// <param name="namespace">The item's namespace; <see langword="null"/> or empty for a cluster-scoped item.</param>
    /// <param name="name">The item's name.</param>
    /// <param name="version">The version of the item's <c>apiVersion</c> before item actions ran, e.g. <c>v1</c>.</param>
    /// <param name="isPreferredVersion">Whether <paramref name="version"/> is the cluster's preferred version of the group.</param>
    /// <param name="json">The item as JSON (Velero writes Go's compact <c>json.Marshal</c> output, no trailing newline).</param>
    /// <param name="cancellationToken">Cancels the write; the archive is then unusable.</param>
    /// <returns><see langword="true"/> if written; <see langword="false"/> if one of its paths was already written (nothing is written).</returns>
    /// <exception cref="ArgumentException">A name part cannot be a path segment (empty, <c>.</c>, <c>..</c>, or containing <c>/</c>, <c>\</c> or NUL), or
    /// <paramref name="version"/> ends with <c>-preferredversion</c> while <paramref name="isPreferredVersion"/> is <see langword="false"/>.</exception>
    /// <exception cref="InvalidOperationException">The writer was completed.</exception>
    public Task<bool> WriteItemAsync(
        string groupResource,
        string? @namespace,
        string name,
        string version,
        bool isPreferredVersion,
        ReadOnlyMemory<byte> json,
        CancellationToken cancellationToken = default) =>
        WriteItemPartsAsync(groupResource, @namespace, name, version, isPreferredVersion, default, json, cancellationToken);

    /// <summary>
    /// <see cref="WriteItemAsync(string, string?, string, string, bool, ReadOnlyMemory{byte}, CancellationToken)"/> with the
    /// item's JSON in two parts, <paramref name="head"/> then <paramref name="tail"/> (so a list item needs no copy). With
    /// <paramref name="checkPath"/> off the caller answers for writing each path once, and the writer keeps no table of paths.
    /// </summary>
    internal async Task<bool> WriteItemPartsAsync(
        string groupResource,
        string? @namespace,
        string name,
        string version,
        bool isPreferredVersion,
        ReadOnlyMemory<byte> head,
        ReadOnlyMemory<byte> tail,
        CancellationToken cancellationToken,
        bool checkPath = true)
    {
        BackupArchivePaths.CheckSegment(version, nameof(version));
        if (!isPreferredVersion && version.EndsWith(VeleroConstants.PreferredVersionDirSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The version \"{version}\" names a preferred-version directory; another served version is written under its own name.", nameof(version));
        }

        string? flatPath = isPreferredVersion ? BackupArchivePaths.GetItemPath(groupResource, @namespace, name) : null;
        var versionedPath = BackupArchivePaths.GetItemPath(
            groupResource, @namespace, name, isPreferredVersion ? BackupArchivePaths.PreferredVersionDirectory(version) : version);
        // One key per item: the flat path of a preferred version (its "-preferredversion" copy cannot meet another item's
        // path: no other version is written under such a directory), else the versioned path.
        var key = checkPath ? Hash(flatPath ?? versionedPath) : 0;

        // Headers are formatted before taking the lock, into two pooled blocks (a PAX header gets its own array); under the
        // lock only bytes are copied into the compressor, which copies them on, so the blocks go back to the pool after.
        long length = head.Length + tail.Length;
        var modified = Now();
        var blocks = ArrayPool<byte>.Shared.Rent(2 * TarHeaders.BlockSize);
        var flatHeader = flatPath is null ? default : TarHeaders.Header(flatPath, length, modified, blocks.AsMemory(0, TarHeaders.BlockSize));
        var versionedHeader = TarHeaders.Header(versionedPath, length, modified, blocks.AsMemory(TarHeaders.BlockSize, TarHeaders.BlockSize));
        int padding = TarHeaders.Padding(length);

        try
        {
            return await WriteHeadersAndDataAsync(key, checkPath, flatHeader, versionedHeader, head, tail, padding, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(blocks);
        }
    }

    private async Task<bool> WriteHeadersAndDataAsync(
        ulong key, bool checkPath, ReadOnlyMemory<byte> flatHeader, ReadOnlyMemory<byte> versionedHeader, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail, int padding, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            if (checkPath && _paths.Contains(key))
            {
                return false;
            }

            try
            {
                await EnsureVersionAsync(cancellationToken).ConfigureAwait(false);
                if (!flatHeader.IsEmpty)
                {
                    await WriteEntryAsync(flatHeader, head, tail, padding, cancellationToken).ConfigureAwait(false);
                }

                await WriteEntryAsync(versionedHeader, head, tail, padding, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // A half-written entry cannot be taken back: refuse further writes and never finish this archive.
                _faulted = true;
                throw;
            }

            if (checkPath)
            {
                _paths.Add(key);
            }

            Interlocked.Increment(ref _itemCount);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Finishes the archive: writes <c>metadata/version</c> if no item was written, the tar end marker and the gzip
    /// trailer, flushes, and closes the destination unless <see cref="BackupArchiveWriterOptions.LeaveOpen"/>. Idempotent.
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            if (_faulted)
            {
                _completed = true;
                await CloseDestinationAsync().ConfigureAwait(false);
                throw new InvalidOperationException("A write to the backup archive failed earlier; the archive is unusable and was not finished.");
            }

            await EnsureVersionAsync(cancellationToken).ConfigureAwait(false);
            _completed = true;
            await _gzip.WriteAsync(TarHeaders.EndOfArchive, cancellationToken).ConfigureAwait(false);
            await _gzip.DisposeAsync().ConfigureAwait(false);
            await _destination.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (!_leaveOpen)
            {
                await _destination.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Completes the archive (see <see cref="CompleteAsync"/>) if that was not done; after a failed write it only closes
    /// the destination (unless left open), leaving the archive unfinished.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            if (_faulted)
            {
                _completed = true;
                await CloseDestinationAsync().ConfigureAwait(false);
            }
            else
            {
                await CompleteAsync().ConfigureAwait(false);
            }
        }

        _gate.Dispose();
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        if (!_completed && _faulted)
        {
            _completed = true;
            if (!_leaveOpen)
            {
                _destination.Dispose();
            }
        }

        if (!_completed)
        {
            _gate.Wait();
            try
            {
                if (!_completed)
                {
                    if (!_versionWritten)
                    {
                        _gzip.Write(TarHeaders.Header(BackupArchivePaths.VersionFile, VersionContent.Length, Now()));
                        _gzip.Write(VersionContent);
                        _gzip.Write(TarHeaders.Zeros.AsSpan(0, TarHeaders.Padding(VersionContent.Length)));
                        _versionWritten = true;
                        Interlocked.Increment(ref _entryCount);
                        Interlocked.Add(ref _contentBytes, VersionContent.Length);
                    }

                    _completed = true;
                    _gzip.Write(TarHeaders.EndOfArchive);
                    _gzip.Dispose();
                    _destination.Flush();
                    if (!_leaveOpen)
                    {
                        _destination.Dispose();
                    }
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        _gate.Dispose();
    }

    /// <summary>Whether a path would be written as a USTAR header (else PAX), following Go's archive/tar.</summary>
    internal static bool FitsUstar(string path)
    {
        foreach (var c in path)
        {
            if (c >= 0x80 || c == 0)
            {
                return false;
            }
        }

        if (path.Length <= 100)
        {
            return true;
        }

        // Split at the last '/': directory into the 155-byte prefix field, file name into the 100-byte name field.
        // (Go may split at an earlier '/'; that only matters for file names over 100 bytes, which then get PAX here.)
        var slash = path.LastIndexOf('/');
        var nameLength = path.Length - slash - 1;
        return slash > 0 && slash <= 155 && nameLength is > 0 and <= 100;
    }

    private async ValueTask EnsureVersionAsync(CancellationToken cancellationToken)
    {
        if (_versionWritten)
        {
            return;
        }

        var header = TarHeaders.Header(BackupArchivePaths.VersionFile, VersionContent.Length, Now());
        await WriteEntryAsync(header, default, VersionContent, TarHeaders.Padding(VersionContent.Length), cancellationToken).ConfigureAwait(false);
        _versionWritten = true;
    }

    private async ValueTask WriteEntryAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> tail, int padding, CancellationToken cancellationToken)
    {
        await _gzip.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        if (!head.IsEmpty)
        {
            await _gzip.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        }

        await _gzip.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
        if (padding > 0)
        {
            await _gzip.WriteAsync(TarHeaders.Zeros.AsMemory(0, padding), cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _entryCount);
        Interlocked.Add(ref _contentBytes, head.Length + tail.Length);
    }

    private async ValueTask CloseDestinationAsync()
    {
        if (!_leaveOpen)
        {
            await _destination.DisposeAsync().ConfigureAwait(false);
        }
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(_timeProvider.GetUtcNow().ToUnixTimeSeconds());

    private void ThrowIfCompleted()
    {
        if (_faulted)
        {
            throw new InvalidOperationException("A write to the backup archive failed earlier; the archive is unusable.");
        }

        if (_completed)
        {
            throw new InvalidOperationException("The backup archive was completed; no more items can be written.");
        }
    }

    private static ulong Hash(string path) => KeyHash.Of(path);
}
