using System.Formats.Tar;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Velero.Sdk.Model;

namespace Velero.Sdk.Archive;

/// <summary>
/// Reads a Velero backup tarball (<c>&lt;backup&gt;.tar.gz</c>, format 1.0.0 or 1.1.0, written by Velero, by
/// <see cref="BackupArchiveWriter"/> or by any tar tool: USTAR, PAX, GNU long names) safely, for a restore.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="OpenAsync"/> reads the whole archive in one streaming pass and validates every entry before it returns, so
/// a hostile or damaged archive is refused as a whole and a restore creates nothing. Refused, with a message naming the
/// entry, are:
/// </para>
/// <list type="bullet">
/// <item>paths that are absolute, contain a <c>..</c> segment (whether or not it would leave the root:
/// <c>resources/../resources-evil</c> is refused too), a backslash or a drive letter
/// (<see cref="VeleroErrorCode.PathTraversal"/>);</item>
/// <item>symbolic and hard links, devices, FIFOs and other special entries;</item>
/// <item>entries larger than <see cref="BackupArchiveReaderOptions.MaxEntrySize"/>, more than
/// <see cref="BackupArchiveReaderOptions.MaxEntries"/> entries, PAX headers or GNU long names over 1 MiB;</item>
/// <item>more than <see cref="BackupArchiveReaderOptions.MaxTotalSize"/> uncompressed bytes, or a compression ratio above
/// <see cref="BackupArchiveReaderOptions.MaxCompressionRatio"/> (decompression bombs);</item>
/// <item>data that is not gzip, corrupt gzip (checksum), a gzip stream that is truncated (even inside its trailer) or
/// followed by other data, and truncated or malformed tar (<see cref="VeleroErrorCode.InvalidArchive"/>). The archive must
/// be one gzip member, as Velero, Go, GNU tar and Python write it; concatenated gzip members are refused.</item>
/// </list>
/// <para>
/// Directory entries and PAX global headers are accepted. A failure to read the source stream is
/// <see cref="VeleroErrorCode.StorageFailure"/>, not a verdict on the archive.
/// </para>
/// <para>
/// Memory stays flat whatever the archive's size: during the pass the bytes of each item file are appended to one data
/// file in a private temporary folder (mode 0700; the file is unlinked at once on Unix, so nothing is left behind even
/// if the process dies), never to a path taken from the archive. The index is a 20-byte record per item file and its name
/// as UTF-8; when the pass ends, each directory's records are sorted and written to a record file in the same folder, so
/// an open reader keeps only the names in memory (plus at most 1,000 warnings; the item objects are made when asked for).
/// Items and records are read with positional reads, from any number of threads.
/// Disposing the reader deletes the data and the folder.
/// </para>
/// <para>
/// Items are indexed as Velero's restore finds them: <c>resources/&lt;groupResource&gt;/cluster/&lt;name&gt;.json</c> and
/// <c>resources/&lt;groupResource&gt;/namespaces/&lt;ns&gt;/&lt;name&gt;.json</c> (the flat layout, <see cref="GetItems(string)"/>),
/// and the same under version directories (<see cref="GetVersionDirectories"/>, for <c>EnableAPIGroupVersions</c>).
/// Anything else is ignored with a warning in <see cref="Warnings"/>, as Velero logs it; an archive without
/// <c>resources/</c> gives Velero's warning <c>zero items to be restored: directory "&lt;dir&gt;/resources": does not exist</c>.
/// When a path occurs twice, the later entry wins, as when extracting.
/// </para>
/// </remarks>
public sealed class BackupArchiveReader : IDisposable, IAsyncDisposable
{
    private const int MaxVersionFileSize = 4096;
    private const int MaxWarnings = 1000;

    private readonly Dictionary<string, ResourceIndex> _resources = new(StringComparer.Ordinal);
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly HashSet<string> _warningSet = new(StringComparer.Ordinal);
    private readonly FileStream _data;
    private readonly Dictionary<(string GroupResource, string? Namespace, string? VersionDirectory), BackupArchiveItem.Scope> _scopes = [];
    private readonly Collections.RecordFile _records; // the index's records, sorted by directory and name, once the reader is open
    private readonly Collections.NameFile _nameFile; // the index's names, written as the archive is read
    private long _indexedItems;

