using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Cluster;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Backup;

/// <summary>
/// Native volume snapshots of a backup's PersistentVolumes (Velero's rules): which PVs, which location, the availability
/// zone, the tags, and the records of <c>-volumesnapshots.json.gz</c> and <c>-volumeinfo.json.gz</c>.
/// </summary>
internal sealed class VolumeSnapshots(V1Backup backup, IReadOnlyList<SnapshotLocation> locations, ClusterLookups lookups)
{
    private static readonly string[] ZoneLabels = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"];

    private static readonly string[] ZoneAffinityKeys =
    [
        "topology.ebs.csi.aws.com/zone", "topology.disk.csi.azure.com/zone", "topology.gke.io/zone",
        "topology.cinder.csi.openstack.org/zone", "topology.manila.csi.openstack.org/zone",
        "topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone",
    ];

    private readonly ConcurrentQueue<(VolumeSnapshotRecord Record, JsonObject PersistentVolume)> _records = new();
    private readonly ConcurrentQueue<SkippedVolume> _skipped = new();

    public IReadOnlyList<VolumeSnapshotRecord> Records => [.. _records.Select(r => r.Record)];

    public IReadOnlyList<(VolumeSnapshotRecord Record, JsonObject PersistentVolume)> Snapshotted => [.. _records];

    public IReadOnlyList<SkippedVolume> Skipped => [.. _skipped];

    public int Attempted => _records.Count;

    public int Completed => _records.Count(r => r.Record.Status.Phase == "Completed");

    /// <summary>Snapshots one PV if the rules say so. Adds warnings; returns an error message when the item must fail.</summary>
    public async Task<string?> SnapshotAsync(JsonObject pv, List<string> warnings, List<string> errors, CancellationToken cancellationToken)
    {
        var name = JsonPath.Name(pv);
        if (backup.Spec.SnapshotVolumes == false)
        {
            _skipped.Enqueue(new SkippedVolume(name, pv, "backup has volume snapshots disabled"));
            return null;
        }

        if (await UsesFileSystemBackupAsync(pv, cancellationToken).ConfigureAwait(false))
        {
            _skipped.Enqueue(new SkippedVolume(name, pv, "volume will be backed up by the file-system backup of its pod"));
            return null;
        }

        SnapshotLocation? chosen = null;
        string? volumeId = null;
        foreach (var location in locations)
        {
            try
            {
                volumeId = await location.Snapshotter.GetVolumeIdAsync(pv, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"error getting volume ID for persistent volume {name} from volume snapshot location {location.Name}: {e.Message}");
                continue;
            }

            if (string.IsNullOrEmpty(volumeId))
            {
                warnings.Add($"No volume ID returned by volume snapshotter for persistent volume {name} (location {location.Name})");
                continue;
            }

            chosen = location;
            break;
        }

        if (chosen is null || volumeId is null)
        {
            _skipped.Enqueue(new SkippedVolume(name, pv, "no applicable volumesnapshotter found"));
            return null;
        }

        var az = Zone(pv);
        VolumeInfo info;
        try
        {
            info = await chosen.Snapshotter.GetVolumeInfoAsync(volumeId, az, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"error getting volume info: {e.Message}";
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in backup.Metadata.Labels ?? new Dictionary<string, string>())
        {
            tags[k] = v;
        }

        tags["velero.io/backup"] = backup.Metadata.Name;
        tags["velero.io/pv"] = name;
        var record = new VolumeSnapshotRecord
        {
            Spec = new VolumeSnapshotRecordSpec
            {
                BackupName = backup.Metadata.Name,
                BackupUid = backup.Metadata.Uid ?? string.Empty,
                Location = chosen.Name,
                PersistentVolumeName = name,
                ProviderVolumeId = volumeId,
                VolumeType = info.VolumeType,
                VolumeAz = string.IsNullOrEmpty(az) ? null : az,
                VolumeIops = info.Iops,
            },
        };
        try
        {
            record.Status.ProviderSnapshotId = await chosen.Snapshotter.CreateSnapshotAsync(volumeId, az, tags, cancellationToken).ConfigureAwait(false);
            record.Status.Phase = "Completed";
            _records.Enqueue((record, pv));
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            record.Status.Phase = "Failed";
            _records.Enqueue((record, pv));
            return $"error taking snapshot of volume: {e.Message}";
        }
    }

    /// <summary>The PV's zone: its zone labels, else the first matching key of its required node affinity.</summary>
    internal static string? Zone(JsonObject pv)
    {
        foreach (var label in ZoneLabels)
        {
            if (JsonPath.String(pv, "metadata", "labels", label) is { Length: > 0 } z)
            {
                return z;
            }
        }

        foreach (var term in JsonPath.Array(pv, "spec", "nodeAffinity", "required", "nodeSelectorTerms") ?? [])
        {
            foreach (var expr in JsonPath.Array(term, "matchExpressions") ?? [])
            {
                var key = JsonPath.String(expr, "key");
                if (key is null || !ZoneAffinityKeys.Contains(key) || JsonPath.String(expr, "operator") != "In")
                {
                    continue;
                }

                var values = (JsonPath.Array(expr, "values") ?? []).Select(v => v?.GetValue<string>()).OfType<string>().ToList();
                if (values.Count > 0)
                {
                    return key == "topology.gke.io/zone" ? string.Join("__", values) : values[0];
                }
            }
        }

        return null;
    }

    // Velero's opt-in rule: a PV whose claim is mounted by a pod through a volume listed in backup.velero.io/backup-volumes
    // (or, with defaultVolumesToFsBackup, not listed in backup.velero.io/backup-volumes-excludes) is left to file-system backup.
    private async Task<bool> UsesFileSystemBackupAsync(JsonObject pv, CancellationToken cancellationToken)
    {
        var claimNs = JsonPath.String(pv, "spec", "claimRef", "namespace");
        var claimName = JsonPath.String(pv, "spec", "claimRef", "name");
        if (string.IsNullOrEmpty(claimNs) || string.IsNullOrEmpty(claimName))
        {
            return false;
        }

        bool optOut = backup.Spec.DefaultVolumesToFsBackup == true;
        foreach (var pod in await lookups.PodsAsync(claimNs, cancellationToken).ConfigureAwait(false))
        {
            var annotations = JsonPath.Object(pod, "metadata", "annotations");
            var included = (JsonPath.String(annotations, VeleroAnnotations.BackupVolumes) ?? string.Empty).Split(',');
            var excluded = (JsonPath.String(annotations, VeleroAnnotations.BackupVolumesExcludes) ?? string.Empty).Split(',');
            foreach (var volume in JsonPath.Array(pod, "spec", "volumes") ?? [])
            {
                if (JsonPath.String(volume, "persistentVolumeClaim", "claimName") != claimName)
                {
                    continue;
                }

                var volumeName = JsonPath.String(volume, "name") ?? string.Empty;
                if (optOut ? !excluded.Contains(volumeName) : included.Contains(volumeName))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>A PV that was not snapshotted, and why.</summary>
internal sealed record SkippedVolume(string Name, JsonObject PersistentVolume, string Reason);
