using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Backup;

/// <summary>A VolumeSnapshotLocation with its snapshotter.</summary>
internal sealed record SnapshotLocation(string Name, string Provider, VolumeSnapshotter Snapshotter);
