using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Hosting;

/// <summary>
/// The Velero server inside a .NET host: reconciles the velero.io/v1 resources of its namespace (backups, restores, schedules,
/// garbage collection, deletion requests, bucket sync, locations, download and status requests) as Velero's controllers do.
/// Registered by <c>services.AddVelero(...)</c> as a hosted service; with leader election on, only the replica holding the
/// Lease reconciles and another takes over when it goes.
/// </summary>
public sealed class VeleroServer : IHostedService, IAsyncDisposable
{
    private readonly VeleroServerOptions _options;
    private readonly IKubernetes _client;
    private readonly ServerRegistrations _registrations;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;
    private readonly bool _ownsClient;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task? _loop;
    private volatile bool _leading;
    private int _disposed;

    internal VeleroServer(
        VeleroServerOptions options, IKubernetes client, bool ownsClient, ServerRegistrations registrations, ILoggerFactory loggerFactory, TimeProvider time, IMeterFactory? meterFactory)
    {
        _options = options;
        _client = client;
        _ownsClient = ownsClient;
        _registrations = registrations;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Velero.Sdk.Hosting");
        _time = time;
        _telemetry = new Telemetry(meterFactory);
    }

    /// <summary>Whether this replica leads (reconciles) now.</summary>
    public bool IsLeader => _leading;

    /// <summary>The settings the server runs with.</summary>
    public VeleroServerOptions Options => _options;

