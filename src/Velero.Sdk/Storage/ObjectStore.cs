namespace Velero.Sdk.Storage;

/// <summary>
/// A bucket of object storage, Velero's ObjectStore contract: keys are <c>/</c>-separated strings relative to the bucket.
/// Implementations: <c>FileSystemObjectStore</c> (a folder), the S3 store, and the in-memory store of
/// Velero.Sdk.Testing. Implementations must be safe for concurrent use.
/// </summary>
public abstract class ObjectStore
{
    /// <summary>Creates or overwrites the object at <paramref name="key"/> with the content of <paramref name="content"/> (read to its end).</summary>
    public abstract Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Whether an object exists at <paramref name="key"/>; false when it does not, an exception only for real failures.</summary>
    public abstract Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Opens the object at <paramref name="key"/> for reading; the caller disposes the stream.</summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.NotFound"/> when there is no such object.</exception>
    public abstract Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// S3-style delimiter listing: the distinct prefixes of keys under <paramref name="prefix"/> up to and including the next
    /// <paramref name="delimiter"/>, as full prefixes (e.g. <c>backups/b1/</c> for prefix <c>backups/</c>).
    /// </summary>
    public abstract IAsyncEnumerable<string> ListCommonPrefixesAsync(string prefix, string delimiter, CancellationToken cancellationToken = default);

    /// <summary>Every key under <paramref name="prefix"/>, recursively, as full keys.</summary>
    public abstract IAsyncEnumerable<string> ListKeysAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object at <paramref name="key"/>; deleting a missing object is not an error.</summary>
    public abstract Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>A pre-signed URL that lets anyone GET the object for <paramref name="ttl"/>.</summary>
    /// <exception cref="NotSupportedException">The store cannot sign URLs.</exception>
    public virtual Task<Uri> CreateSignedUrlAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot create signed URLs");
}
