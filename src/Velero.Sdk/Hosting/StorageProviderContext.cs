using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Hosting;

/// <summary>
/// What an object-store or volume-snapshotter provider gets to build a store for a BackupStorageLocation or a snapshotter for
/// a VolumeSnapshotLocation: the location's name, provider, bucket and config (with <c>credentialsFile</c> set to a file
/// holding the Secret key the location names, as Velero passes credentials to its plugins).
/// </summary>
public sealed class StorageProviderContext
{
    internal StorageProviderContext(string locationName, string provider, string? bucket, IReadOnlyDictionary<string, string> config, ILoggerFactory loggerFactory)
    {
        LocationName = locationName;
        Provider = provider;
        Bucket = bucket;
        Config = config;
        LoggerFactory = loggerFactory;
    }

    /// <summary>The location's name.</summary>
    public string LocationName { get; }

    /// <summary>The provider named by the location (<c>spec.provider</c>).</summary>
    public string Provider { get; }

    /// <summary>The bucket (<c>spec.objectStorage.bucket</c>; null for snapshot locations).</summary>
    public string? Bucket { get; }

    /// <summary>The location's <c>spec.config</c>, plus <c>credentialsFile</c> when the location names a credential.</summary>
    public IReadOnlyDictionary<string, string> Config { get; }

    /// <summary>The host's logger factory.</summary>
    public ILoggerFactory LoggerFactory { get; }
}
