using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Garbage collection (velero-api.md 14.8): an expired backup gets a DeleteBackupRequest, unless its location is missing
/// (label <c>velero.io/gc-failure=BSLNotFound</c>), read-only (<c>BSLReadOnly</c>) or unavailable (retried later), or a
/// request for it is already pending.
/// </summary>
internal sealed class GarbageCollectionController(ServerContext context) : Controller("gc", context)
{
    protected override TimeSpan? ResyncPeriod => Context.Options.GarbageCollectionFrequency;

    protected override IEnumerable<string> PeriodicNames() => Context.Backups.Items.Select(b => b.Metadata.Name);

    protected override void Subscribe() => Context.Backups.Subscribe((type, backup) =>
    {
        if (type == ChangeType.Added)
        {
            Enqueue(backup.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var backup = Context.Backups.Get(key);
        if (backup?.Status?.Expiration is not { } expiration || DateTime.SpecifyKind(expiration, DateTimeKind.Utc) > Context.Now.UtcDateTime)
        {
            return;
        }

        var location = Context.Location(backup.Spec.StorageLocation);
        if (location is null)
        {
            await LabelAsync(backup, GarbageCollectionFailureReason.BslNotFound, cancellationToken).ConfigureAwait(false);
            throw new VeleroException(VeleroErrorCode.NotFound, $"expired backup {key}: backup storage location {backup.Spec.StorageLocation} not found");
        }

        if (ServerContext.IsReadOnly(location))
        {
            await LabelAsync(backup, GarbageCollectionFailureReason.BslReadOnly, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!ServerContext.IsAvailable(location))
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"expired backup {key}: backup storage location {location.Metadata.Name} is not available");
        }

        await LabelAsync(backup, null, cancellationToken).ConfigureAwait(false);
        var safeName = LabelValue.GetValidName(key);
        var pending = Context.DeleteRequests.Items.Any(r =>
            r.Metadata.Labels?.TryGetValue(VeleroLabels.BackupName, out var n) == true && n == safeName
            && r.Metadata.Labels.TryGetValue(VeleroLabels.BackupUid, out var u) && u == backup.Metadata.Uid
            && r.Status?.Phase is null or "" or DeleteBackupRequestPhase.New or DeleteBackupRequestPhase.InProgress);
        if (pending)
        {
            return;
        }

        var request = await Context.Resources.CreateAsync(NewDeleteRequest(backup), cancellationToken).ConfigureAwait(false);
        Context.DeleteRequests.ObserveCreated(request);
        Log.BackupExpired(Logger, key, request.Metadata.Name);
    }

    /// <summary>A DeleteBackupRequest as the CLI and GC make it (velero-api.md 7).</summary>
    internal static V1DeleteBackupRequest NewDeleteRequest(V1Backup backup) => new()
    {
        Metadata = new V1ObjectMeta
        {
            GenerateName = backup.Metadata.Name + "-",
            NamespaceProperty = backup.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [VeleroLabels.BackupName] = LabelValue.GetValidName(backup.Metadata.Name),
                [VeleroLabels.BackupUid] = backup.Metadata.Uid ?? string.Empty,
            },
        },
        Spec = new V1DeleteBackupRequestSpec { BackupName = backup.Metadata.Name },
    };

    private async Task LabelAsync(V1Backup backup, string? reason, CancellationToken cancellationToken)
    {
        var current = backup.Metadata.Labels?.TryGetValue(VeleroLabels.GcFailure, out var l) == true ? l : null;
        if (current == reason)
        {
            return;
        }

        await Context.PatchAsync<V1Backup>(backup.Metadata.Name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [VeleroLabels.GcFailure] = reason } },
        }, cancellationToken).ConfigureAwait(false);
    }
}
