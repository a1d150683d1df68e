using System.Reflection;
using System.Text.Json.Nodes;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;

namespace Velero.Sdk.Hosting;

/// <summary>
/// DownloadRequests (velero-api.md 14.13): a new request gets a signed URL to the file it names (for restore kinds, through the
/// restore's backup) valid for the download TTL; requests past their expiration are deleted whatever their phase. Requests
/// whose backup, restore or location is missing are left unprocessed, to expire.
/// </summary>
internal sealed class DownloadRequestController(ServerContext context) : Controller("download-request", context)
{
    protected override TimeSpan? ResyncPeriod => TimeSpan.FromMinutes(1);

    protected override IEnumerable<string> PeriodicNames() => Context.DownloadRequests.Items.Select(r => r.Metadata.Name);

    protected override void Subscribe() => Context.DownloadRequests.Subscribe((type, request) =>
    {
        if (type != ChangeType.Deleted && request.Status?.Phase is null or "" or DownloadRequestPhase.New)
        {
            Enqueue(request.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var request = Context.DownloadRequests.Get(key);
        if (request is null)
        {
            return;
        }

        var now = Context.Now;
        if (request.Status?.Expiration is { } expiration && DateTime.SpecifyKind(expiration, DateTimeKind.Utc) < now.UtcDateTime)
        {
            await Context.Resources.DeleteAsync<V1DownloadRequest>(key, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Status?.Phase == DownloadRequestPhase.Processed)
        {
            return;
        }

        var ttl = Context.Options.DownloadUrlTtl;
        var expires = VeleroResources.Time(now + ttl);
        if (request.Status?.Expiration is null)
        {
            request = await Context.PatchAsync<V1DownloadRequest>(key, VeleroResources.Status(("expiration", expires)), cancellationToken).ConfigureAwait(false) ?? request;
        }

        var kind = request.Spec?.Target?.Kind ?? string.Empty;
        var name = request.Spec?.Target?.Name ?? string.Empty;
        var backupName = name;
        if (kind.StartsWith("Restore", StringComparison.Ordinal))
        {
            var restore = Context.Restores.Get(name);
            if (restore is null)
            {
                Log.DownloadUnresolved(Logger, key, $"restore {name} not found");
                return;
            }

            backupName = restore.Spec.BackupName ?? string.Empty;
        }

        var backup = Context.Backups.Get(backupName);
        var location = backup is null ? null : Context.Location(backup.Spec.StorageLocation);
        if (location is null)
        {
            Log.DownloadUnresolved(Logger, key, backup is null ? $"backup {backupName} not found" : $"backup storage location {backup.Spec.StorageLocation} not found");
            return;
        }

        var store = await Context.Locations.GetStoreAsync(location, cancellationToken).ConfigureAwait(false);
        var url = await store.GetDownloadUrlAsync(kind, name, ttl, cancellationToken).ConfigureAwait(false);
        await Context.PatchAsync<V1DownloadRequest>(key, VeleroResources.Status(
            ("downloadURL", url.ToString()), ("phase", DownloadRequestPhase.Processed), ("expiration", expires)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// ServerStatusRequests (velero-api.md 14.13): a new request is answered with the server version and the plugins (item actions
/// and storage providers, with their kinds); processed requests older than a minute are deleted.
/// </summary>
internal sealed class ServerStatusRequestController(ServerContext context) : Controller("server-status-request", context)
{
    /// <summary>The version a ServerStatusRequest reports: the library's.</summary>
    public static string ServerVersion { get; } =
        typeof(ServerStatusRequestController).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    protected override TimeSpan? ResyncPeriod => TimeSpan.FromMinutes(5);

    protected override IEnumerable<string> PeriodicNames() => Context.StatusRequests.Items.Select(r => r.Metadata.Name);

    protected override void Subscribe() => Context.StatusRequests.Subscribe((type, request) =>
    {
        if (type != ChangeType.Deleted)
        {
            Enqueue(request.Metadata.Name);
        }
    });

    protected override async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var request = Context.StatusRequests.Get(key);
        if (request is null)
        {
            return;
        }

        var now = Context.Now;
        switch (request.Status?.Phase)
        {
            case null or "" or ServerStatusRequestPhase.New:
                var plugins = new JsonArray();
                foreach (var (name, kind) in Plugins())
                {
                    plugins.Add(new JsonObject { ["name"] = name, ["kind"] = kind });
                }

                await Context.PatchAsync<V1ServerStatusRequest>(key, VeleroResources.Status(
                    ("phase", ServerStatusRequestPhase.Processed), ("processedTimestamp", VeleroResources.Time(now)), ("serverVersion", ServerVersion), ("plugins", plugins)), cancellationToken).ConfigureAwait(false);

                break;
            case ServerStatusRequestPhase.Processed:
                if (request.Status.ProcessedTimestamp is { } processed && now.UtcDateTime - DateTime.SpecifyKind(processed, DateTimeKind.Utc) > TimeSpan.FromMinutes(1))
                {
                    await Context.Resources.DeleteAsync<V1ServerStatusRequest>(key, cancellationToken).ConfigureAwait(false);
                }

                break;
            default:
                throw new VeleroException(VeleroErrorCode.Invalid, "unexpected ServerStatusRequest phase");
        }
    }

    private IEnumerable<(string Name, string Kind)> Plugins()
    {
        foreach (var (name, kind) in Context.Locations.Plugins)
        {
            yield return (name, kind);
        }

        foreach (var a in Context.ItemActions)
        {
            yield return (a.Name, PluginKind.BackupItemActionV2);
        }

        foreach (var a in Context.BlockActions)
        {
            yield return (a.Name, PluginKind.ItemBlockAction);
        }

        foreach (var a in Context.RestoreActions)
        {
            yield return (a.Name, PluginKind.RestoreItemActionV2);
        }

        foreach (var a in Context.DeleteActions)
        {
            yield return (a.Name, PluginKind.DeleteItemAction);
        }
    }
}
