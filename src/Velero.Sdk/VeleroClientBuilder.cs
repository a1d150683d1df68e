using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Velero.Sdk.Actions;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk;

/// <summary>
/// Configures a <see cref="VeleroClient"/>: the cluster, the object storage (a BackupStorageLocation), volume snapshot
/// locations, item actions, logging, time and limits.
/// </summary>
/// <example>
/// <code>
/// VeleroClient velero = new VeleroClientBuilder()
///     .UseKubernetes(KubernetesClientConfiguration.BuildDefaultConfig())
///     .UseObjectStore(new FileSystemObjectStore("./velero-data"))
///     .Build();
/// </code>
/// </example>
public sealed class VeleroClientBuilder
{
    private readonly List<BackupItemAction> _itemActions = [];
    private readonly List<ItemBlockAction> _blockActions = [];
    private readonly List<SnapshotLocation> _snapshotLocations = [];
    private readonly List<DeleteItemAction> _deleteActions = [];
    private readonly List<RestoreItemAction> _restoreActions = [];
    private IKubernetes? _kubernetes;
    private KubernetesClientConfiguration? _configuration;
    private ObjectStore? _objectStore;
    private string? _prefix;
    private string _locationName = VeleroConstants.DefaultBackupStorageLocation;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private TimeProvider _time = TimeProvider.System;

    /// <summary>Limits and retries of the cluster access (QPS/burst 100/100, pages of 500 by default).</summary>
    public KubernetesAccessOptions Kubernetes { get; } = new();

    /// <summary>How backups run (workers, compression, default TTL...).</summary>
    public BackupOptions Backup { get; } = new();

    /// <summary>How restores run (workers, priorities, timeouts, the Velero namespace for action ConfigMaps...).</summary>
    public RestoreOptions Restore { get; } = new();

    /// <summary>The cluster to back up and restore, from a kubeconfig or in-cluster configuration.</summary>
    public VeleroClientBuilder UseKubernetes(KubernetesClientConfiguration configuration)
    {
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _kubernetes = null;
        return this;
    }

    /// <summary>The cluster, as a KubernetesClient client (it must be a <c>k8s.Kubernetes</c>).</summary>
    public VeleroClientBuilder UseKubernetes(IKubernetes client)
    {
        _kubernetes = client ?? throw new ArgumentNullException(nameof(client));
        _configuration = null;
        return this;
    }

    /// <summary>The object storage backups go to, with an optional key prefix, as the BackupStorageLocation <paramref name="locationName"/>.</summary>
    public VeleroClientBuilder UseObjectStore(ObjectStore store, string? prefix = null, string locationName = VeleroConstants.DefaultBackupStorageLocation)
    {
        _objectStore = store ?? throw new ArgumentNullException(nameof(store));
        _prefix = prefix;
        _locationName = locationName ?? throw new ArgumentNullException(nameof(locationName));
        return this;
    }

    /// <summary>Adds a VolumeSnapshotLocation: its name, provider (e.g. <c>aws</c>) and snapshotter.</summary>
    public VeleroClientBuilder AddVolumeSnapshotLocation(string name, string provider, VolumeSnapshotter snapshotter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(snapshotter);
        _snapshotLocations.Add(new SnapshotLocation(name, provider, snapshotter));
        return this;
    }

    /// <summary>Adds a backup item action (after the built-in ones).</summary>
    public VeleroClientBuilder AddBackupItemAction(BackupItemAction action)
    {
        _itemActions.Add(action ?? throw new ArgumentNullException(nameof(action)));
        return this;
    }

    /// <summary>Adds an item block action (after the built-in ones).</summary>
    public VeleroClientBuilder AddItemBlockAction(ItemBlockAction action)
    {
        _blockActions.Add(action ?? throw new ArgumentNullException(nameof(action)));
        return this;
    }

    /// <summary>Adds a delete item action, run over a backup's items when the backup is deleted.</summary>
    public VeleroClientBuilder AddDeleteItemAction(DeleteItemAction action)
    {
        _deleteActions.Add(action ?? throw new ArgumentNullException(nameof(action)));
        return this;
    }

    /// <summary>Adds a restore item action (run after the built-in ones).</summary>
    public VeleroClientBuilder AddRestoreItemAction(RestoreItemAction action)
    {
        _restoreActions.Add(action ?? throw new ArgumentNullException(nameof(action)));
        return this;
    }

    /// <summary>Where log messages go.</summary>
    public VeleroClientBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>The clock (timestamps, expirations, default names).</summary>
    public VeleroClientBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Builds the client.</summary>
    /// <exception cref="InvalidOperationException">No cluster or no object store was configured.</exception>
    public VeleroClient Build()
    {
        if (_kubernetes is null && _configuration is null)
        {
            throw new InvalidOperationException("no cluster: call UseKubernetes");
        }

        var store = _objectStore ?? throw new InvalidOperationException("no object store: call UseObjectStore");
        bool owned = _kubernetes is null;
        var kubernetes = _kubernetes ?? new global::k8s.Kubernetes(_configuration!);
        var logger = _loggerFactory.CreateLogger("Velero.Sdk");
        var api = new KubeApi(kubernetes, Kubernetes, _time, logger);
        return new VeleroClient(
            api,
            new BackupStore(store, _prefix),
            _locationName,
            Backup,
            [.. BackupEngine.BuiltInItemActions, .. _itemActions],
            [.. BackupEngine.BuiltInBlockActions, .. _blockActions],
            [.. _snapshotLocations],
            [.. _deleteActions],
            Restore,
            [.. _restoreActions],
            _time,
            logger,
            owned ? kubernetes as IDisposable : null);
    }
}
