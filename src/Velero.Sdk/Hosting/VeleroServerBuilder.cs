using System.Diagnostics.Metrics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Velero.Sdk.Actions;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Configures the hosted Velero server that <c>services.AddVelero(...)</c> registers: the cluster, storage and snapshot
/// locations and their providers, item actions, and settings. Calls chain; <c>AddVelero</c> called again returns the same builder.
/// </summary>
public sealed class VeleroServerBuilder
{
    private readonly ServerRegistrations _registrations = new();
    private Func<IServiceProvider, IKubernetes>? _kubernetes;

    internal VeleroServerBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the server is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Changes settings (several calls apply in order).</summary>
    public VeleroServerBuilder Configure(Action<VeleroServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>The cluster to reconcile (default: an <see cref="IKubernetes"/> from the container, else the default kubeconfig or in-cluster config).</summary>
    public VeleroServerBuilder UseKubernetes(KubernetesClientConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _kubernetes = _ => new Kubernetes(configuration);
        return this;
    }

    /// <summary>The cluster to reconcile, made from the container.</summary>
    public VeleroServerBuilder UseKubernetes(Func<IServiceProvider, IKubernetes> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _kubernetes = factory;
        return this;
    }

    /// <summary>
    /// A BackupStorageLocation the server creates at start when the cluster has none of that name (an existing one is left
    /// as it is). Providers: <c>aws</c>/<c>velero.io/aws</c>, <c>filesystem</c> and those added with <see cref="AddObjectStoreProvider"/>.
    /// </summary>
    public VeleroServerBuilder AddBackupStorageLocation(string name, V1BackupStorageLocationSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(spec);
        _registrations.StorageLocations.RemoveAll(l => l.Metadata.Name == name);
        _registrations.StorageLocations.Add(new V1BackupStorageLocation { Metadata = new V1ObjectMeta { Name = name }, Spec = spec });
        return this;
    }

    /// <summary>A folder as a BackupStorageLocation (provider <c>filesystem</c>, config <c>path</c>), created at start when missing.</summary>
    public VeleroServerBuilder AddFileSystemBackupStorageLocation(string name, string path, bool isDefault = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return AddBackupStorageLocation(name, new V1BackupStorageLocationSpec
        {
            Provider = Locations.FileSystemProvider,
            ObjectStorage = new V1ObjectStorageLocation { Bucket = Path.GetFileName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar)) is { Length: > 0 } b ? b : "velero" },
            Config = new Dictionary<string, string>(StringComparer.Ordinal) { ["path"] = Path.GetFullPath(path) },
            Default = isDefault,
        });
    }

    /// <summary>A VolumeSnapshotLocation the server creates at start when the cluster has none of that name.</summary>
    public VeleroServerBuilder AddVolumeSnapshotLocation(string name, V1VolumeSnapshotLocationSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(spec);
        _registrations.SnapshotLocations.RemoveAll(l => l.Metadata.Name == name);
        _registrations.SnapshotLocations.Add(new V1VolumeSnapshotLocation { Metadata = new V1ObjectMeta { Name = name }, Spec = spec });
        return this;
    }

    /// <summary>An object-store provider: BackupStorageLocations naming <paramref name="provider"/> get their store from <paramref name="factory"/>.</summary>
    public VeleroServerBuilder AddObjectStoreProvider(string provider, Func<StorageProviderContext, ObjectStore> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.ObjectStoreProviders[provider] = factory;
        return this;
    }

    /// <summary>A volume-snapshotter provider: VolumeSnapshotLocations naming <paramref name="provider"/> get their snapshotter from <paramref name="factory"/>.</summary>
    public VeleroServerBuilder AddVolumeSnapshotterProvider(string provider, Func<StorageProviderContext, VolumeSnapshotter> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(factory);
        _registrations.SnapshotterProviders[provider] = factory;
        return this;
    }

    /// <summary>A backup item action, run after the built-in ones.</summary>
    public VeleroServerBuilder AddBackupItemAction(BackupItemAction action) => Add(_registrations.ItemActions, action);

    /// <summary>An item block action, run after the built-in ones.</summary>
    public VeleroServerBuilder AddItemBlockAction(ItemBlockAction action) => Add(_registrations.BlockActions, action);

    /// <summary>A restore item action, run after the built-in ones.</summary>
    public VeleroServerBuilder AddRestoreItemAction(RestoreItemAction action) => Add(_registrations.RestoreActions, action);

    /// <summary>A delete item action, run over a backup's items when it is deleted.</summary>
    public VeleroServerBuilder AddDeleteItemAction(DeleteItemAction action) => Add(_registrations.DeleteActions, action);

    private VeleroServerBuilder Add<T>(List<T> list, T item)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(item);
        list.Add(item);
        return this;
    }

    internal VeleroServer Build(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<VeleroServerOptions>>().Value;
        var owns = false;
        IKubernetes client;
        if (_kubernetes is not null)
        {
            client = _kubernetes(services);
            owns = true;
        }
        else if (services.GetService<IKubernetes>() is { } shared)
        {
            client = shared;
        }
        else
        {
            client = new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());
            owns = true;
        }

        return new VeleroServer(
            options,
            client,
            owns,
            _registrations,
            services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetService<IMeterFactory>());
    }
}