    /// <summary>How many items the index holds (flat and version directories): every <see cref="BackupArchiveItem.Ordinal"/> is below it.</summary>
    internal long IndexedItems => _indexedItems;
    private SafeFileHandle? _handle;
    private bool _indexVersions = true;
    private string[] _groupResources = [];
    private int _disposed;

    private BackupArchiveReader(string directory, FileStream data)
    {
        ExtractionDirectory = directory;
        _data = data;
        _records = new Collections.RecordFile(Path.Combine(directory, "index.records"));
        _nameFile = new Collections.NameFile(new Collections.RecordFile(Path.Combine(directory, "index.names")));
    }

    /// <summary>The private folder of this reader (Velero's extraction folder); deleted on dispose.</summary>
    public string ExtractionDirectory { get; }

    /// <summary>The content of <c>metadata/version</c> without surrounding white space (e.g. <c>1.1.0</c>); <see langword="null"/> when absent.</summary>
    public string? FormatVersion { get; private set; }

    /// <summary>Whether the archive has a <c>resources/</c> directory; without it a restore has nothing to do.</summary>
    public bool HasResources { get; private set; }

    /// <summary>
    /// What was ignored (unexpected files and directories, duplicate paths) and, without <c>resources/</c>, Velero's
    /// <c>zero items to be restored</c> warning. Velero only logs the former; it records the latter in the restore's results.
    /// </summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The group-resource directories under <c>resources/</c>, sorted (e.g. <c>deployments.apps</c>, <c>pods</c>).</summary>
    public IReadOnlyList<string> GroupResources => _groupResources;

    /// <summary>How many flat item files the archive holds (the items a restore considers).</summary>
    public int ItemCount { get; private set; }

    /// <summary>How many tar entries the archive holds.</summary>
    public long EntryCount { get; private set; }

    /// <summary>The size of the reader's data file (the item files' bytes).</summary>
    internal long DataLength => _data.Length;

    /// <summary>The size of the reader's record file (the index's records, once the reader is open).</summary>
    internal long IndexRecordBytes => _records.Length;

    /// <summary>The size of the reader's name file (the index's names).</summary>
    internal long IndexNameBytes => _nameFile.File.Length;

