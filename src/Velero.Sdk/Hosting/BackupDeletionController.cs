using System.Net;
using System.Text.Json.Nodes;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// DeleteBackupRequests (velero-api.md 14.9): checks the backup can go, marks it <c>Deleting</c>, runs the delete item actions,
/// deletes its volume snapshots and, only when nothing failed, its bucket data, its restores and the Backup itself; the request
/// ends <c>Processed</c> with the errors met (and all requests for the backup are removed on full success).
/// </summary>
internal sealed class BackupDeletionController(ServerContext context) : Controller("backup-deletion", context)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    protected override TimeSpan? ResyncPeriod => TimeSpan.FromHours(1);

    protected override IEnumerable<string> PeriodicNames() => Context.DeleteRequests.Items.Select(r => r.Metadata.Name);

    protected override void Subscribe() => Context.DeleteRequests.Subscribe((type, request) =>
    {
        if (type != ChangeType.Deleted && request.Status?.Phase is null or "" or DeleteBackupRequestPhase.New)
        {
            Enqueue(request.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var request = Context.DeleteRequests.Get(key);
        if (request is null)
        {
            return;
        }

        if (request.Status?.Phase is DeleteBackupRequestPhase.Processed or DeleteBackupRequestPhase.InProgress)
        {
            if (request.Metadata.CreationTimestamp is { } created && Context.Now.UtcDateTime - DateTime.SpecifyKind(created, DateTimeKind.Utc) > MaxAge)
            {
                await Context.Resources.DeleteAsync<V1DeleteBackupRequest>(key, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var backupName = request.Spec?.BackupName;
        if (string.IsNullOrEmpty(backupName))
        {
            await ProcessedAsync(key, ["spec.backupName is required"], cancellationToken).ConfigureAwait(false);
            return;
        }

        // Other requests for the same backup go.
        var safeName = LabelValue.GetValidName(backupName);
        foreach (var other in Context.DeleteRequests.Items.Where(r => r.Metadata.Name != key
            && r.Metadata.Labels?.TryGetValue(VeleroLabels.BackupName, out var n) == true && n == safeName))
        {
            await Context.Resources.DeleteAsync<V1DeleteBackupRequest>(other.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }

        if (Context.RunningBackups.ContainsKey(backupName)
            && Context.Backups.Get(backupName)?.Status?.Phase is BackupPhase.InProgress or BackupPhase.WaitingForPluginOperations
                or BackupPhase.WaitingForPluginOperationsPartiallyFailed or BackupPhase.Finalizing or BackupPhase.FinalizingPartiallyFailed)
        {
            await ProcessedAsync(key, ["backup is still in progress"], cancellationToken).ConfigureAwait(false);
            return;
        }

        var backup = await Context.Resources.GetAsync<V1Backup>(backupName, cancellationToken).ConfigureAwait(false);
        if (backup is null)
        {
            await ProcessedAsync(key, ["backup not found"], cancellationToken).ConfigureAwait(false);
            return;
        }

        var location = Context.Location(backup.Spec.StorageLocation);
        string? refusal = location is null ? $"backup storage location {backup.Spec.StorageLocation} not found"
            : ServerContext.IsReadOnly(location) ? $"cannot delete backup because backup storage location {location.Metadata.Name} is currently in read-only mode"
            : !ServerContext.IsAvailable(location) ? $"cannot delete backup because backup storage location {location.Metadata.Name} is currently in Unavailable state"
            : null;
        if (refusal is not null)
        {
            await ProcessedAsync(key, [refusal], cancellationToken).ConfigureAwait(false);
            return;
        }

        await Context.PatchAsync<V1DeleteBackupRequest>(key, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [VeleroLabels.BackupName] = safeName, [VeleroLabels.BackupUid] = backup.Metadata.Uid } },
            ["status"] = new JsonObject { ["phase"] = DeleteBackupRequestPhase.InProgress },
        }, cancellationToken).ConfigureAwait(false);
        await Context.PatchAsync<V1Backup>(backupName, VeleroResources.Status(("phase", BackupPhase.Deleting)), cancellationToken).ConfigureAwait(false);

        var errors = new List<string>();
        var store = await Context.Locations.GetStoreAsync(location!, cancellationToken).ConfigureAwait(false);
        var snapshotLocations = await Context.Locations.GetSnapshotLocationsAsync(Context.SnapshotLocations.Items, cancellationToken).ConfigureAwait(false);
        try
        {
            errors.AddRange(await new BackupDeletion(store, Context.DeleteActions, snapshotLocations, Logger).DeleteAsync(backupName, cancellationToken).ConfigureAwait(false));
        }
        catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
        {
            // Nothing of it is left in the bucket: the resource goes all the same.
        }
        catch (VeleroException e)
        {
            errors.Add($"error deleting backup {backupName} from object storage: {e.Message}");
        }

        // Its restores go (their finalizer removes their files); wait up to a minute for them.
        var restores = Context.Restores.Items.Where(r => r.Spec.BackupName == backupName).Select(r => r.Metadata.Name).ToList();
        foreach (var restore in restores)
        {
            await Context.Resources.DeleteAsync<V1Restore>(restore, cancellationToken).ConfigureAwait(false);
        }

        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (restores.Any(r => Context.Restores.Get(r) is not null) && waiting.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }

        if (errors.Count == 0)
        {
            await Context.Resources.DeleteAsync<V1Backup>(backupName, cancellationToken).ConfigureAwait(false);
        }

        await ProcessedAsync(key, errors, cancellationToken).ConfigureAwait(false);
        Context.Telemetry.Deletions.Add(1, new KeyValuePair<string, object?>("outcome", errors.Count == 0 ? "deleted" : "failed"));
        if (errors.Count == 0)
        {
            foreach (var done in Context.DeleteRequests.Items.Where(r => r.Metadata.Labels?.TryGetValue(VeleroLabels.BackupName, out var n) == true && n == safeName
                && r.Metadata.Labels.TryGetValue(VeleroLabels.BackupUid, out var u) && u == backup.Metadata.Uid).Select(r => r.Metadata.Name).Append(key).Distinct())
            {
                await Context.Resources.DeleteAsync<V1DeleteBackupRequest>(done, cancellationToken).ConfigureAwait(false);
            }

            Log.BackupDeleted(Logger, backupName);
        }
        else
        {
            Log.BackupDeletionFailed(Logger, backupName, string.Join("; ", errors));
        }
    }

    private async Task ProcessedAsync(string key, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        try
        {
            await Context.PatchAsync<V1DeleteBackupRequest>(key, VeleroResources.Status(
                ("phase", DeleteBackupRequestPhase.Processed), ("errors", new JsonArray([.. errors.Select(e => JsonValue.Create(e))]))), cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
