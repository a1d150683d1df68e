using System.Runtime.CompilerServices;

namespace Velero.Sdk.Storage;

/// <summary>
/// An <see cref="ObjectStore"/> over a local folder (Velero.Sdk's <c>filesystem</c> storage provider): the folder is the
/// bucket and the key <c>a/b/c</c> is the file <c>&lt;root&gt;/a/b/c</c>. Safe for concurrent use.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Uploads are atomic: content goes to a hidden temporary file in the target folder (<c>.velero-tmp-*</c>), is flushed
/// to disk (see <see cref="FileSystemObjectStoreOptions.FlushToDisk"/>) and is then renamed over the target, so readers see
/// the old object or the new one, never a partial one. Temporary files never appear in listings, and keys whose segments
/// start with <c>.velero-tmp-</c> are refused.</item>
/// <item>Keys are checked before any file access: an empty key, a leading <c>/</c>, an empty, <c>.</c> or <c>..</c>
/// segment, a backslash or a NUL is refused with <see cref="VeleroErrorCode.PathTraversal"/> naming the key.</item>
/// <item>Listings are sorted by UTF-8 bytes, as S3 lists; common prefixes are computed as S3 computes them (a folder
/// with no object below it is not a prefix).</item>
/// <item>Deleting a missing key succeeds; deleting the last object of a folder removes the now-empty folders up to the
/// root.</item>
/// <item><see cref="CreateSignedUrlAsync"/> returns the object's <c>file://</c> URI: there is nothing to sign, and the
/// time to live is ignored.</item>
/// <item>File-system errors are reported as <see cref="VeleroException"/> with <see cref="VeleroErrorCode.StorageFailure"/>.</item>
/// </list>
/// </remarks>
public sealed class FileSystemObjectStore : ObjectStore
{
    internal const string TempFilePrefix = ".velero-tmp-";

    private static readonly EnumerationOptions ListOptions = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    private static readonly EnumerationOptions ChildOptions = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    private readonly string _root;
    private readonly bool _flushToDisk;

    /// <summary>Creates a store whose bucket is the folder <paramref name="rootPath"/>.</summary>
    /// <param name="rootPath">The folder; created on the first upload when missing.</param>
    public FileSystemObjectStore(string rootPath)
        : this(new FileSystemObjectStoreOptions { RootPath = rootPath })
    {
    }

