using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>What the controllers of one leadership term share: settings, the API, the watched resources, locations, actions.</summary>
internal sealed class ServerContext
{
    public required VeleroServerOptions Options { get; init; }

    public required VeleroResources Resources { get; init; }

    public required TimeProvider Time { get; init; }

    public required ILogger Logger { get; init; }

    public required ILoggerFactory LoggerFactory { get; init; }

    public required Telemetry Telemetry { get; init; }

    public required Locations Locations { get; init; }

    public required IReadOnlyList<BackupItemAction> ItemActions { get; init; }

    public required IReadOnlyList<ItemBlockAction> BlockActions { get; init; }

    public required IReadOnlyList<RestoreItemAction> RestoreActions { get; init; }

    public required IReadOnlyList<DeleteItemAction> DeleteActions { get; init; }

    public ResourceInformer<V1Backup> Backups => field ??= new(Resources, Logger);

    public ResourceInformer<V1Restore> Restores => field ??= new(Resources, Logger);

    public ResourceInformer<V1Schedule> Schedules => field ??= new(Resources, Logger);

    public ResourceInformer<V1BackupStorageLocation> StorageLocations => field ??= new(Resources, Logger);

    public ResourceInformer<V1VolumeSnapshotLocation> SnapshotLocations => field ??= new(Resources, Logger);

    public ResourceInformer<V1DeleteBackupRequest> DeleteRequests => field ??= new(Resources, Logger);

    public ResourceInformer<V1DownloadRequest> DownloadRequests => field ??= new(Resources, Logger);

    public ResourceInformer<V1ServerStatusRequest> StatusRequests => field ??= new(Resources, Logger);

    /// <summary>Backups this host is running (ReadyToStart or InProgress), by name: the in-memory tracker Velero keeps.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<string>> RunningBackups { get; } = new(StringComparer.Ordinal);

    public string Namespace => Options.Namespace;

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Every informer, to run and to wait for.</summary>
    public IEnumerable<Func<CancellationToken, Task>> InformerLoops =>
    [
        Backups.RunAsync, Restores.RunAsync, Schedules.RunAsync, StorageLocations.RunAsync, SnapshotLocations.RunAsync,
        DeleteRequests.RunAsync, DownloadRequests.RunAsync, StatusRequests.RunAsync,
    ];

    public Task AllSynced => Task.WhenAll(
        Backups.Synced, Restores.Synced, Schedules.Synced, StorageLocations.Synced, SnapshotLocations.Synced, DeleteRequests.Synced,
        DownloadRequests.Synced, StatusRequests.Synced);

    /// <summary>
    /// Merge-patches an object and puts the answer in its informer's cache, so the next reconcile sees this host's write
    /// before the watch brings it; null when the object is gone.
    /// </summary>
    public async Task<T?> PatchAsync<T>(string name, JsonObject patch, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var patched = await Resources.PatchAsync<T>(name, patch, cancellationToken).ConfigureAwait(false);
        if (patched is not null)
        {
            Informer<T>().Observe(patched);
        }

        return patched;
    }

    /// <summary>The informer of a kind.</summary>
    public ResourceInformer<T> Informer<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => (ResourceInformer<T>)(object)(typeof(T).Name switch
        {
            nameof(V1Backup) => Backups,
            nameof(V1Restore) => Restores,
            nameof(V1Schedule) => Schedules,
            nameof(V1BackupStorageLocation) => StorageLocations,
            nameof(V1VolumeSnapshotLocation) => SnapshotLocations,
            nameof(V1DeleteBackupRequest) => DeleteRequests,
            nameof(V1DownloadRequest) => DownloadRequests,
            nameof(V1ServerStatusRequest) => StatusRequests,
            var other => throw new ArgumentException($"{other} is not a velero.io/v1 kind"),
        });

    /// <summary>The location a backup names, or null.</summary>
    public V1BackupStorageLocation? Location(string? name) => string.IsNullOrEmpty(name) ? null : StorageLocations.Get(name);

    public static bool IsAvailable(V1BackupStorageLocation location) => location.Status?.Phase == BackupStorageLocationPhase.Available;

    public static bool IsReadOnly(V1BackupStorageLocation location) => location.Spec?.AccessMode == BackupStorageLocationAccessMode.ReadOnly;
}
