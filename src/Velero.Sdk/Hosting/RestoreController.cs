using System.Diagnostics;
using System.Text.Json.Nodes;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Restore;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Restores (velero-api.md 14.5-14.6): new restores get the external-resources finalizer, are validated (Velero's messages;
/// the source is a backup, or the latest Completed backup of a schedule, and its location must be Available), run by the
/// restore engine and end <c>Completed</c>, <c>PartiallyFailed</c> or <c>Failed</c>. A deleted restore's files are removed
/// from the bucket before its finalizer is.
/// </summary>
internal sealed class RestoreController(ServerContext context) : Controller("restore", context)
{
    protected override TimeSpan? ResyncPeriod => TimeSpan.FromMinutes(1);

    protected override IEnumerable<string> PeriodicNames() => Context.Restores.Items.Where(Pending).Select(r => r.Metadata.Name);

    protected override void Subscribe() => Context.Restores.Subscribe((type, restore) =>
    {
        if (type != ChangeType.Deleted && Pending(restore))
        {
            Enqueue(restore.Metadata.Name);
        }
    });

    private static bool Pending(V1Restore restore) =>
        restore.Status?.Phase is null or "" or RestorePhase.New || restore.Metadata.DeletionTimestamp is not null;

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var restore = Context.Restores.Get(key);
        if (restore is null)
        {
            return;
        }

        if (restore.Metadata.DeletionTimestamp is not null)
        {
            await FinalizeDeletionAsync(restore, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (restore.Status?.Phase is not (null or "" or RestorePhase.New))
        {
            return;
        }

        var finalizers = restore.Metadata.Finalizers?.ToList() ?? [];
        if (!finalizers.Contains(VeleroFinalizers.RestoreExternalResources))
        {
            finalizers.Add(VeleroFinalizers.RestoreExternalResources);
            restore = await Context.PatchAsync<V1Restore>(key, new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]) } }, cancellationToken).ConfigureAwait(false);
            if (restore is null)
            {
                return;
            }
        }

        var now = Context.Now;
        var spec = restore.Spec;
        var errors = new List<string>(RestoreValidation.ValidateSpec(spec));
        V1Backup? backup = null;
        if (!errors.Contains(RestoreValidation.SourceMessage))
        {
            backup = ResolveBackup(spec, errors);
        }

        var excluded = (spec.ExcludedResources ?? []).Concat(RestoreValidation.NonRestorableResources).Distinct(StringComparer.Ordinal).ToList();
        if (errors.Count > 0 || backup is null)
        {
            await Context.PatchAsync<V1Restore>(key, VeleroResources.Status(
                ("phase", RestorePhase.FailedValidation), ("validationErrors", new JsonArray([.. errors.Select(e => JsonValue.Create(e))]))), cancellationToken).ConfigureAwait(false);
            Context.Telemetry.Restores.Add(1, new KeyValuePair<string, object?>("phase", RestorePhase.FailedValidation));
            Log.RestoreFailedValidation(Logger, key, string.Join("; ", errors));
            return;
        }

        var location = Context.Location(backup.Spec.StorageLocation)!;
        var store = await Context.Locations.GetStoreAsync(location, cancellationToken).ConfigureAwait(false);
        var inProgress = VeleroResources.Status(("phase", RestorePhase.InProgress), ("startTimestamp", VeleroResources.Time(now)));
        inProgress["spec"] = new JsonObject
        {
            ["backupName"] = backup.Metadata.Name,
            ["excludedResources"] = new JsonArray([.. excluded.Select(e => JsonValue.Create(e))]),
            ["itemOperationTimeout"] = spec.ItemOperationTimeout ?? VeleroConstants.DefaultItemOperationTimeout,
        };
        if (string.IsNullOrEmpty(spec.ScheduleName) && backup.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var schedule) == true)
        {
            inProgress["spec"]!["scheduleName"] = schedule;
        }

        if (await Context.PatchAsync<V1Restore>(key, inProgress, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        var snapshotLocations = await Context.Locations.GetSnapshotLocationsAsync(Context.SnapshotLocations.Items, cancellationToken).ConfigureAwait(false);
        var engine = new RestoreEngine(Context.Resources.Api, store, Context.Options.Restore, Context.RestoreActions, snapshotLocations, Time, Logger);
        var started = Stopwatch.GetTimestamp();
        using var progress = new ProgressPatcher<RestoreProgress>(p => VeleroResources.Status(
            ("progress", new JsonObject { ["totalItems"] = p.TotalItems, ["itemsRestored"] = p.ItemsRestored })), json => Context.PatchAsync<V1Restore>(key, json, CancellationToken.None));
        var result = await engine.RunAsync(new RestoreRequest(current), progress, cancellationToken).ConfigureAwait(false);
        await progress.StopAsync().ConfigureAwait(false);

        var final = JsonNode.Parse(VeleroJson.Serialize(result.Restore))!.AsObject();
        await Context.PatchAsync<V1Restore>(key, new JsonObject { ["status"] = final["status"]?.DeepClone() }, CancellationToken.None).ConfigureAwait(false);
        Context.Telemetry.Restores.Add(1, new KeyValuePair<string, object?>("phase", result.Phase));
        Context.Telemetry.RestoreDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("phase", result.Phase));
    }

    /// <summary>Velero's source rules: the named backup, or the latest Completed backup of the schedule; its location must be Available.</summary>
    private V1Backup? ResolveBackup(V1RestoreSpec spec, List<string> errors)
    {
        V1Backup? backup;
        if (!string.IsNullOrEmpty(spec.ScheduleName))
        {
            var ofSchedule = Context.Backups.Items.Where(b => b.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var s) == true && s == spec.ScheduleName).ToList();
            if (ofSchedule.Count == 0)
            {
                errors.Add("No backups found for schedule");
            }

            backup = ofSchedule.Where(b => b.Status?.Phase == BackupPhase.Completed)
                .OrderByDescending(b => b.Status!.StartTimestamp ?? DateTime.MinValue).FirstOrDefault();
            if (backup is null)
            {
                errors.Add("No completed backups found for schedule");
                return null;
            }
        }
        else
        {
            backup = Context.Backups.Get(spec.BackupName!);
            if (backup is null)
            {
                errors.Add($"Error retrieving backup: can't find backup {Context.Namespace}/{spec.BackupName}: backups.velero.io \"{spec.BackupName}\" not found");
                return null;
            }
        }

        var location = Context.Location(backup.Spec.StorageLocation);
        if (location is null || !ServerContext.IsAvailable(location))
        {
            errors.Add($"The BSL {backup.Spec.StorageLocation} is unavailable, cannot retrieve the backup");
            return null;
        }

        return backup;
    }

    /// <summary>Removes <c>restores/&lt;name&gt;/</c> from the bucket, then the finalizer (velero-api.md 3.4).</summary>
    private async Task FinalizeDeletionAsync(V1Restore restore, CancellationToken cancellationToken)
    {
        var finalizers = restore.Metadata.Finalizers?.ToList() ?? [];
        if (!finalizers.Remove(VeleroFinalizers.RestoreExternalResources))
        {
            return;
        }

        var backup = string.IsNullOrEmpty(restore.Spec.BackupName) ? null : Context.Backups.Get(restore.Spec.BackupName);
        if (backup is not null)
        {
            var location = Context.Location(backup.Spec.StorageLocation);
            if (location is null || !ServerContext.IsAvailable(location))
            {
                throw new VeleroException(VeleroErrorCode.StorageFailure, $"cannot delete the files of restore {restore.Metadata.Name}: the BSL {backup.Spec.StorageLocation} is unavailable");
            }

            if (!ServerContext.IsReadOnly(location))
            {
                var store = await Context.Locations.GetStoreAsync(location, cancellationToken).ConfigureAwait(false);
                await store.DeleteRestoreAsync(restore.Metadata.Name, cancellationToken).ConfigureAwait(false);
            }
        }

        await Context.PatchAsync<V1Restore>(restore.Metadata.Name, new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray([.. finalizers.Select(f => JsonValue.Create(f))]) } }, cancellationToken).ConfigureAwait(false);
    }
}
