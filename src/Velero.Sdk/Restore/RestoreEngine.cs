using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Archive;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Restore.BuiltIn;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Restore;

/// <summary>
/// Runs a restore end to end as Velero's restore controller and engine do: the backup (named, or the latest completed one of a
/// schedule), the archive read and checked as a whole before anything is created, the items (<see cref="RestoreRun"/>), and
/// the restore's files uploaded under <c>restores/&lt;name&gt;/</c>. Also makes dry-run plans.
/// </summary>
internal sealed class RestoreEngine(
    KubeApi api,
    BackupStore store,
    RestoreOptions options,
    IReadOnlyList<RestoreItemAction> customActions,
    IReadOnlyList<SnapshotLocation> snapshotLocations,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The built-in restore item actions, in Velero's order (sorted by name).</summary>
    public static IReadOnlyList<RestoreItemAction> BuiltInActions { get; } =
    [
        new AddPvcFromPodAction(), new AdmissionWebhookConfigurationAction(), new ApiServiceAction(), new ChangeImageNameAction(),
        new ChangeStorageClassAction(), new ClusterRoleBindingAction(), new CrdPreserveFieldsAction(), new InitRestoreHookAction(),
        new JobAction(), new PodAction(), new PodVolumeRestoreAction(), new PvcAction(), new RoleBindingAction(), new SecretAction(),
        new ServiceAction(), new ServiceAccountAction(),
    ];

    public async Task<RestoreResult> RunAsync(RestoreRequest request, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        var (result, _) = await ExecuteAsync(request, dryRun: false, progress, cancellationToken).ConfigureAwait(false);
        if (result.Phase is RestorePhase.Failed or RestorePhase.FailedValidation)
        {
            // A restore that stopped before its items still leaves its resource, as a Velero server leaves the Restore in the cluster.
            try
            {
                await store.PutRestoreMetadataAsync(result.Restore, cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException e)
            {
                Log.RestoreFailed(logger, e, result.Name, "could not upload the restore's resource: " + e.Message);
            }
        }

        return result;
    }

    public async Task<RestorePlan> PlanAsync(RestoreRequest request, CancellationToken cancellationToken)
    {
        var (result, steps) = await ExecuteAsync(request, dryRun: true, null, cancellationToken).ConfigureAwait(false);
        if (result.Phase is RestorePhase.Failed or RestorePhase.FailedValidation)
        {
            var reason = result.FailureReason ?? string.Join("; ", result.ValidationErrors);
            throw new VeleroException(
                result.Phase == RestorePhase.FailedValidation && reason.Contains("not found", StringComparison.Ordinal) ? VeleroErrorCode.NotFound : VeleroErrorCode.Invalid,
                $"cannot plan restore {request.Name}: {reason}");
        }

        return new RestorePlan(result.Restore.Spec.BackupName!, steps, new OperationResults { Errors = result.Errors, Warnings = result.Warnings });
    }

    private async Task<(RestoreResult Result, IReadOnlyList<RestorePlanStep> Steps)> ExecuteAsync(
        RestoreRequest request, bool dryRun, IProgress<RestoreProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var restore = request.ToRestore();
        restore.Metadata.Uid ??= Guid.NewGuid().ToString();
        restore.Metadata.CreationTimestamp ??= time.GetUtcNow().UtcDateTime;
        restore.Status = new V1RestoreStatus { Phase = RestorePhase.InProgress, StartTimestamp = time.GetUtcNow().UtcDateTime };
        restore.Spec.ItemOperationTimeout ??= VeleroConstants.DefaultItemOperationTimeout;
        var results = new OperationResults();
        Log.RestoreStarted(logger, restore.Metadata.Name, dryRun);

        // The backup: named, or the latest completed one of the schedule.
        V1Backup backup;
        try
        {
            backup = await ResolveBackupAsync(restore, cancellationToken).ConfigureAwait(false);
        }
        catch (RestoreValidationException e)
        {
            return (FailValidation(restore, e.Message, results, started), []);
        }

        restore.Spec.BackupName = backup.Metadata.Name;
        if (string.IsNullOrEmpty(restore.Spec.ScheduleName) && backup.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var schedule) == true)
        {
            restore.Spec.ScheduleName = schedule;
        }

        ClusterInfo cluster;
        try
        {
            cluster = await ClusterDiscovery.DiscoverAsync(api, logger, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e)
        {
            return (Fail(restore, "error getting the cluster's API resources: " + e.Message, results, started), []);
        }

        ResourceModifiers? modifiers;
        try
        {
            modifiers = await LoadResourceModifiersAsync(restore, cancellationToken).ConfigureAwait(false);
        }
        catch (RestoreValidationException e)
        {
            return (FailValidation(restore, e.Message, results, started), []);
        }

        // The whole archive is read and checked before anything is created.
        BackupArchiveReader reader;
        IReadOnlyList<Snapshots.VolumeSnapshotRecord> snapshots;
        IReadOnlyList<BackupVolumeInfo> volumeInfos;
        try
        {
            var contents = await store.OpenBackupContentsAsync(backup.Metadata.Name, cancellationToken).ConfigureAwait(false);
            await using (contents.ConfigureAwait(false))
            {
                reader = await BackupArchiveReader.OpenAsync(contents, new BackupArchiveReaderOptions { TempDirectory = options.TempDirectory, IndexVersionDirectories = false }, cancellationToken).ConfigureAwait(false);
            }

            snapshots = await store.GetVolumeSnapshotsAsync(backup.Metadata.Name, cancellationToken).ConfigureAwait(false);
            volumeInfos = await store.GetVolumeInfoAsync(backup.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e)
        {
            return (Fail(restore, $"error reading backup {backup.Metadata.Name}: {e.Message}", results, started), []);
        }

        using (reader)
        {
            var tempDir = Path.Combine(options.TempDirectory ?? Path.GetTempPath(), "velero-sdk-restore-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(tempDir);
            try
            {
                var logPath = Path.Combine(tempDir, "restore.log");
                await using var logFile = new FileStream(logPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
                using var log = new BackupLog(logFile, restore.Metadata.NamespaceProperty + "/" + restore.Metadata.Name, time, "restore");
                log.Info($"Restore {restore.Metadata.Name} of backup {backup.Metadata.Name} started{(dryRun ? " (dry run)" : string.Empty)}");
                results = log.Results;

                var run = new RestoreRun(
                    api, cluster, reader, restore, request, backup, snapshots, volumeInfos, options,
                    [.. BuiltInActions, .. customActions], snapshotLocations, modifiers, log, dryRun, progress, time, logger);
                await run.RunAsync(cancellationToken).ConfigureAwait(false);

                var status = restore.Status;
                status.Phase = results.Errors.Count > 0 ? RestorePhase.PartiallyFailed : RestorePhase.Completed;
                status.Errors = GoJson.OmitZero(results.Errors.Count);
                status.Warnings = GoJson.OmitZero(results.Warnings.Count);
                var items = run.Items;
                status.Progress = new V1RestoreProgress { TotalItems = items.Count, ItemsRestored = items.Count };
                status.HookStatus = new V1HookStatus { HooksAttempted = GoJson.OmitZero(run.HooksAttempted), HooksFailed = GoJson.OmitZero(run.HooksFailed) };
                status.CompletionTimestamp = time.GetUtcNow().UtcDateTime;
                log.Info($"Restore completed with phase {status.Phase}");
                log.Close();

                if (!dryRun)
                {
                    logFile.Position = 0;
                    var upload = new RestoreUpload(restore.Metadata.Name)
                    {
                        TempDirectory = tempDir,
                        Log = logFile,
                        Results = results,
                        ResourceList = items.ResourceList(),
                        ItemOperations = [],
                        VolumeInfo = [],
                        Restore = restore,
                    };
                    try
                    {
                        await store.PutRestoreFilesAsync(upload, cancellationToken).ConfigureAwait(false);
                    }
                    catch (VeleroException e)
                    {
                        Log.RestoreFailed(logger, e, restore.Metadata.Name, "could not upload the restore's files: " + e.Message);
                    }
                }

                var result = new RestoreResult(restore, results, items, time.GetElapsedTime(started));
                progress?.Report(new RestoreProgress { Phase = status.Phase, TotalItems = items.Count, ItemsRestored = items.Count });
                Log.RestoreFinished(logger, restore.Metadata.Name, status.Phase, items.Count, results.Errors.Count, results.Warnings.Count, result.Duration);
                return (result, run.PlanSteps);
            }
            finally
            {
                try
                {
                    Directory.Delete(tempDir, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private async Task<V1Backup> ResolveBackupAsync(V1Restore restore, CancellationToken cancellationToken)
    {
        var spec = restore.Spec;
        if (!string.IsNullOrEmpty(spec.BackupName))
        {
            try
            {
                return await store.GetBackupAsync(spec.BackupName, cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
            {
                throw new RestoreValidationException($"Error retrieving backup: backups.velero.io \"{spec.BackupName}\" not found");
            }
            catch (VeleroException e)
            {
                throw new RestoreValidationException("Error retrieving backup: " + e.Message);
            }
        }

        var candidates = new List<V1Backup>();
        foreach (var name in await store.ListBackupsAsync(cancellationToken).ConfigureAwait(false))
        {
            V1Backup b;
            try
            {
                b = await store.GetBackupAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException)
            {
                continue;
            }

            if (b.Metadata.Labels?.TryGetValue(VeleroLabels.ScheduleName, out var s) == true && s == spec.ScheduleName)
            {
                candidates.Add(b);
            }
        }

        if (candidates.Count == 0)
        {
            throw new RestoreValidationException("No backups found for schedule; No completed backups found for schedule");
        }

        return candidates
            .Where(b => b.Status?.Phase == BackupPhase.Completed)
            .OrderByDescending(b => b.Status?.StartTimestamp ?? DateTime.MinValue)
            .FirstOrDefault()
            ?? throw new RestoreValidationException("No completed backups found for schedule");
    }

    /// <summary>The resource modifier rules of the ConfigMap the restore names (a reference of another kind is ignored, as in Velero).</summary>
    private async Task<ResourceModifiers?> LoadResourceModifiersAsync(V1Restore restore, CancellationToken cancellationToken)
    {
        if (restore.Spec.ResourceModifier is not { } reference || !string.Equals(reference.Kind, "configmap", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var ns = string.IsNullOrEmpty(restore.Metadata.NamespaceProperty) ? options.VeleroNamespace : restore.Metadata.NamespaceProperty;
        var answer = await api.TryGetAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/configmaps/{Uri.EscapeDataString(reference.Name)}", cancellationToken: cancellationToken).ConfigureAwait(false)
            ?? throw new RestoreValidationException($"Error fetching resource modifiers configmap {ns}/{reference.Name}: configmaps \"{reference.Name}\" not found");
        try
        {
            return ResourceModifiers.Parse(JsonNode.Parse(answer.Body)?["data"] as JsonObject, reference.Name);
        }
        catch (FormatException e)
        {
            throw new RestoreValidationException($"Error parsing resource modifiers configmap {ns}/{reference.Name}: {e.Message}");
        }
    }

    private RestoreResult Fail(V1Restore restore, string reason, OperationResults results, long started)
    {
        restore.Status!.Phase = RestorePhase.Failed;
        restore.Status.FailureReason = reason;
        restore.Status.CompletionTimestamp = time.GetUtcNow().UtcDateTime;
        Log.RestoreFailed(logger, null, restore.Metadata.Name, reason);
        return new RestoreResult(restore, results, [], time.GetElapsedTime(started));
    }

    private RestoreResult FailValidation(V1Restore restore, string errors, OperationResults results, long started)
    {
        restore.Status!.Phase = RestorePhase.FailedValidation;
        restore.Status.ValidationErrors = [.. errors.Split("; ")];
        restore.Status.StartTimestamp = null;
        Log.RestoreFailed(logger, null, restore.Metadata.Name, errors);
        return new RestoreResult(restore, results, [], time.GetElapsedTime(started));
    }

    private sealed class RestoreValidationException(string message) : Exception(message);
}
