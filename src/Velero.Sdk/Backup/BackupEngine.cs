using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Archive;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Backup;

/// <summary>
/// Runs a backup end to end as Velero's backup controller and engine do: defaulting, validation against the cluster, the
/// items (<see cref="BackupRun"/>), the archive, and the upload of every file to the bucket with <c>velero-backup.json</c>
/// written last, so a backup that failed half-way never reads Completed.
/// </summary>
internal sealed class BackupEngine(
    KubeApi api,
    BackupStore store,
    string storageLocation,
    BackupOptions options,
    IReadOnlyList<BackupItemAction> itemActions,
    IReadOnlyList<ItemBlockAction> blockActions,
    IReadOnlyList<SnapshotLocation> snapshotLocations,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>The built-in backup item actions, in Velero's order.</summary>
    public static IReadOnlyList<BackupItemAction> BuiltInItemActions { get; } = [new PodBackupAction(), new PvcBackupAction(), new ServiceAccountBackupAction()];

    /// <summary>The built-in item block actions.</summary>
    public static IReadOnlyList<ItemBlockAction> BuiltInBlockActions { get; } = [new PodBlockAction(), new PvcBlockAction(), new ServiceAccountBlockAction()];

    public async Task<BackupResult> RunAsync(BackupRequest request, IProgress<BackupProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var backup = request.ToBackup();
        var now = time.GetUtcNow();
        ApplyDefaults(backup, now);
        var results = new OperationResults();
        Log.BackupStarted(logger, backup.Metadata.Name);

        string? tempDir = null;
        try
        {
            if (await store.BackupExistsAsync(backup.Metadata.Name, cancellationToken).ConfigureAwait(false))
            {
                return Fail(backup, "backup already exists in object storage", results, started);
            }

            ClusterInfo cluster;
            try
            {
                cluster = await ClusterDiscovery.DiscoverAsync(api, logger, cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException e)
            {
                return Fail(backup, "error getting the cluster's API resources: " + e.Message, results, started);
            }

            backup.Metadata.Annotations ??= new Dictionary<string, string>();
            backup.Metadata.Annotations[VeleroAnnotations.SourceClusterK8sGitVersion] = cluster.GitVersion;
            backup.Metadata.Annotations[VeleroAnnotations.SourceClusterK8sMajorVersion] = cluster.Major;
            backup.Metadata.Annotations[VeleroAnnotations.SourceClusterK8sMinorVersion] = cluster.Minor;

            var (locations, validation) = ResolveSnapshotLocations(backup);
            if (validation.Count > 0)
            {
                return FailValidation(backup, validation, results, started);
            }

            backup.Spec.VolumeSnapshotLocations = locations.Count == 0 ? backup.Spec.VolumeSnapshotLocations : [.. locations.Select(l => l.Name)];

            tempDir = Path.Combine(options.TempDirectory ?? Path.GetTempPath(), "velero-sdk-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(tempDir);
            var tarPath = Path.Combine(tempDir, backup.Metadata.Name + ".tar.gz");
            var logPath = Path.Combine(tempDir, backup.Metadata.Name + ".log");
            await using var logFile = new FileStream(logPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var log = new BackupLog(logFile, backup.Metadata.NamespaceProperty + "/" + backup.Metadata.Name, time);
            log.Info($"Backup {backup.Metadata.Name} started");
            results = log.Results;

            // The resource list's entries wait in a file while the backup runs (read back once, for the upload).
            await using var entrySpill = new FileStream(
                Path.Combine(tempDir, backup.Metadata.Name + ".entries"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            // So do the keys of the items backed up, past the latest few thousand (looked up there when not in memory).
            using var keyFile = new Collections.KeyBucketFile(
                Collections.UnlinkedFile.Create(Path.Combine(tempDir, backup.Metadata.Name + ".keys"), bufferSize: 0), "the backup's item table");
            BackupRun run;
            await using (var tarFile = new FileStream(tarPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                await using var writer = new BackupArchiveWriter(tarFile, new BackupArchiveWriterOptions { CompressionLevel = options.CompressionLevel, TimeProvider = time, LeaveOpen = true });
                run = new BackupRun(backup, api, cluster, new ArchiveItemSink(writer), log, options, itemActions, blockActions, locations, progress, time, logger, entrySpill, keyFile);
                try
                {
                    await run.RunAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.Invalid && e.Message.StartsWith(InvalidNamespacesPrefix, StringComparison.Ordinal))
                {
                    return FailValidation(backup, [e.Message], results, started);
                }
                catch (VeleroException e)
                {
                    log.Error(e.Message);
                    log.Close();
                    return await UploadFailedAsync(backup, e.Message, results, started, cancellationToken).ConfigureAwait(false);
                }

                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }

            var status = backup.Status!;
            status.Phase = results.Errors.Count > 0 ? BackupPhase.PartiallyFailed : BackupPhase.Completed;
            status.Errors = GoJson.OmitZero(results.Errors.Count);
            status.Warnings = GoJson.OmitZero(results.Warnings.Count);
            status.Progress = new V1BackupProgress { TotalItems = run.ItemCount, ItemsBackedUp = run.ItemCount };
            status.VolumeSnapshotsAttempted = GoJson.OmitZero(run.Snapshots.Attempted);
            status.VolumeSnapshotsCompleted = GoJson.OmitZero(run.Snapshots.Completed);
            status.HookStatus = new V1HookStatus { HooksAttempted = GoJson.OmitZero(run.HooksAttempted), HooksFailed = GoJson.OmitZero(run.HooksFailed) };
            status.CompletionTimestamp = time.GetUtcNow().UtcDateTime;
            log.Info($"Backup completed with phase {status.Phase}");
            log.Close();

            // A 64 KiB read buffer: the stores copy in chunks of that order, and a larger one would be a large object.
            await using (var contents = new FileStream(tarPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
            {
                logFile.Position = 0;
                var upload = new BackupUpload(backup, contents)
                {
                    TempDirectory = tempDir,
                    Log = logFile,
                    Results = results,
                    ResourceList = run.ResourceList(),
                    VolumeSnapshots = run.Snapshots.Records,
                    ItemOperations = [],
                    VolumeInfos = VolumeInfos(run.Snapshots),
                };
                try
                {
                    await store.PutBackupAsync(upload, cancellationToken).ConfigureAwait(false);
                }
                catch (VeleroException e)
                {
                    status.Phase = BackupPhase.Failed;
                    status.FailureReason = "error uploading the backup: " + e.Message;
                    Log.BackupFailed(logger, e, backup.Metadata.Name, status.FailureReason);
                    return new BackupResult(backup, results, run.ItemsPerResource, time.GetElapsedTime(started));
                }
            }

            var result = new BackupResult(backup, results, run.ItemsPerResource, time.GetElapsedTime(started));
            progress?.Report(new BackupProgress { Phase = status.Phase, TotalItems = run.ItemCount, ItemsBackedUp = run.ItemCount, ItemsPerResource = run.ItemsPerResource });
            Log.BackupFinished(logger, backup.Metadata.Name, status.Phase, run.ItemCount, results.Errors.Count, results.Warnings.Count, result.Duration);
            return result;
        }
        finally
        {
            if (tempDir is not null)
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

    internal const string InvalidNamespacesPrefix = "Invalid included/excluded namespace lists: ";

    private void ApplyDefaults(V1Backup backup, DateTimeOffset now)
    {
        var spec = backup.Spec;
        if (string.IsNullOrEmpty(spec.Ttl) || (GoDuration.TryParse(spec.Ttl, out var ttl) && ttl == TimeSpan.Zero))
        {
            spec.Ttl = GoDuration.Format(options.DefaultTtl);
        }

        spec.StorageLocation = string.IsNullOrEmpty(spec.StorageLocation) ? storageLocation : spec.StorageLocation;
        spec.VolumeGroupSnapshotLabelKey ??= VeleroConstants.DefaultVolumeGroupSnapshotLabelKey;
        spec.CsiSnapshotTimeout ??= VeleroConstants.DefaultCsiSnapshotTimeout;
        spec.ItemOperationTimeout ??= VeleroConstants.DefaultItemOperationTimeout;
        spec.IncludedNamespaces = spec.IncludedNamespaces is { Count: > 0 } ? spec.IncludedNamespaces : ["*"];
        spec.DefaultVolumesToFsBackup ??= false;
        spec.SnapshotMoveData ??= false;
        backup.Metadata.Labels ??= new Dictionary<string, string>();
        backup.Metadata.Labels[VeleroLabels.StorageLocation] = LabelValue.GetValidName(spec.StorageLocation);
        backup.Metadata.Uid ??= Guid.NewGuid().ToString();
        backup.Metadata.CreationTimestamp ??= now.UtcDateTime;
        backup.Status = new V1BackupStatus
        {
            Version = VeleroConstants.BackupVersion,
            FormatVersion = VeleroConstants.BackupFormatVersion,
            Phase = BackupPhase.InProgress,
            StartTimestamp = now.UtcDateTime,
            Expiration = (now + GoDuration.Parse(spec.Ttl)).UtcDateTime,
        };
    }

    /// <summary>Velero's VolumeSnapshotLocation rules (velero-engine.md 3.13.2).</summary>
    private (List<SnapshotLocation> Locations, List<string> Errors) ResolveSnapshotLocations(V1Backup backup)
    {
        var errors = new List<string>();
        var chosen = new Dictionary<string, SnapshotLocation>(StringComparer.Ordinal);
        foreach (var name in backup.Spec.VolumeSnapshotLocations ?? [])
        {
            var location = snapshotLocations.FirstOrDefault(l => l.Name == name);
            if (location is null)
            {
                errors.Add($"a VolumeSnapshotLocation CRD for the location {name} with the name specified in the backup spec needs to be created before this snapshot can be executed. Error: volumesnapshotlocations.velero.io \"{name}\" not found");
                continue;
            }

            if (chosen.TryGetValue(location.Provider, out var first) && first.Name != name)
            {
                errors.Add($"more than one VolumeSnapshotLocation name specified for provider {location.Provider}: {name}; unexpected name was {first.Name}");
                continue;
            }

            chosen[location.Provider] = location;
        }

        foreach (var group in snapshotLocations.GroupBy(l => l.Provider, StringComparer.Ordinal))
        {
            if (chosen.ContainsKey(group.Key))
            {
                continue;
            }

            if (group.Count() == 1)
            {
                chosen[group.Key] = group.First();
            }
            else if (options.DefaultVolumeSnapshotLocations.TryGetValue(group.Key, out var defaultName) && group.FirstOrDefault(l => l.Name == defaultName) is { } d)
            {
                chosen[group.Key] = d;
            }
            else
            {
                errors.Add($"provider {group.Key} has more than one possible volume snapshot location, and none were specified explicitly or as a default");
            }
        }

        return ([.. chosen.Values], errors);
    }

    private static List<BackupVolumeInfo> VolumeInfos(VolumeSnapshots snapshots)
    {
        var infos = new List<BackupVolumeInfo>();
        foreach (var (record, pv) in snapshots.Snapshotted)
        {
            var info = VolumeInfo(pv);
            info.BackupMethod = "NativeSnapshot";
            info.Result = record.Status.Phase == "Completed" ? "succeeded" : "failed";
            info.NativeSnapshotInfo = new NativeSnapshotInfo
            {
                SnapshotHandle = record.Status.ProviderSnapshotId ?? string.Empty,
                VolumeType = record.Spec.VolumeType,
                VolumeAz = record.Spec.VolumeAz ?? string.Empty,
                Iops = record.Spec.VolumeIops?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                Phase = record.Status.Phase ?? string.Empty,
            };
            infos.Add(info);
        }

        foreach (var skipped in snapshots.Skipped)
        {
            var info = VolumeInfo(skipped.PersistentVolume);
            info.Skipped = true;
            info.SkippedReason = skipped.Reason;
            infos.Add(info);
        }

        return infos;
    }

    private static BackupVolumeInfo VolumeInfo(JsonObject pv) => new()
    {
        PvName = JsonPath.Name(pv),
        PvcName = JsonPath.String(pv, "spec", "claimRef", "name"),
        PvcNamespace = JsonPath.String(pv, "spec", "claimRef", "namespace"),
        PvInfo = new PersistentVolumeInfo
        {
            ReclaimPolicy = JsonPath.String(pv, "spec", "persistentVolumeReclaimPolicy") ?? string.Empty,
            Labels = JsonPath.Object(pv, "metadata", "labels")?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? string.Empty),
        },
    };

    private BackupResult Fail(V1Backup backup, string reason, OperationResults results, long started)
    {
        backup.Status!.Phase = BackupPhase.Failed;
        backup.Status.FailureReason = reason;
        backup.Status.CompletionTimestamp = time.GetUtcNow().UtcDateTime;
        Log.BackupFailed(logger, null, backup.Metadata.Name, reason);
        return new BackupResult(backup, results, new Dictionary<string, int>(), time.GetElapsedTime(started));
    }

    private BackupResult FailValidation(V1Backup backup, IReadOnlyList<string> errors, OperationResults results, long started)
    {
        backup.Status!.Phase = BackupPhase.FailedValidation;
        backup.Status.ValidationErrors = [.. errors];
        backup.Status.StartTimestamp = null;
        Log.BackupFailed(logger, null, backup.Metadata.Name, string.Join("; ", errors));
        return new BackupResult(backup, results, new Dictionary<string, int>(), time.GetElapsedTime(started));
    }

    /// <summary>A backup that failed in the engine: its metadata (phase Failed) is uploaded so the failure is visible in the bucket.</summary>
    private async Task<BackupResult> UploadFailedAsync(V1Backup backup, string reason, OperationResults results, long started, CancellationToken cancellationToken)
    {
        var result = Fail(backup, reason, results, started);
        backup.Status!.Errors = GoJson.OmitZero(results.Errors.Count);
        backup.Status.Warnings = GoJson.OmitZero(results.Warnings.Count);
        try
        {
            await store.PutBackupMetadataAsync(backup, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e)
        {
            Log.BackupFailed(logger, e, backup.Metadata.Name, "could not record the failed backup in object storage: " + e.Message);
        }

        return result;
    }
}
