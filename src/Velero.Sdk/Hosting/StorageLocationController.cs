using System.Text.Json.Nodes;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// BackupStorageLocations (velero-api.md 14.11): one default location (the most recently created of several defaults stays),
/// and validation every validation frequency: <c>Available</c>, or <c>Unavailable</c> with the reason.
/// </summary>
internal sealed class StorageLocationController(ServerContext context) : Controller("backup-storage-location", context)
{
    protected override TimeSpan? ResyncPeriod => TimeSpan.FromSeconds(10);

    protected override IEnumerable<string> PeriodicNames() =>
        Context.StorageLocations.Items.Where(ReadyToValidate).Select(l => l.Metadata.Name);

    protected override void Subscribe() => Context.StorageLocations.Subscribe((type, location) =>
    {
        if (type != ChangeType.Deleted && (location.Status?.LastValidationTime is null || location.Spec?.Default == true))
        {
            Enqueue(location.Metadata.Name);
        }
    });

    /// <summary>Validates every location now (at start-up, so backups created at once do not meet an unvalidated location).</summary>
    public async Task ValidateAllAsync(CancellationToken cancellationToken)
    {
        foreach (var location in Context.StorageLocations.Items)
        {
            await ReconcileAsync(location.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var location = Context.StorageLocations.Get(key);
        if (location is null)
        {
            return;
        }

        await EnsureSingleDefaultAsync(location, cancellationToken).ConfigureAwait(false);
        if (!ReadyToValidate(location))
        {
            return;
        }

        string phase = BackupStorageLocationPhase.Available;
        string message = string.Empty;
        try
        {
            var store = await Context.Locations.GetStoreAsync(location, cancellationToken).ConfigureAwait(false);
            await store.ValidateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e)
        {
            phase = BackupStorageLocationPhase.Unavailable;
            message = $"BackupStorageLocation \"{key}\" is unavailable: {e.Message}";
            Log.LocationUnavailable(Logger, key, e.Message);
        }

        await Context.PatchAsync<V1BackupStorageLocation>(key, VeleroResources.Status(
            ("phase", phase), ("message", message), ("lastValidationTime", VeleroResources.Time(Context.Now))), cancellationToken).ConfigureAwait(false);
    }

    private bool ReadyToValidate(V1BackupStorageLocation location)
    {
        if (location.Status?.LastValidationTime is not { } last)
        {
            return true;
        }

        var frequency = Context.Options.StoreValidationFrequency;
        if (location.Spec?.ValidationFrequency is { } text && GoDuration.TryParse(text, out var own))
        {
            if (own == TimeSpan.Zero)
            {
                return false;
            }

            frequency = own > TimeSpan.Zero ? own : frequency;
        }

        return Context.Now >= new DateTimeOffset(DateTime.SpecifyKind(last, DateTimeKind.Utc)) + frequency;
    }

    private async Task EnsureSingleDefaultAsync(V1BackupStorageLocation location, CancellationToken cancellationToken)
    {
        if (location.Spec?.Default != true)
        {
            return;
        }

        var defaults = Context.StorageLocations.Items.Where(l => l.Spec?.Default == true)
            .OrderByDescending(l => l.Metadata.CreationTimestamp ?? DateTime.MinValue).ThenBy(l => l.Metadata.Name, StringComparer.Ordinal).ToList();
        foreach (var other in defaults.Skip(1))
        {
            await Context.PatchAsync<V1BackupStorageLocation>(
                other.Metadata.Name, new JsonObject { ["spec"] = new JsonObject { ["default"] = false } }, cancellationToken).ConfigureAwait(false);
        }
    }
}
