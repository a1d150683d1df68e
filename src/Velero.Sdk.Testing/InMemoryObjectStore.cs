using System.Runtime.CompilerServices;

using Velero.Sdk.Storage;

namespace Velero.Sdk.Testing;

/// <summary>
/// An <see cref="ObjectStore"/> in memory, for tests: keys are validated like <see cref="FileSystemObjectStore"/>'s,
/// listings are sorted like S3's, every upload is recorded in order (<see cref="PutLog"/>), and faults can be injected
/// into uploads, downloads and deletions. Safe for concurrent use.
/// </summary>
/// <remarks>
/// An injected upload fault reads the content to its end (as a failing network upload would) and then throws without
/// storing anything. Faults stay armed until <see cref="ClearFaults"/>, except <see cref="FailNthPut"/>, which fires once.
/// </remarks>
public sealed class InMemoryObjectStore : ObjectStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, byte[]> _objects = new(Utf8OrdinalComparer.Instance);
    private readonly List<string> _putLog = [];
    private readonly List<string> _deleteLog = [];
    private readonly List<(Func<string, bool> Predicate, Func<string, Exception> Error)> _putFaults = [];
    private readonly List<(Func<string, bool> Predicate, Func<string, Exception> Error)> _getFaults = [];
    private readonly List<(Func<string, bool> Predicate, Func<string, Exception> Error)> _deleteFaults = [];
    private int _putAttempts;
    private int _failPutNumber;

    /// <summary>Keys of successful uploads, in the order they completed (a key uploaded twice appears twice).</summary>
    public IReadOnlyList<string> PutLog
    {
        get
        {
            lock (_lock)
            {
                return [.. _putLog];
            }
        }
    }

    /// <summary>Keys passed to <see cref="DeleteAsync"/> that were deleted (or already absent), in order.</summary>
    public IReadOnlyList<string> DeleteLog
    {
        get
        {
            lock (_lock)
            {
                return [.. _deleteLog];
            }
        }
    }

    /// <summary>How many uploads were attempted, successful or not.</summary>
    public int PutAttempts => Volatile.Read(ref _putAttempts);

    /// <summary>Every stored key, sorted.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _objects.Keys];
            }
        }
    }

    /// <summary>The content of <paramref name="key"/>, or <see langword="null"/> when absent.</summary>
    public byte[]? GetBytes(string key)
    {
        lock (_lock)
        {
            return _objects.TryGetValue(key, out var value) ? value : null;
        }
    }

    /// <summary>Stores <paramref name="content"/> at <paramref name="key"/> directly, bypassing faults and the log.</summary>
    public void SetBytes(string key, byte[] content)
    {
        ObjectKeys.Validate(key);
        lock (_lock)
        {
            _objects[key] = content;
        }
    }

    /// <summary>Makes every upload whose key matches <paramref name="predicate"/> fail.</summary>
    /// <param name="predicate">Which keys fail.</param>
    /// <param name="error">The exception to throw for a key; default an <see cref="IOException"/> naming the key.</param>
    public void FailPuts(Func<string, bool> predicate, Func<string, Exception>? error = null)
    {
        lock (_lock)
        {
            _putFaults.Add((predicate, error ?? DefaultError("upload")));
        }
    }

    /// <summary>Makes the <paramref name="n"/>-th upload attempt from now (1-based) fail, once.</summary>
    public void FailNthPut(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        lock (_lock)
        {
            _failPutNumber = _putAttempts + n;
        }
    }

    /// <summary>Makes every download whose key matches <paramref name="predicate"/> fail.</summary>
    public void FailGets(Func<string, bool> predicate, Func<string, Exception>? error = null)
    {
        lock (_lock)
        {
            _getFaults.Add((predicate, error ?? DefaultError("download")));
        }
    }

    /// <summary>Makes every deletion whose key matches <paramref name="predicate"/> fail.</summary>
    public void FailDeletes(Func<string, bool> predicate, Func<string, Exception>? error = null)
    {
        lock (_lock)
        {
            _deleteFaults.Add((predicate, error ?? DefaultError("delete")));
        }
    }

    /// <summary>Disarms every injected fault.</summary>
    public void ClearFaults()
    {
        lock (_lock)
        {
            _putFaults.Clear();
            _getFaults.Clear();
            _deleteFaults.Clear();
            _failPutNumber = 0;
        }
    }

    /// <inheritdoc />
    public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        var attempt = Interlocked.Increment(ref _putAttempts);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_failPutNumber == attempt)
            {
                _failPutNumber = 0;
                throw new IOException($"injected fault: upload #{attempt} (\"{key}\") failed");
            }

            ThrowIfFaulted(_putFaults, key);
            _objects[key] = buffer.ToArray();
            _putLog.Add(key);
        }
    }

    /// <inheritdoc />
    public override Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_lock)
        {
            return Task.FromResult(_objects.ContainsKey(key));
        }
    }

    /// <inheritdoc />
    public override Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_lock)
        {
            ThrowIfFaulted(_getFaults, key);
            if (!_objects.TryGetValue(key, out var value))
            {
                throw new VeleroException(VeleroErrorCode.NotFound, $"object \"{key}\" not found");
            }

            return Task.FromResult<Stream>(new MemoryStream(value, writable: false));
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
        lock (_lock)
        {
            prefixes = ObjectKeys.CommonPrefixes(_objects.Keys, prefix, delimiter);
        }

        foreach (var item in prefixes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        await Task.Yield();
        List<string> keys;
        lock (_lock)
        {
            keys = _objects.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }

        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return key;
        }
    }

    /// <inheritdoc />
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        lock (_lock)
        {
            ThrowIfFaulted(_deleteFaults, key);
            _objects.Remove(key);
            _deleteLog.Add(key);
        }

        return Task.CompletedTask;
    }

    /// <summary>Returns <c>memory:///&lt;key&gt;</c>; the key need not exist (as with S3, signing does not check).</summary>
    public override Task<Uri> CreateSignedUrlAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        return Task.FromResult(new Uri("memory:///" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString))));
    }

    private static void ThrowIfFaulted(List<(Func<string, bool> Predicate, Func<string, Exception> Error)> faults, string key)
    {
        foreach (var (predicate, error) in faults)
        {
            if (predicate(key))
            {
                throw error(key);
            }
        }
    }

    private static Func<string, Exception> DefaultError(string operation) =>
        key => new IOException($"injected fault: {operation} of \"{key}\" failed");
}