    /// <summary>Creates a store from <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="FileSystemObjectStoreOptions.RootPath"/> is empty.</exception>
    public FileSystemObjectStore(FileSystemObjectStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            throw new ArgumentException("The root path of a file-system object store must not be empty.", nameof(options));
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath));
        _flushToDisk = options.FlushToDisk;
    }

    /// <summary>The full path of the folder that is the bucket.</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, TempFilePrefix + Guid.NewGuid().ToString("N"));
        try
        {
            FileStream file;
            for (var attempt = 1; ; attempt++)
            {
                Directory.CreateDirectory(directory);
                try
                {
                    file = new FileStream(temp, new FileStreamOptions
                    {
                        Mode = FileMode.CreateNew,
                        Access = FileAccess.Write,
                        Share = FileShare.None,
                        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                        BufferSize = 0,
                    });
                    break;
                }
                catch (DirectoryNotFoundException) when (attempt < 5)
                {
                    // A concurrent delete removed the (then empty) folder between CreateDirectory and the create: retry.
                }
            }

            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, 81920, cancellationToken).ConfigureAwait(false);
                if (_flushToDisk)
                {
                    file.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw Failure("upload", key, e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <inheritdoc />
    public override Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(path));
    }

    /// <inheritdoc />
    public override Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            Stream stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
            return Task.FromResult(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException || (e is UnauthorizedAccessException && Directory.Exists(path)))
        {
            throw new VeleroException(VeleroErrorCode.NotFound, $"object \"{key}\" not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("read", key, e);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListCommonPrefixesAsync(
        string prefix, string delimiter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(delimiter);
        ObjectKeys.ValidatePrefix(prefix);
        await Task.Yield();
        List<string> prefixes;
        try
        {
            prefixes = delimiter == "/" ? ListChildDirectories(prefix, cancellationToken) : ObjectKeys.CommonPrefixes(ListKeys(prefix, cancellationToken), prefix, delimiter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("list", prefix, e);
        }

        foreach (var item in prefixes)
        {
            yield return item;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        await Task.Yield();
        List<string> keys;
        try
        {
            keys = ListKeys(prefix, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("list", prefix, e);
        }

        foreach (var key in keys)
        {
            yield return key;
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("delete", key, e);
        }

        RemoveEmptyParents(Path.GetDirectoryName(path)!);
        return Task.CompletedTask;
    }

    /// <summary>Returns the object's <c>file://</c> URI; <paramref name="ttl"/> is ignored (a local file needs no signature).</summary>
    public override Task<Uri> CreateSignedUrlAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Uri(PathOf(key)));

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        foreach (var segment in key.Split('/'))
        {
            if (segment.StartsWith(TempFilePrefix, StringComparison.Ordinal))
            {
                throw new VeleroException(
                    VeleroErrorCode.Invalid,
                    $"invalid object key \"{key}\": names starting with \"{TempFilePrefix}\" are reserved for temporary files");
            }
        }

        var path = Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new VeleroException(VeleroErrorCode.PathTraversal, $"invalid object key \"{key}\": it escapes the store's folder");
        }

        return path;
    }

    private (string Directory, string KeyPrefix, string NameFilter) Split(string prefix)
    {
        var slash = prefix.LastIndexOf('/');
        var keyPrefix = slash < 0 ? string.Empty : prefix[..(slash + 1)];
        var directory = keyPrefix.Length == 0 ? _root : Path.Combine(_root, keyPrefix[..^1].Replace('/', Path.DirectorySeparatorChar));
        return (directory, keyPrefix, prefix[(slash + 1)..]);
    }

    private List<string> ListKeys(string prefix, CancellationToken cancellationToken)
    {
        var (directory, _, _) = Split(prefix);
        var keys = new List<string>();
        if (!Directory.Exists(directory))
        {
            return keys;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*", ListOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Path.GetFileName(file).StartsWith(TempFilePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = KeyOf(file);
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }

        keys.Sort(Utf8OrdinalComparer.Instance);
        return keys;
    }

    private List<string> ListChildDirectories(string prefix, CancellationToken cancellationToken)
    {
        var (directory, keyPrefix, nameFilter) = Split(prefix);
        var prefixes = new List<string>();
        if (!Directory.Exists(directory))
        {
            return prefixes;
        }

        foreach (var child in Directory.EnumerateDirectories(directory, "*", ChildOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(child);
            if (name.StartsWith(nameFilter, StringComparison.Ordinal) && ContainsObject(child))
            {
                prefixes.Add(keyPrefix + name + "/");
            }
        }

        prefixes.Sort(Utf8OrdinalComparer.Instance);
        return prefixes;
    }

    private static bool ContainsObject(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", ListOptions))
        {
            if (!Path.GetFileName(file).StartsWith(TempFilePrefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string KeyOf(string file)
    {
        var relative = file[(_root.Length + 1)..];
        return Path.DirectorySeparatorChar == '/' ? relative : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private void RemoveEmptyParents(string directory)
    {
        while (directory.Length > _root.Length && directory.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            try
            {
                if (!Directory.Exists(directory) || Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    return;
                }

                // Not recursive: fails (and we stop) if a concurrent upload put something here meanwhile.
                Directory.Delete(directory, recursive: false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return;
            }

            directory = Path.GetDirectoryName(directory)!;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is hidden from listings.
        }
    }

    private static VeleroException Failure(string operation, string key, Exception inner) =>
        new(VeleroErrorCode.StorageFailure, $"file-system object store: {operation} of \"{key}\" failed: {inner.Message}", inner);
}
