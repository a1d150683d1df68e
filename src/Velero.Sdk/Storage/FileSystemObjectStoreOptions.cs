namespace Velero.Sdk.Storage;

/// <summary>Options of a <see cref="FileSystemObjectStore"/>.</summary>
public sealed class FileSystemObjectStoreOptions
{
    /// <summary>
    /// The folder that is the bucket (required). It is created on the first upload when missing. The folder itself is
    /// trusted: symbolic links placed inside it by someone else are not guarded against.
    /// </summary>
    public string RootPath { get; set; } = string.Empty;

    /// <summary>
    /// Whether every upload is flushed to disk (<c>fsync</c>) before it is renamed into place, so that a crash never
    /// leaves a torn object behind. Default <see langword="true"/>; turn off only for throw-away data such as tests.
    /// </summary>
    public bool FlushToDisk { get; set; } = true;
}
