using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Turns BackupStorageLocations and VolumeSnapshotLocations into stores and snapshotters through the providers (built in:
/// <c>aws</c>/<c>velero.io/aws</c> and the folder store <c>filesystem</c>), caching each until its spec changes.
/// </summary>
internal sealed class Locations : IDisposable
{
    /// <summary>The folder store's provider name.</summary>
    public const string FileSystemProvider = "filesystem";

    private readonly ConcurrentDictionary<string, (string Key, BackupStore Store)> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Key, VolumeSnapshotter Snapshotter)> _snapshotters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<StorageProviderContext, ObjectStore>> _storeProviders;
    private readonly Dictionary<string, Func<StorageProviderContext, VolumeSnapshotter>> _snapshotProviders;
    private readonly VeleroResources _resources;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _credentialsFolder = Path.Combine(Path.GetTempPath(), "velero-sdk-credentials-" + Guid.NewGuid().ToString("N"));

    public Locations(
        VeleroResources resources,
        IReadOnlyDictionary<string, Func<StorageProviderContext, ObjectStore>> storeProviders,
        IReadOnlyDictionary<string, Func<StorageProviderContext, VolumeSnapshotter>> snapshotProviders,
        ILoggerFactory loggerFactory)
    {
        _resources = resources;
        _loggerFactory = loggerFactory;
        _storeProviders = new(StringComparer.Ordinal)
        {
            ["aws"] = c => S3ObjectStore.Create(c.Config, c.Bucket ?? string.Empty, loggerFactory: c.LoggerFactory),
            ["velero.io/aws"] = c => S3ObjectStore.Create(c.Config, c.Bucket ?? string.Empty, loggerFactory: c.LoggerFactory),
            [FileSystemProvider] = c => new FileSystemObjectStore(c.Config.TryGetValue("path", out var path) && path.Length > 0
                ? path
                : throw new VeleroException(VeleroErrorCode.Invalid, $"backup storage location {c.LocationName}: provider filesystem needs config key \"path\" (the bucket's folder)")),
        };
        foreach (var (name, factory) in storeProviders)
        {
            _storeProviders[name] = factory;
        }

        _snapshotProviders = new(StringComparer.Ordinal)
        {
            ["aws"] = c => EbsVolumeSnapshotter.Create(c.Config, loggerFactory: c.LoggerFactory),
            ["velero.io/aws"] = c => EbsVolumeSnapshotter.Create(c.Config, loggerFactory: c.LoggerFactory),
        };
        foreach (var (name, factory) in snapshotProviders)
        {
            _snapshotProviders[name] = factory;
        }
    }

    /// <summary>The providers known, with their plugin kinds (for ServerStatusRequests).</summary>
    public IEnumerable<(string Name, string Kind)> Plugins =>
        _storeProviders.Keys.Select(k => (k, PluginKind.ObjectStore)).Concat(_snapshotProviders.Keys.Select(k => (k, PluginKind.VolumeSnapshotter)));

    /// <summary>The location's store (its prefix applied).</summary>
    /// <exception cref="VeleroException">Unknown provider, bad config, or a credential that cannot be read.</exception>
    public async Task<BackupStore> GetStoreAsync(V1BackupStorageLocation location, CancellationToken cancellationToken)
    {
        var spec = location.Spec ?? new V1BackupStorageLocationSpec();
        var key = VeleroJson.Serialize(spec);
        if (_stores.TryGetValue(location.Metadata.Name, out var cached) && cached.Key == key)
        {
            return cached.Store;
        }

        var provider = spec.Provider ?? string.Empty;
        if (!_storeProviders.TryGetValue(provider, out var factory))
        {
            throw new VeleroException(VeleroErrorCode.Invalid, $"unable to locate ObjectStore plugin named {provider}");
        }

        var config = await ConfigAsync(spec.Config, spec.Credential, cancellationToken).ConfigureAwait(false);
        if (spec.ObjectStorage?.CaCert is { Length: > 0 } ca && !config.ContainsKey("caCert") && provider != FileSystemProvider)
        {
            config["caCert"] = Encoding.UTF8.GetString(ca);
        }

        var objectStore = factory(new StorageProviderContext(location.Metadata.Name, provider, spec.ObjectStorage?.Bucket, config, _loggerFactory));
        var store = new BackupStore(objectStore, string.IsNullOrEmpty(spec.ObjectStorage?.Prefix) ? null : spec.ObjectStorage.Prefix);
        if (_stores.TryGetValue(location.Metadata.Name, out var old))
        {
            (old.Store.ObjectStore as IDisposable)?.Dispose();
        }

        _stores[location.Metadata.Name] = (key, store);
        return store;
    }

    /// <summary>Every VolumeSnapshotLocation with its snapshotter.</summary>
    public async Task<List<SnapshotLocation>> GetSnapshotLocationsAsync(IEnumerable<V1VolumeSnapshotLocation> locations, CancellationToken cancellationToken)
    {
        var result = new List<SnapshotLocation>();
        foreach (var location in locations)
        {
            var spec = location.Spec ?? new V1VolumeSnapshotLocationSpec();
            var key = VeleroJson.Serialize(spec);
            if (!_snapshotters.TryGetValue(location.Metadata.Name, out var cached) || cached.Key != key)
            {
                var provider = spec.Provider ?? string.Empty;
                if (!_snapshotProviders.TryGetValue(provider, out var factory))
                {
                    throw new VeleroException(VeleroErrorCode.Invalid, $"unable to locate VolumeSnapshotter plugin named {provider}");
                }

                var config = await ConfigAsync(spec.Config, spec.Credential, cancellationToken).ConfigureAwait(false);
                cached = (key, factory(new StorageProviderContext(location.Metadata.Name, provider, null, config, _loggerFactory)));
                _snapshotters[location.Metadata.Name] = cached;
            }

            result.Add(new SnapshotLocation(location.Metadata.Name, spec.Provider ?? string.Empty, cached.Snapshotter));
        }

        return result;
    }

    private async Task<Dictionary<string, string>> ConfigAsync(IDictionary<string, string>? config, k8s.Models.V1SecretKeySelector? credential, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(config ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (credential is { Name.Length: > 0 })
        {
            var bytes = await _resources.GetSecretKeyAsync(credential, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(_credentialsFolder);
            var path = Path.Combine(_credentialsFolder, Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
            if (!File.Exists(path))
            {
                var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                await using var file = new FileStream(path, options);
                await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            result["credentialsFile"] = path;
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var (_, (_, store)) in _stores)
        {
            (store.ObjectStore as IDisposable)?.Dispose();
        }

        foreach (var (_, (_, snapshotter)) in _snapshotters)
        {
            (snapshotter as IDisposable)?.Dispose();
        }

        try
        {
            if (Directory.Exists(_credentialsFolder))
            {
                Directory.Delete(_credentialsFolder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
