using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Restore;
using Velero.Sdk.Storage;

namespace Velero.Sdk;

/// <summary>
/// Runs Velero backups and restores from .NET: made by <see cref="VeleroClientBuilder"/>,
/// thread-safe, meant to be reused.
/// </summary>
public sealed class VeleroClient : IDisposable
{
    private readonly IDisposable? _owned;
    private readonly KubeApi _api;
    private readonly string _locationName;
    private readonly BackupOptions _backupOptions;
    private readonly IReadOnlyList<BackupItemAction> _itemActions;
    private readonly IReadOnlyList<ItemBlockAction> _blockActions;
    private readonly IReadOnlyList<SnapshotLocation> _snapshotLocations;
    private readonly IReadOnlyList<DeleteItemAction> _deleteActions;
    private readonly RestoreOptions _restoreOptions;
    private readonly IReadOnlyList<RestoreItemAction> _restoreActions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal VeleroClient(
        KubeApi api,
        BackupStore store,
        string locationName,
        BackupOptions backupOptions,
        IReadOnlyList<BackupItemAction> itemActions,
        IReadOnlyList<ItemBlockAction> blockActions,
        IReadOnlyList<SnapshotLocation> snapshotLocations,
        IReadOnlyList<DeleteItemAction> deleteActions,
        RestoreOptions restoreOptions,
        IReadOnlyList<RestoreItemAction> restoreActions,
        TimeProvider time,
        ILogger logger,
        IDisposable? owned)
    {
        _owned = owned;
        _api = api;
        BackupStore = store;
        _locationName = locationName;
        _backupOptions = backupOptions;
        _itemActions = itemActions;
        _blockActions = blockActions;
        _snapshotLocations = snapshotLocations;
        _deleteActions = deleteActions;
        _restoreOptions = restoreOptions;
        _restoreActions = restoreActions;
        _time = time;
        _logger = logger;
    }

    /// <summary>The Velero-layout bucket backups are written to (list, read and delete backups through it).</summary>
    public BackupStore BackupStore { get; }

    /// <summary>Starts a backup and returns at once; the operation reports progress and completes with the result.</summary>
    public Task<BackupOperation> StartBackupAsync(BackupRequest request, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var engine = new BackupEngine(_api, BackupStore, _locationName, _backupOptions, _itemActions, _blockActions, _snapshotLocations, _time, _logger);
        return Task.FromResult(new BackupOperation(request.Name, relay => engine.RunAsync(request, relay, cancellationToken), progress));
    }

    /// <summary>
    /// Deletes a backup as Velero does: runs the delete item actions over its items, deletes its volume snapshots, then, only if
    /// nothing failed, every object of the backup in the bucket. Returns the problems met (empty on full success; the bucket
    /// data is then gone).
    /// </summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.NotFound"/> when the bucket has no such backup.</exception>
    public Task<IReadOnlyList<string>> DeleteBackupAsync(string backupName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(backupName);
        return new BackupDeletion(BackupStore, _deleteActions, _snapshotLocations, _logger).DeleteAsync(backupName, cancellationToken);
    }

    /// <summary>Starts a restore and returns at once; the operation reports progress and completes with the result.</summary>
    public Task<RestoreOperation> StartRestoreAsync(RestoreRequest request, IProgress<RestoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var engine = CreateRestoreEngine();
        return Task.FromResult(new RestoreOperation(request.Name, relay => engine.RunAsync(request, relay, cancellationToken), progress));
    }

    /// <summary>
    /// Runs a restore to its end and returns the result (the phase tells how it went: a missing backup is
    /// <c>FailedValidation</c>, a refused archive <c>Failed</c> with nothing created; it throws only on cancellation).
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(RestoreRequest request, IProgress<RestoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var operation = await StartRestoreAsync(request, progress, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Plans a restore without writing anything: every create and update is sent to the API server with <c>dryRun=All</c>,
    /// so the plan says what would be created, updated, skipped or refused, and why, in the order a restore would go.
    /// </summary>
    /// <exception cref="VeleroException">The backup is missing (<see cref="VeleroErrorCode.NotFound"/>) or cannot be read.</exception>
    public Task<RestorePlan> PlanRestoreAsync(RestoreRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CreateRestoreEngine().PlanAsync(request, cancellationToken);
    }

    private RestoreEngine CreateRestoreEngine() =>
        new(_api, BackupStore, _restoreOptions, _restoreActions, _snapshotLocations, _time, _logger);

    /// <summary>Releases the Kubernetes client the builder created (not one passed to <c>UseKubernetes(IKubernetes)</c>).</summary>
    public void Dispose() => _owned?.Dispose();

    /// <summary>Runs a backup to its end and returns the result (the phase tells how it went; it throws only on cancellation).</summary>
    public async Task<BackupResult> BackupAsync(BackupRequest request, IProgress<BackupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var operation = await StartBackupAsync(request, progress, cancellationToken).ConfigureAwait(false);
        return await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
    }
}
