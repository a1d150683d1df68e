using System.Text.Json.Nodes;

namespace Velero.Sdk.Snapshots;

/// <summary>
/// A provider of native volume snapshots (Velero's VolumeSnapshotter contract), e.g. EBS. Persistent volumes are passed as
/// unstructured JSON so fields no model knows survive. Implementations must be safe for concurrent use.
/// </summary>
public abstract class VolumeSnapshotter
{
    /// <summary>
    /// The provider volume ID of the PersistentVolume <paramref name="persistentVolume"/>, or <c>null</c> when this
    /// snapshotter does not handle it (Velero then tries the next location).
    /// </summary>
    public abstract Task<string?> GetVolumeIdAsync(JsonObject persistentVolume, CancellationToken cancellationToken = default);

    /// <summary>Returns the PersistentVolume rewritten to point at <paramref name="volumeId"/> (used by restores); the input is not changed.</summary>
    public abstract Task<JsonObject> SetVolumeIdAsync(JsonObject persistentVolume, string volumeId, CancellationToken cancellationToken = default);

    /// <summary>The volume's type and provisioned IOPS (<c>null</c> when it has none).</summary>
    public abstract Task<VolumeInfo> GetVolumeInfoAsync(string volumeId, string? volumeAz, CancellationToken cancellationToken = default);

    /// <summary>Takes a snapshot of the volume, tagged with <paramref name="tags"/>; returns the snapshot ID.</summary>
    public abstract Task<string> CreateSnapshotAsync(string volumeId, string? volumeAz, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default);

    /// <summary>Creates a volume from a snapshot in <paramref name="volumeAz"/>; returns the new volume's ID.</summary>
    public abstract Task<string> CreateVolumeFromSnapshotAsync(string snapshotId, string? volumeType, string? volumeAz, long? iops, CancellationToken cancellationToken = default);

    /// <summary>Deletes a snapshot; a snapshot that is already gone is not an error.</summary>
    public abstract Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default);
}
