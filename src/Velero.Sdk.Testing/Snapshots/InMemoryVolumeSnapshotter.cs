using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Testing.Snapshots;

/// <summary>
/// A <see cref="VolumeSnapshotter"/> that keeps volumes and snapshots in memory, for tests of backup and restore flows. It
/// handles PersistentVolumes with an <c>awsElasticBlockStore</c> source or a CSI source of <see cref="CsiDriver"/> (the
/// volume ID is the volumeID / volumeHandle), and records every call.
/// </summary>
public sealed class InMemoryVolumeSnapshotter : VolumeSnapshotter
{
    private readonly ConcurrentDictionary<string, (string VolumeId, IReadOnlyDictionary<string, string> Tags)> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _volumesFromSnapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _calls = new();
    private int _counter;

    /// <summary>The CSI driver whose volumes this snapshotter handles.</summary>
    public string CsiDriver { get; init; } = "ebs.csi.aws.com";

    /// <summary>The volume type reported by <see cref="GetVolumeInfoAsync"/>.</summary>
    public string VolumeType { get; init; } = "gp3";

    /// <summary>The IOPS reported by <see cref="GetVolumeInfoAsync"/>.</summary>
    public long? Iops { get; init; }

    /// <summary>When set, <see cref="CreateSnapshotAsync"/> fails for volume IDs it returns true for.</summary>
    public Func<string, bool>? FailSnapshotsOf { get; init; }

    /// <summary>Snapshots that exist: snapshot ID → (volume ID, tags).</summary>
    public IReadOnlyDictionary<string, (string VolumeId, IReadOnlyDictionary<string, string> Tags)> Snapshots => _snapshots;

    /// <summary>Volumes created from snapshots: volume ID → snapshot ID.</summary>
    public IReadOnlyDictionary<string, string> VolumesFromSnapshots => _volumesFromSnapshots;

    /// <summary>Every call, e.g. <c>CreateSnapshot vol-1 us-east-1a</c>, in order.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <inheritdoc />
    public override Task<string?> GetVolumeIdAsync(JsonObject persistentVolume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistentVolume);
        var spec = persistentVolume["spec"] as JsonObject;
        if (spec?["awsElasticBlockStore"]?["volumeID"] is JsonValue ebs && ebs.TryGetValue<string>(out var id))
        {
            return Task.FromResult<string?>(id);
        }

        if (spec?["csi"] is JsonObject csi && csi["driver"]?.GetValue<string>() == CsiDriver && csi["volumeHandle"] is JsonValue h && h.TryGetValue<string>(out var handle))
        {
            return Task.FromResult<string?>(handle);
        }

        return Task.FromResult<string?>(null);
    }

    /// <inheritdoc />
    public override Task<JsonObject> SetVolumeIdAsync(JsonObject persistentVolume, string volumeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistentVolume);
        var copy = persistentVolume.DeepClone().AsObject();
        if (copy["spec"]?["awsElasticBlockStore"] is JsonObject ebs)
        {
            ebs["volumeID"] = volumeId;
        }
        else if (copy["spec"]?["csi"] is JsonObject csi)
        {
            csi["volumeHandle"] = volumeId;
        }
        else
        {
            throw new InvalidOperationException("the persistent volume has no volume source this snapshotter knows");
        }

        return Task.FromResult(copy);
    }

    /// <inheritdoc />
    public override Task<VolumeInfo> GetVolumeInfoAsync(string volumeId, string? volumeAz, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue($"GetVolumeInfo {volumeId} {volumeAz}");
        return Task.FromResult(new VolumeInfo(VolumeType, Iops));
    }

    /// <inheritdoc />
    public override Task<string> CreateSnapshotAsync(string volumeId, string? volumeAz, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue($"CreateSnapshot {volumeId} {volumeAz}");
        if (FailSnapshotsOf?.Invoke(volumeId) == true)
        {
            throw new InvalidOperationException($"snapshot of {volumeId} refused");
        }

        var id = "snap-" + Interlocked.Increment(ref _counter).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        _snapshots[id] = (volumeId, new Dictionary<string, string>(tags, StringComparer.Ordinal));
        return Task.FromResult(id);
    }

    /// <inheritdoc />
    public override Task<string> CreateVolumeFromSnapshotAsync(string snapshotId, string? volumeType, string? volumeAz, long? iops, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue($"CreateVolumeFromSnapshot {snapshotId} {volumeType} {volumeAz}");
        if (!_snapshots.ContainsKey(snapshotId))
        {
            throw new InvalidOperationException($"snapshot {snapshotId} does not exist");
        }

        var id = "vol-restored-" + Interlocked.Increment(ref _counter).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        _volumesFromSnapshots[id] = snapshotId;
        return Task.FromResult(id);
    }

    /// <inheritdoc />
    public override Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        _calls.Enqueue($"DeleteSnapshot {snapshotId}");
        _snapshots.TryRemove(snapshotId, out _);
        return Task.CompletedTask;
    }
}