    /// <summary>
    /// Reads and validates the whole of <paramref name="archive"/> (a gzipped tar, read to its end, not disposed) and
    /// returns the reader over its items.
    /// </summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.PathTraversal"/> or <see cref="VeleroErrorCode.InvalidArchive"/> when the archive is
    /// refused (see the remarks of <see cref="BackupArchiveReader"/>); <see cref="VeleroErrorCode.StorageFailure"/> when
    /// reading <paramref name="archive"/> or writing the temporary folder fails.
    /// </exception>
    public static async Task<BackupArchiveReader> OpenAsync(
        Stream archive, BackupArchiveReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        options ??= new BackupArchiveReaderOptions();
        var reader = CreateScratch(options);
        try
        {
            await reader.IndexAsync(archive, options, cancellationToken).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>The namespaces that hold flat items of <paramref name="groupResource"/>, sorted.</summary>
    public IReadOnlyList<string> GetNamespaces(string groupResource) =>
        _resources.TryGetValue(groupResource, out var index) ? index.Flat.SortedNamespaces : [];

    /// <summary>Every flat item of <paramref name="groupResource"/>: cluster-scoped ones first, then by namespace; each group sorted by name.</summary>
    public IReadOnlyList<BackupArchiveItem> GetItems(string groupResource) =>
        _resources.TryGetValue(groupResource, out var index) ? index.Flat.All : [];

    /// <summary>The flat items of <paramref name="groupResource"/> in <paramref name="namespace"/> (<see langword="null"/>: cluster-scoped), sorted by name.</summary>
    public IReadOnlyList<BackupArchiveItem> GetItems(string groupResource, string? @namespace) =>
        _resources.TryGetValue(groupResource, out var index) ? index.Flat.Scope(@namespace) : [];

    /// <summary>
    /// The item <paramref name="name"/> of <paramref name="groupResource"/> in <paramref name="namespace"/>
    /// (<see langword="null"/>: cluster-scoped), from the flat layout or from <paramref name="versionDirectory"/>;
    /// <see langword="null"/> when absent.
    /// </summary>
    public BackupArchiveItem? FindItem(string groupResource, string? @namespace, string name, string? versionDirectory = null)
    {
        if (!_resources.TryGetValue(groupResource, out var index))
        {
            return null;
        }

        var set = versionDirectory is null ? index.Flat : index.Versions.GetValueOrDefault(versionDirectory);
        return set?.Find(@namespace, name);
    }

    /// <summary>
    /// The version directories of <paramref name="groupResource"/>, sorted (e.g. <c>v1-preferredversion</c>, <c>v2beta2</c>);
    /// empty for format 1.0.0 archives.
    /// </summary>
    public IReadOnlyList<string> GetVersionDirectories(string groupResource) =>
        _resources.TryGetValue(groupResource, out var index) ? index.SortedVersions : [];

    /// <summary>Every item of <paramref name="groupResource"/> under <paramref name="versionDirectory"/>, ordered as <see cref="GetItems(string)"/>.</summary>
    public IReadOnlyList<BackupArchiveItem> GetVersionedItems(string groupResource, string versionDirectory) =>
        _resources.TryGetValue(groupResource, out var index) && index.Versions.TryGetValue(versionDirectory, out var set) ? set.All : [];

    /// <summary>Reads the bytes of <paramref name="item"/> (its JSON). Safe to call from several threads.</summary>
    /// <exception cref="ArgumentException">The item comes from another reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public Task<byte[]> ReadItemAsync(BackupArchiveItem item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<byte[]>(cancellationToken);
        }

        try
        {
            var buffer = new byte[item.Length];
            ReadItem(item, buffer);
            return Task.FromResult(buffer);
        }
        catch (Exception e)
        {
            return Task.FromException<byte[]>(e);
        }
    }