    /// <summary>
    /// Completes when this replica leads and its controllers watch the cluster (at once for a single replica; when the
    /// leader goes, for a standby).
    /// </summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>Checks the settings and starts the server in the background.</summary>
    /// <exception cref="VeleroValidationException">The settings are invalid (every problem is listed).</exception>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new VeleroValidationException("invalid Velero server settings", problems);
        }

        if (_loop is not null)
        {
            return Task.CompletedTask;
        }

        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token;
        _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops reconciling: running backups and restores are interrupted (a later start marks them Failed, as Velero does).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null || _loop is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
        _telemetry.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await EnsureNamespaceAsync(stopping).ConfigureAwait(false);
            if (!_options.LeaderElection.Enabled)
            {
                await LeadAsync(stopping).ConfigureAwait(false);
                return;
            }

            var le = _options.LeaderElection;
            while (!stopping.IsCancellationRequested)
            {
                using var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(_client, _options.Namespace, le.LeaseName, le.Identity))
                {
                    LeaseDuration = le.LeaseDuration,
                    RenewDeadline = le.RenewDeadline,
                    RetryPeriod = le.RetryPeriod,
                });
                using var term = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                Task? leading = null;
                elector.OnStartedLeading += () =>
                {
                    Log.LeadershipAcquired(_logger, le.Identity, le.LeaseName);
                    leading = Task.Run(() => LeadAsync(term.Token), CancellationToken.None);
                };
                elector.OnStoppedLeading += () =>
                {
                    Log.LeadershipLost(_logger, le.Identity);
                    term.Cancel();
                };
                try
                {
                    await elector.RunUntilLeadershipLostAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                }

                await term.CancelAsync().ConfigureAwait(false);
                if (leading is not null)
                {
                    await leading.ConfigureAwait(false);
                }
            }

            await ReleaseLeaseAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>One leadership term: start-up work, informers, controllers, until the term ends.</summary>
    private async Task LeadAsync(CancellationToken term)
    {
        var logger = _logger;
        var api = new KubeApi(_client, _options.Kubernetes, TimeProvider.System, logger); // Rate limits and retries run on the wall clock.
        var resources = new VeleroResources(api, _options.Namespace);
        using var locations = new Locations(resources, _registrations.ObjectStoreProviders, _registrations.SnapshotterProviders, _loggerFactory);
        _options.Restore.VeleroNamespace = _options.Namespace;
        var context = new ServerContext
        {
            Options = _options,
            Resources = resources,
            Time = _time,
            Logger = logger,
            LoggerFactory = _loggerFactory,
            Telemetry = _telemetry,
            Locations = locations,
            ItemActions = [.. BackupEngine.BuiltInItemActions, .. _registrations.ItemActions],
            BlockActions = [.. BackupEngine.BuiltInBlockActions, .. _registrations.BlockActions],
            RestoreActions = [.. _registrations.RestoreActions],
            DeleteActions = [.. _registrations.DeleteActions],
        };

        using var informersStop = CancellationTokenSource.CreateLinkedTokenSource(term);
        var informers = new List<Task>();
        var controllers = new List<Task>();
        BackupController? backups = null;
        try
        {
            await StartUpAsync(resources, term).ConfigureAwait(false);
            informers.AddRange(context.InformerLoops.Select(loop => Task.Run(() => loop(informersStop.Token), CancellationToken.None)));
            await context.AllSynced.WaitAsync(term).ConfigureAwait(false);

            var locationController = new StorageLocationController(context);
            await locationController.ValidateAllAsync(term).ConfigureAwait(false);
            bool Enabled(string name) => !_options.DisabledControllers.Contains(name);
            var all = new List<Controller> { locationController };
            var runBackups = !_options.RestoreOnly && Enabled("backup");
            if (Enabled("backup-queue") || runBackups)
            {
                all.Add(backups = new BackupController(context, runBackups));
            }

            if (Enabled("restore"))
            {
                all.Add(new RestoreController(context));
            }

            if (!_options.RestoreOnly && Enabled("schedule"))
            {
                all.Add(new ScheduleController(context));
            }

            if (!_options.RestoreOnly && Enabled("gc"))
            {
                all.Add(new GarbageCollectionController(context));
            }

            if (!_options.RestoreOnly && Enabled("backup-deletion"))
            {
                all.Add(new BackupDeletionController(context));
            }

            if (Enabled("backup-sync"))
            {
                all.Add(new BackupSyncController(context));
            }

            if (Enabled("download-request"))
            {
                all.Add(new DownloadRequestController(context));
            }

            if (Enabled("server-status-request"))
            {
                all.Add(new ServerStatusRequestController(context));
            }

            foreach (var controller in all)
            {
                controller.Prepare();
            }

            controllers.AddRange(all.Select(c => Task.Run(() => c.RunAsync(term), CancellationToken.None)));
            _leading = true;
            _ready.TrySetResult();
            Log.ServerReady(logger, _options.Namespace, string.Join(", ", all.Select(c => c.Name)), _options.RestoreOnly);
            await Task.Delay(Timeout.Infinite, term).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
        }
        finally
        {
            _leading = false;
            if (_ready.Task.IsCompleted)
            {
                _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            await Task.WhenAll(controllers).ConfigureAwait(false);
            if (backups is not null)
            {
                await backups.WhenRunsDone().ConfigureAwait(false);
            }

            await informersStop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(informers).ConfigureAwait(false);
        }
    }

    /// <summary>Before any controller: CRDs, declared locations, the default location, and runs a previous server left InProgress.</summary>
    private async Task StartUpAsync(VeleroResources resources, CancellationToken cancellationToken)
    {
        if (_options.InstallCustomResourceDefinitions)
        {
            await VeleroCustomResourceDefinitions.InstallAsync(_client, _logger, cancellationToken).ConfigureAwait(false);
        }

        foreach (var location in _registrations.StorageLocations)
        {
            var copy = VeleroJson.Deserialize<V1BackupStorageLocation>(VeleroJson.Serialize(location))!;
            copy.Metadata.NamespaceProperty = _options.Namespace;
            if (await resources.TryCreateAsync(copy, cancellationToken).ConfigureAwait(false))
            {
                Log.LocationCreated(_logger, copy.Metadata.Name, copy.Spec?.Provider ?? string.Empty);
            }
        }

        foreach (var location in _registrations.SnapshotLocations)
        {
            var copy = VeleroJson.Deserialize<V1VolumeSnapshotLocation>(VeleroJson.Serialize(location))!;
            copy.Metadata.NamespaceProperty = _options.Namespace;
            await resources.TryCreateAsync(copy, cancellationToken).ConfigureAwait(false);
        }

        var (bsls, _) = await resources.ListAsync<V1BackupStorageLocation>(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (bsls.FirstOrDefault(l => l.Metadata.Name == _options.DefaultBackupStorageLocation) is { } named && named.Spec?.Default != true)
        {
            await resources.PatchAsync<V1BackupStorageLocation>(named.Metadata.Name, new JsonObject { ["spec"] = new JsonObject { ["default"] = true } }, cancellationToken).ConfigureAwait(false);
        }

        var now = VeleroResources.Time(_time.GetUtcNow());
        var (backups, _) = await resources.ListAsync<V1Backup>(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var backup in backups.Where(b => b.Status?.Phase == BackupPhase.InProgress))
        {
            await resources.PatchAsync<V1Backup>(backup.Metadata.Name, VeleroResources.Status(
                ("phase", BackupPhase.Failed), ("failureReason", "found a backup with status \"InProgress\" during the server starting, mark it as \"Failed\""),
                ("completionTimestamp", now)), cancellationToken).ConfigureAwait(false);
            Log.InterruptedRunFailed(_logger, "backup", backup.Metadata.Name);
        }

        var (restores, _) = await resources.ListAsync<V1Restore>(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var restore in restores.Where(r => r.Status?.Phase == RestorePhase.InProgress))
        {
            await resources.PatchAsync<V1Restore>(restore.Metadata.Name, VeleroResources.Status(
                ("phase", RestorePhase.Failed), ("failureReason", "found a restore with status \"InProgress\" during the server starting, mark it as \"Failed\""),
                ("completionTimestamp", now)), cancellationToken).ConfigureAwait(false);
            Log.InterruptedRunFailed(_logger, "restore", restore.Metadata.Name);
        }
    }

    private async Task EnsureNamespaceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = _options.Namespace } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
        {
        }
    }

    /// <summary>On a clean stop the lease is handed back, so a standby takes over at once rather than after the lease runs out.</summary>
    private async Task ReleaseLeaseAsync()
    {
        var le = _options.LeaderElection;
        try
        {
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(le.LeaseName, _options.Namespace).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity == le.Identity)
            {
                lease.Spec.HolderIdentity = null;
                lease.Spec.LeaseDurationSeconds = 1;
                await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, le.LeaseName, _options.Namespace).ConfigureAwait(false);
            }
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            // Someone else holds or removed it: nothing to hand back.
        }
        catch (HttpRequestException)
        {
        }
    }
}
