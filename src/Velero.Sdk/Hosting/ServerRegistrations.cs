using Velero.Sdk.Actions;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Hosting;

/// <summary>What <see cref="VeleroServerBuilder"/> collected: providers, declared locations and item actions.</summary>
internal sealed class ServerRegistrations
{
    public Dictionary<string, Func<StorageProviderContext, ObjectStore>> ObjectStoreProviders { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Func<StorageProviderContext, VolumeSnapshotter>> SnapshotterProviders { get; } = new(StringComparer.Ordinal);

    public List<V1BackupStorageLocation> StorageLocations { get; } = [];

    public List<V1VolumeSnapshotLocation> SnapshotLocations { get; } = [];

    public List<BackupItemAction> ItemActions { get; } = [];

    public List<ItemBlockAction> BlockActions { get; } = [];

    public List<RestoreItemAction> RestoreActions { get; } = [];

    public List<DeleteItemAction> DeleteActions { get; } = [];
}
