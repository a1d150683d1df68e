using System.Diagnostics;
using System.Text.Json.Nodes;
using Velero.Sdk.Backup;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// Backups (velero-api.md 14.2-14.3): new backups join the queue (<c>Queued</c>, with a position); a queued backup becomes
/// <c>ReadyToStart</c> when a slot is free and its namespaces overlap no running or earlier-queued backup; then it is
/// validated (<c>FailedValidation</c> with Velero's reasons), marked <c>InProgress</c> with its expiration, run by the backup
/// engine, and ends <c>Completed</c>, <c>PartiallyFailed</c> or <c>Failed</c> with Velero's status fields.
/// </summary>
internal sealed class BackupController(ServerContext context, bool runBackups) : Controller("backup", context)
{
    private const string DispatchKey = "\0dispatch";
    private readonly Dictionary<string, Task> _runs = new(StringComparer.Ordinal);
    private CancellationToken _stopping;

    protected override TimeSpan? ResyncPeriod => TimeSpan.FromMinutes(1);

    protected override IEnumerable<string> PeriodicNames() =>
        [.. Context.Backups.Items.Where(IsNew).Select(b => b.Metadata.Name), DispatchKey];

    protected override void Subscribe() => Context.Backups.Subscribe((type, backup) =>
    {
        if (type != ChangeType.Deleted && IsNew(backup))
        {
            Enqueue(backup.Metadata.Name);
        }
    });

    /// <summary>Waits for the backups this host is running (on shutdown, after cancellation).</summary>
    public Task WhenRunsDone()
    {
        lock (_runs)
        {
            return Task.WhenAll(_runs.Values);
        }
    }

    private static bool IsNew(V1Backup backup) => backup.Status?.Phase is null or "" or BackupPhase.New;

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        _stopping = cancellationToken;
        if (key != DispatchKey)
        {
            var backup = Context.Backups.Get(key);
            if (backup is not null && IsNew(backup))
            {
                var position = Context.Backups.Items.Where(b => b.Status?.Phase == BackupPhase.Queued).Select(b => b.Status!.QueuePosition ?? 0).DefaultIfEmpty(0).Max() + 1;
                await Context.PatchAsync<V1Backup>(key, VeleroResources.Status(("phase", BackupPhase.Queued), ("queuePosition", position)), cancellationToken).ConfigureAwait(false);
            }
        }

        await DispatchAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves queued backups to ReadyToStart while slots are free, in queue order, skipping namespace overlaps.</summary>
    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        var waiting = Context.Backups.Items.Where(b => b.Status?.Phase is BackupPhase.Queued
            || (b.Status?.Phase == BackupPhase.ReadyToStart && !Context.RunningBackups.ContainsKey(b.Metadata.Name))).ToList();
        if (waiting.Count == 0)
        {
            return;
        }

        var existing = await Context.Resources.ListNamespacesAsync(cancellationToken).ConfigureAwait(false);

        // ReadyToStart backups no one runs (left by a previous leader) are started first; they hold a slot already.
        foreach (var ready in waiting.Where(b => b.Status!.Phase == BackupPhase.ReadyToStart))
        {
            Start(ready, ResolveNamespaces(ready, existing));
        }

        var queued = waiting.Where(b => b.Status!.Phase == BackupPhase.Queued)
            .OrderBy(b => b.Status!.QueuePosition ?? int.MaxValue).ThenBy(b => b.Metadata.CreationTimestamp).ToList();
        if (queued.Count == 0)
        {
            return;
        }

        var blocking = Context.RunningBackups.Values.ToList();
        var stillQueued = new List<V1Backup>();
        foreach (var backup in queued)
        {
            var namespaces = ResolveNamespaces(backup, existing);
            if (Context.RunningBackups.Count >= Context.Options.ConcurrentBackups || blocking.Any(b => b.Intersect(namespaces, StringComparer.Ordinal).Any()))
            {
                blocking.Add(namespaces);
                stillQueued.Add(backup);
                continue;
            }

            var patched = await Context.PatchAsync<V1Backup>(backup.Metadata.Name, VeleroResources.Status(("phase", BackupPhase.ReadyToStart), ("queuePosition", null)), cancellationToken).ConfigureAwait(false);
            if (patched is not null)
            {
                Start(patched, namespaces);
                blocking.Add(namespaces);
            }
        }

