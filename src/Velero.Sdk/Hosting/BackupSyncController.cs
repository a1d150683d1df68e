using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Object storage as the source of truth (velero-api.md 14.10): every sync period each Available location's backups that the
/// cluster lacks become Backup resources (status included, pointed at this location), and Completed or PartiallyFailed
/// Backups of the location whose bucket data is gone are removed.
/// </summary>
internal sealed class BackupSyncController(ServerContext context) : Controller("backup-sync", context)
{
    private readonly Dictionary<string, DateTimeOffset> _lastSync = new(StringComparer.Ordinal);

    protected override TimeSpan? ResyncPeriod => Context.Options.BackupSyncPeriod;

    // The default location first, as Velero does.
    protected override IEnumerable<string> PeriodicNames() => Context.StorageLocations.Items
        .OrderByDescending(l => l.Spec?.Default == true).ThenBy(l => l.Metadata.Name, StringComparer.Ordinal).Select(l => l.Metadata.Name);

    protected override void Subscribe() => Context.StorageLocations.Subscribe((type, location) =>
    {
        if (type != ChangeType.Deleted && ServerContext.IsAvailable(location) && !_lastSync.ContainsKey(location.Metadata.Name))
        {
            Enqueue(location.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var location = Context.StorageLocations.Get(key);
        if (location is null || !ServerContext.IsAvailable(location))
        {
            return;
        }

        var period = Context.Options.BackupSyncPeriod;
        if (location.Spec?.BackupSyncPeriod is { } text && GoDuration.TryParse(text, out var own))
        {
            if (own == TimeSpan.Zero)
            {
                return;
            }

            period = own > TimeSpan.Zero ? own : period;
        }

        var now = Context.Now;
        if (_lastSync.TryGetValue(key, out var last) && now < last + period)
        {
            return;
        }

        _lastSync[key] = now;
        var store = await Context.Locations.GetStoreAsync(location, cancellationToken).ConfigureAwait(false);
        var inBucket = (await store.ListBackupsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var inCluster = Context.Backups.Items.ToDictionary(b => b.Metadata.Name, StringComparer.Ordinal);
        var imported = 0;
        foreach (var name in inBucket.Where(n => !inCluster.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            V1Backup backup;
            try
            {
                backup = await store.GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException e)
            {
                Log.SyncSkipped(Logger, key, name, e.Message);
                continue;
            }

            var phase = backup.Status?.Phase;
            if (phase is BackupPhase.WaitingForPluginOperations or BackupPhase.WaitingForPluginOperationsPartiallyFailed or BackupPhase.Finalizing or BackupPhase.FinalizingPartiallyFailed)
            {
                if (backup.Status?.Expiration is not { } exp || DateTime.SpecifyKind(exp, DateTimeKind.Utc) > now.UtcDateTime)
                {
                    continue;
                }

                backup.Status.Phase = BackupPhase.PartiallyFailed;
            }

            backup.Metadata.NamespaceProperty = Context.Namespace;
            backup.Metadata.ResourceVersion = null;
            backup.Metadata.Uid = null;
            backup.Metadata.ManagedFields = null;
            backup.Metadata.Generation = null;
            backup.Spec.StorageLocation = key;
            backup.Metadata.Labels ??= new Dictionary<string, string>();
            backup.Metadata.Labels[VeleroLabels.StorageLocation] = LabelValue.GetValidName(key);
            if (backup.Metadata.OwnerReferences is { Count: > 0 } owners)
            {
                var kept = owners.Where(o => o.Kind != V1Schedule.KubeKind || Context.Schedules.Get(o.Name)?.Metadata.Uid == o.Uid).ToList();
                backup.Metadata.OwnerReferences = kept.Count == 0 ? null : kept;
            }

            if (await Context.Resources.TryCreateAsync(backup, cancellationToken).ConfigureAwait(false))
            {
                imported++;
            }
        }

        // Orphans: finished Backups of this location whose data left the bucket.
        var safeKey = LabelValue.GetValidName(key);
        var removed = 0;
        foreach (var orphan in inCluster.Values.Where(b => b.Metadata.Labels?.TryGetValue(VeleroLabels.StorageLocation, out var l) == true && l == safeKey
            && b.Status?.Phase is BackupPhase.Completed or BackupPhase.PartiallyFailed && !inBucket.Contains(b.Metadata.Name)))
        {
            await Context.Resources.DeleteAsync<V1Backup>(orphan.Metadata.Name, cancellationToken).ConfigureAwait(false);
            removed++;
        }

        await Context.PatchAsync<V1BackupStorageLocation>(key, VeleroResources.Status(("lastSyncedTime", VeleroResources.Time(now))), cancellationToken).ConfigureAwait(false);

        Log.SyncDone(Logger, key, imported, removed);
    }
}