    /// <summary>
    /// Reads the bytes of <paramref name="item"/> into the start of <paramref name="destination"/> (at least
    /// <see cref="BackupArchiveItem.Length"/> long), for callers that bring a pooled buffer. The reader's own local data
    /// file: a synchronous read costs less than a hop to the thread pool.
    /// </summary>
    internal void ReadItem(BackupArchiveItem item, Span<byte> destination)
    {
        var handle = HandleFor(item);
        var buffer = destination[..(int)item.Length];
        var done = 0;
        while (done < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[done..], item.Offset + done);
            if (read == 0)
            {
                throw new VeleroException(VeleroErrorCode.StorageFailure, $"the reader's data file ended early reading \"{item.Path}\"");
            }

            done += read;
        }
    }

    /// <summary>Opens a read-only stream over the bytes of <paramref name="item"/>; streams are independent of each other.</summary>
    /// <exception cref="ArgumentException">The item comes from another reader.</exception>
    /// <exception cref="ObjectDisposedException">The reader was disposed.</exception>
    public Stream OpenItem(BackupArchiveItem item) => new BlobRegionStream(HandleFor(item), item.Offset, item.Length);

    /// <summary>Deletes the private folder and its data file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _data.Dispose();
        _records.Dispose();
        _nameFile.File.Dispose();
        try
        {
            Directory.Delete(ExtractionDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; the data file itself is deleted on close.
        }
    }

    /// <summary>Deletes the private folder and its data file.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static BackupArchiveReader CreateScratch(BackupArchiveReaderOptions options)
    {
        var root = options.TempDirectory ?? Path.GetTempPath();
        string directory;
        FileStream data;
        try
        {
            directory = Path.Combine(root, "velero-archive-" + Guid.NewGuid().ToString("N"));
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            // Unlinked at once: the open handle keeps the data, and nothing is left behind if the process dies.
            data = Collections.UnlinkedFile.Create(Path.Combine(directory, "items.data"), bufferSize: 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"cannot create the temporary folder of a backup archive reader under \"{root}\": {e.Message}", e);
        }

        return new BackupArchiveReader(directory, data);
    }

    private BackupArchiveItem.Scope ScopeOf(string groupResource, string? @namespace, string? versionDirectory)
    {
        var key = (groupResource, @namespace, versionDirectory);
        if (!_scopes.TryGetValue(key, out var scope))
        {
            _scopes[key] = scope = new BackupArchiveItem.Scope(this, groupResource, @namespace, versionDirectory);
        }

        return scope;
    }

    private SafeFileHandle HandleFor(BackupArchiveItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!ReferenceEquals(item.Owner, this))
        {
            throw new ArgumentException("The item belongs to another backup archive reader.", nameof(item));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _handle ?? _data.SafeFileHandle;
    }

    private async Task IndexAsync(Stream archive, BackupArchiveReaderOptions options, CancellationToken cancellationToken)
    {
        _indexVersions = options.IndexVersionDirectories;
        var compressed = new CompressedInputStream(archive);
        var tarStream = new GuardedDecompressionStream(compressed, options);
        await using (tarStream.ConfigureAwait(false))
        {
            // TarReader keeps every entry's data stream until it is disposed (to dispose them too): over hundreds of
            // thousands of entries that is tens of MB. A fresh reader is taken every few thousand entries, at an entry's
            // end, so what the index holds stays flat in the entry count.
            var tar = new TarReader(tarStream, leaveOpen: true);
            try
            {
                string? current = null;
                int sinceFresh = 0;
                while (true)
                {
                    TarEntry? entry;
                    try
                    {
                        entry = await tar.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
                    {
                        throw Refusal(e, current, reading: "the next entry");
                    }

                    if (entry is null)
                    {
                        break;
                    }

                    current = entry.Name;
                    EntryCount++;
                    if (EntryCount > options.MaxEntries)
                    {
                        throw Refuse(
                            VeleroErrorCode.InvalidArchive,
                            string.Create(CultureInfo.InvariantCulture, $"it has more than {options.MaxEntries} entries (entry \"{current}\")"));
                    }

                    try
                    {
                        await ProcessAsync(entry, options, cancellationToken).ConfigureAwait(false);
                        if (++sinceFresh == options.FreshTarReaderEvery)
                        {
                            await SkipToNextHeaderAsync(entry, tarStream, cancellationToken).ConfigureAwait(false);
                            await tar.DisposeAsync().ConfigureAwait(false);
                            tar = new TarReader(tarStream, leaveOpen: true);
                            sinceFresh = 0;
                        }
                    }
                    catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
                    {
                        throw Refusal(e, current, reading: null);
                    }
                }

                if (tarStream.BytesRead == 0)
                {
                    throw Refuse(VeleroErrorCode.InvalidArchive, "it holds no tar data (an empty or truncated gzip stream)");
                }

                // Read what follows the end-of-archive marker (padding) to its end, so the gzip checksum is verified.
                try
                {
                    var buffer = new byte[16 * 1024];
                    while (await tarStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
                    {
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
                {
                    throw Refusal(e, current, reading: "the end of the archive");
                }

                // .NET's gzip decoder ends silently when its input stops early, even inside the trailer; compare the
                // trailer's size field with what was decompressed (this also refuses data after the gzip stream).
                if (compressed.TrailerSize != (uint)tarStream.BytesRead)
                {
                    throw Refuse(
                        VeleroErrorCode.InvalidArchive,
                        $"the gzip stream is truncated or followed by other data: its trailer does not match the decompressed size (after entry \"{current}\")");
                }
            }
            finally
            {
                await tar.DisposeAsync().ConfigureAwait(false);
            }
        }

        await _data.FlushAsync(cancellationToken).ConfigureAwait(false);
        _handle = _data.SafeFileHandle; // taken once: each access of FileStream.SafeFileHandle costs a seek
        try
        {
            Seal();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error writing the temporary index of a backup archive reader: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads what is left of <paramref name="entry"/>'s data and the padding to the next 512-byte block from
    /// <paramref name="tarStream"/>, where the tar reader would skip them when asked for the next entry: a new reader can
    /// then start at the next header.
    /// </summary>
    private static async Task SkipToNextHeaderAsync(TarEntry entry, Stream tarStream, CancellationToken cancellationToken)
    {
        if (entry.DataStream is { } data)
        {
            await data.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        int padding = TarHeaders.Padding(entry.Length);
        if (padding > 0)
        {
            var buffer = new byte[TarHeaders.BlockSize];
            await tarStream.ReadExactlyAsync(buffer.AsMemory(0, padding), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(TarEntry entry, BackupArchiveReaderOptions options, CancellationToken cancellationToken)
    {
        if (entry.EntryType == TarEntryType.GlobalExtendedAttributes)
        {
            return;
        }

        var name = entry.Name;
        var segments = SplitPath(name);
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                break;
            case TarEntryType.Directory:
                ClassifyDirectory(segments);
                return;
            case TarEntryType.SymbolicLink:
                throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" is a symbolic link (to \"{entry.LinkName}\"); links are not allowed");
            case TarEntryType.HardLink:
                throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" is a hard link (to \"{entry.LinkName}\"); links are not allowed");
            case TarEntryType.BlockDevice or TarEntryType.CharacterDevice:
                throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" is a device; only regular files and directories are allowed");
            case TarEntryType.Fifo:
                throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" is a FIFO; only regular files and directories are allowed");
            default:
                throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" has the unsupported type {entry.EntryType}; only regular files and directories are allowed");
        }

        // An item is read whole into one array, so no limit goes past the largest array.
        long maxEntrySize = Math.Min(options.MaxEntrySize, Array.MaxLength);
        if (entry.Length > maxEntrySize)
        {
            throw Refuse(
                VeleroErrorCode.InvalidArchive,
                string.Create(CultureInfo.InvariantCulture, $"entry \"{name}\" is {entry.Length} bytes, more than the limit of {maxEntrySize} bytes per entry"));
        }

        if (segments.Length == 0)
        {
            throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" is a file without a name");
        }

        var target = ClassifyFile(segments, name);
        if (target is { VersionDirectory: not null } && !_indexVersions)
        {
            // Checked above like any entry; its bytes are skipped by the tar reader.
        }
        else if (target is { } t)
        {
            var offset = _data.Position;
            var length = await CopyDataAsync(entry, cancellationToken).ConfigureAwait(false);
            var index = Resource(t.GroupResource);
            var set = t.VersionDirectory is null ? index.Flat : index.Version(t.VersionDirectory);
            set.Add(t.Namespace, t.FileName, offset, length);
        }
        else if (segments is [VeleroConstants.MetadataDir, "version"])
        {
            FormatVersion = await ReadVersionAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<long> CopyDataAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.DataStream is null || entry.Length == 0)
        {
            return 0;
        }

        var before = _data.Position;
        await entry.DataStream.CopyToAsync(_data, cancellationToken).ConfigureAwait(false);
        var copied = _data.Position - before;
        if (copied != entry.Length)
        {
            throw new EndOfStreamException(string.Create(CultureInfo.InvariantCulture, $"expected {entry.Length} bytes of data, found {copied}"));
        }

        return copied;
    }

    private async Task<string?> ReadVersionAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        if (entry.DataStream is null || entry.Length == 0)
        {
            return string.Empty;
        }

        if (entry.Length > MaxVersionFileSize)
        {
            Warn(string.Create(CultureInfo.InvariantCulture, $"Ignoring \"{BackupArchivePaths.VersionFile}\": it is {entry.Length} bytes long"));
            return null;
        }

        var buffer = new byte[entry.Length];
        await entry.DataStream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer).Trim();
    }

    /// <summary>Splits an entry name into its segments, refusing any path that is absolute or could leave the root.</summary>
    private static string[] SplitPath(string name)
    {
        if (name.Length == 0)
        {
            throw Refuse(VeleroErrorCode.InvalidArchive, "an entry has an empty name");
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw Refuse(VeleroErrorCode.InvalidArchive, $"entry \"{name}\" has a NUL character in its name");
        }

        if (name[0] == '/')
        {
            throw Refuse(VeleroErrorCode.PathTraversal, $"entry \"{name}\" has an absolute path");
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            throw Refuse(VeleroErrorCode.PathTraversal, $"entry \"{name}\" has a backslash in its path");
        }

        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && parts[0].Length == 2 && parts[0][1] == ':' && char.IsAsciiLetter(parts[0][0]))
        {
            throw Refuse(VeleroErrorCode.PathTraversal, $"entry \"{name}\" has an absolute path (drive letter)");
        }

        var count = 0;
        foreach (var part in parts)
        {
            if (part == "..")
            {
                throw Refuse(VeleroErrorCode.PathTraversal, $"entry \"{name}\" has a '..' path segment and could escape the archive root");
            }

            if (part != ".")
            {
                parts[count++] = part;
            }
        }

        return count == parts.Length ? parts : parts[..count];
    }

    private (string GroupResource, string? Namespace, string FileName, string? VersionDirectory)? ClassifyFile(string[] s, string name)
    {
        if (s[0] == VeleroConstants.MetadataDir)
        {
            return null;
        }

        if (s[0] != VeleroConstants.ResourcesDir)
        {
            Warn(s.Length == 1 ? $"Ignoring unexpected file \"{s[0]}\" in the archive root" : $"Ignoring unexpected directory \"{s[0]}\" in the archive root");
            return null;
        }

        if (s.Length == 1)
        {
            Warn($"Ignoring unexpected file \"{name}\" in the archive root");
            return null;
        }

        HasResources = true;
        if (s.Length == 2)
        {
            Warn($"Ignoring unexpected file \"{s[1]}\" in directory \"{VeleroConstants.ResourcesDir}\"");
            return null;
        }

        var groupResource = Intern(s[1]);
        Resource(groupResource);
        var at = 2;
        string? version = null;
        if (s[2] is not VeleroConstants.ClusterScopedDir and not VeleroConstants.NamespaceScopedDir)
        {
            if (s.Length == 3)
            {
                Warn($"Ignoring unexpected file \"{s[2]}\" in directory \"{Join(s, 2)}\"");
                return null;
            }

            version = Intern(s[2]);
            if (_indexVersions)
            {
                Resource(groupResource).Version(version);
            }

            at = 3;
        }

        if (s[at] == VeleroConstants.ClusterScopedDir)
        {
            if (s.Length == at + 2)
            {
                return (groupResource, null, s[at + 1], version);
            }

            Warn(s.Length == at + 1
                ? $"Ignoring unexpected file \"{s[at]}\" in directory \"{Join(s, at)}\""
                : $"Ignoring unexpected subdirectory \"{s[at + 1]}\" in directory \"{Join(s, at + 1)}\"");
            return null;
        }

        if (s[at] == VeleroConstants.NamespaceScopedDir)
        {
            if (s.Length == at + 3)
            {
                return (groupResource, Intern(s[at + 1]), s[at + 2], version);
            }

            Warn(s.Length switch
            {
                var n when n == at + 1 => $"Ignoring unexpected file \"{s[at]}\" in directory \"{Join(s, at)}\"",
                var n when n == at + 2 => $"Ignoring unexpected file \"{s[at + 1]}\" in directory \"{Join(s, at + 1)}\"",
                _ => $"Ignoring unexpected subdirectory \"{s[at + 2]}\" in directory \"{Join(s, at + 2)}\"",
            });
            return null;
        }

        Warn(s.Length == at + 1
            ? $"Ignoring unexpected file \"{s[at]}\" in directory \"{Join(s, at)}\""
            : $"Ignoring unexpected subdirectory \"{s[at]}\" in directory \"{Join(s, at)}\"");
        return null;
    }

    private void ClassifyDirectory(string[] s)
    {
        if (s.Length == 0 || s[0] == VeleroConstants.MetadataDir)
        {
            return;
        }

        if (s[0] != VeleroConstants.ResourcesDir)
        {
            Warn($"Ignoring unexpected directory \"{s[0]}\" in the archive root");
            return;
        }

        HasResources = true;
        if (s.Length >= 2)
        {
            var index = Resource(Intern(s[1]));
            if (_indexVersions && s.Length >= 3 && s[2] is not VeleroConstants.ClusterScopedDir and not VeleroConstants.NamespaceScopedDir)
            {
                index.Version(Intern(s[2]));
            }
        }
    }

    private ResourceIndex Resource(string groupResource)
    {
        if (!_resources.TryGetValue(groupResource, out var index))
        {
            index = new ResourceIndex(this, groupResource);
            _resources.Add(groupResource, index);
        }

        return index;
    }

    private void Seal()
    {
        _nameFile.Flush();
        foreach (var index in _resources.Values)
        {
            index.Seal(item => Warn($"Duplicate entry \"{item.Path}\": the last one is used"));
            ItemCount += index.Flat.All.Count;
        }

        _groupResources = [.. _resources.Keys.Order(StringComparer.Ordinal)];
        _strings.Clear();
        _strings.TrimExcess();
        if (!HasResources)
        {
            // Not subject to the cap: this one matters (Velero records it in the restore's results).
            _warnings.Add($"zero items to be restored: directory \"{Path.Combine(ExtractionDirectory, VeleroConstants.ResourcesDir)}\": does not exist");
        }
    }

    /// <summary>Numbers <paramref name="count"/> items of the index; returns the first number.</summary>
    private long ReserveOrdinals(int count)
    {
        long first = _indexedItems;
        _indexedItems += count;
        return first;
    }

    private string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var existing))
        {
            return existing;
        }

        _strings.Add(value);
        return value;
    }

    private void Warn(string message)
    {
        // Bounded, so that an archive of a million odd files cannot grow the reader's memory.
        if (_warningSet.Count < MaxWarnings)
        {
            if (_warningSet.Add(message))
            {
                _warnings.Add(message);
            }
        }
        else if (_warningSet.Count == MaxWarnings && _warningSet.Add(string.Empty))
        {
            _warnings.Add(string.Create(CultureInfo.InvariantCulture, $"More than {MaxWarnings} warnings; the rest are not reported"));
        }
    }

    private static string Join(string[] segments, int count) => string.Join('/', segments, 0, count);

    private static VeleroException Refuse(VeleroErrorCode code, string reason) =>
        new(code, "invalid backup archive: " + reason);

    private static VeleroException Refusal(Exception e, string? entry, string? reading)
    {
        var where = entry is null ? "at its start" : reading is null ? $"in entry \"{entry}\"" : $"after entry \"{entry}\"";
        if (e is ArchiveStreamException stream)
        {
            return stream.Failure switch
            {
                ArchiveStreamFailure.Limit => new VeleroException(VeleroErrorCode.InvalidArchive, $"invalid backup archive: {stream.Message} ({where})", e),
                ArchiveStreamFailure.CorruptGzip => new VeleroException(VeleroErrorCode.InvalidArchive, $"invalid backup archive: {stream.Message} ({where})", e),
                _ => new VeleroException(VeleroErrorCode.StorageFailure, $"error reading the backup archive ({where}): {stream.Message}", e),
            };
        }

        if (e is IOException and not EndOfStreamException and not FileNotFoundException)
        {
            // Writing the reader's own data file failed.
            return new VeleroException(VeleroErrorCode.StorageFailure, $"error writing the temporary data of a backup archive reader ({where}): {e.Message}", e);
        }

        var what = e is EndOfStreamException ? "truncated tar data" : "malformed tar data";
        return new VeleroException(VeleroErrorCode.InvalidArchive, $"invalid backup archive: {what} {where}: {e.Message}", e);
    }

    private sealed class ResourceIndex(BackupArchiveReader reader, string groupResource)
    {
        public ItemSet Flat { get; } = new(reader._records, reader._nameFile, reader.ReserveOrdinals, ns => reader.ScopeOf(groupResource, ns, null));

        public Dictionary<string, ItemSet> Versions { get; } = new(StringComparer.Ordinal);

        public string[] SortedVersions { get; private set; } = [];

        public ItemSet Version(string directory)
        {
            if (!Versions.TryGetValue(directory, out var set))
            {
                set = new ItemSet(reader._records, reader._nameFile, reader.ReserveOrdinals, ns => reader.ScopeOf(groupResource, ns, directory));
                Versions.Add(directory, set);
            }

            return set;
        }

        public void Seal(Action<BackupArchiveItem> duplicate)
        {
            Flat.Seal(duplicate);
            foreach (var set in Versions.Values)
            {
                set.Seal(duplicate);
            }

            SortedVersions = [.. Versions.Keys.Order(StringComparer.Ordinal)];
        }
    }
}