        for (var i = 0; i < stillQueued.Count; i++)
        {
            if (stillQueued[i].Status?.QueuePosition != i + 1)
            {
                await Context.PatchAsync<V1Backup>(stillQueued[i].Metadata.Name, VeleroResources.Status(("queuePosition", i + 1)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static IReadOnlyList<string> ResolveNamespaces(V1Backup backup, List<string> existing)
    {
        try
        {
            return NamespaceFilter.Create(backup.Spec.IncludedNamespaces, backup.Spec.ExcludedNamespaces, existing).Resolve(existing);
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    private void Start(V1Backup backup, IReadOnlyList<string> namespaces)
    {
        var name = backup.Metadata.Name;
        if (!runBackups || !Context.RunningBackups.TryAdd(name, namespaces))
        {
            return;
        }

        var run = Task.Run(() => RunGuardedAsync(backup, _stopping), CancellationToken.None);
        lock (_runs)
        {
            _runs[name] = run;
        }
    }

    private async Task RunGuardedAsync(V1Backup backup, CancellationToken cancellationToken)
    {
        var name = backup.Metadata.Name;
        try
        {
            await RunAsync(backup, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.BackupInterrupted(Logger, name);
        }
#pragma warning disable CA1031 // The run's failure is recorded on the Backup; the host goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.BackupFailed(Logger, e, name, e.Message);
            await Context.PatchAsync<V1Backup>(name, VeleroResources.Status(
                ("phase", BackupPhase.Failed), ("failureReason", e.Message), ("completionTimestamp", VeleroResources.Time(Context.Now))), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            Context.RunningBackups.TryRemove(name, out _);
            lock (_runs)
            {
                _runs.Remove(name);
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                Enqueue(DispatchKey);
            }
        }
    }

    private async Task RunAsync(V1Backup backup, CancellationToken cancellationToken)
    {
        var name = backup.Metadata.Name;
        var now = Context.Now;
        var spec = backup.Spec;
        var errors = new List<string>(BackupValidation.ValidateSpec(spec));
        var fromServer = string.IsNullOrEmpty(spec.StorageLocation);
        if (fromServer)
        {
            spec.StorageLocation = Context.StorageLocations.Items.Where(l => l.Spec?.Default == true).Select(l => l.Metadata.Name).FirstOrDefault()
                ?? Context.Options.DefaultBackupStorageLocation;
        }

        var location = Context.Location(spec.StorageLocation);
        if (location is null)
        {
            var which = fromServer ? $"the server default {spec.StorageLocation} does not exist" : $"the default {spec.StorageLocation} was not found";
            errors.Add($"an existing backup storage location was not specified at backup creation time and {which}. Please address this issue (see `velero backup-location -h` for options) and create a new backup. Error: backupstoragelocations.velero.io \"{spec.StorageLocation}\" not found");
        }
        else if (ServerContext.IsReadOnly(location))
        {
            errors.Add($"backup can't be created because backup storage location {spec.StorageLocation} is currently in read-only mode");
        }
        else if (!ServerContext.IsAvailable(location))
        {
            errors.Add($"backup can't be created because BackupStorageLocation {spec.StorageLocation} is in Unavailable status.");
        }

        var ttl = GoDuration.TryParse(spec.Ttl, out var t) && t > TimeSpan.Zero ? t : Context.Options.Backup.DefaultTtl;
        var expiration = VeleroResources.Time(now + ttl);
        var labels = new JsonObject { [VeleroLabels.StorageLocation] = LabelValue.GetValidName(spec.StorageLocation!) };
        if (errors.Count > 0)
        {
            var failed = VeleroResources.Status(
                ("phase", BackupPhase.FailedValidation), ("validationErrors", new JsonArray([.. errors.Select(e => JsonValue.Create(e))])),
                ("version", VeleroConstants.BackupVersion), ("formatVersion", VeleroConstants.BackupFormatVersion), ("expiration", expiration));
            failed["metadata"] = new JsonObject { ["labels"] = labels };
            await Context.PatchAsync<V1Backup>(name, failed, cancellationToken).ConfigureAwait(false);
            Context.Telemetry.Backups.Add(1, new KeyValuePair<string, object?>("phase", BackupPhase.FailedValidation));
            Log.BackupFailed(Logger, null, name, string.Join("; ", errors));
            return;
        }

        var store = await Context.Locations.GetStoreAsync(location!, cancellationToken).ConfigureAwait(false);
        var snapshotLocations = await Context.Locations.GetSnapshotLocationsAsync(Context.SnapshotLocations.Items, cancellationToken).ConfigureAwait(false);
        var inProgress = VeleroResources.Status(
            ("phase", BackupPhase.InProgress), ("startTimestamp", VeleroResources.Time(now)), ("expiration", expiration),
            ("version", VeleroConstants.BackupVersion), ("formatVersion", VeleroConstants.BackupFormatVersion));
        inProgress["metadata"] = new JsonObject { ["labels"] = labels };
        inProgress["spec"] = new JsonObject { ["storageLocation"] = spec.StorageLocation, ["ttl"] = GoDuration.Format(ttl) };
        if (await Context.PatchAsync<V1Backup>(name, inProgress, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }

        spec.Ttl = GoDuration.Format(ttl);
        current.Spec.StorageLocation = spec.StorageLocation;
        var started = Stopwatch.GetTimestamp();
        var engine = new BackupEngine(
            Context.Resources.Api, store, spec.StorageLocation!, Context.Options.Backup, Context.ItemActions, Context.BlockActions, snapshotLocations, Time, Logger);
        using var progress = new ProgressPatcher<BackupProgress>(p => VeleroResources.Status(
            ("progress", new JsonObject { ["totalItems"] = p.TotalItems, ["itemsBackedUp"] = p.ItemsBackedUp })), json => Context.PatchAsync<V1Backup>(name, json, CancellationToken.None));
        var result = await engine.RunAsync(new BackupRequest(current), progress, cancellationToken).ConfigureAwait(false);
        await progress.StopAsync().ConfigureAwait(false);

        // The final status, written as the engine wrote it into velero-backup.json.
        var final = JsonNode.Parse(VeleroJson.Serialize(result.Backup))!.AsObject();
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = final["metadata"]?["labels"]?.DeepClone(),
                ["annotations"] = final["metadata"]?["annotations"]?.DeepClone(),
            },
            ["spec"] = final["spec"]?.DeepClone(),
            ["status"] = final["status"]?.DeepClone(),
        };
        if (result.Phase == BackupPhase.FailedValidation)
        {
            patch["status"]!["startTimestamp"] = null;
        }

        await Context.PatchAsync<V1Backup>(name, patch, CancellationToken.None).ConfigureAwait(false);
        Context.Telemetry.Backups.Add(1, new KeyValuePair<string, object?>("phase", result.Phase));
        Context.Telemetry.BackupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("phase", result.Phase));
    }
}
