using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Storage;

/// <summary>
/// Backups and restores in a bucket laid out as Velero lays it out (Velero's <c>BackupStore</c>): an
/// <see cref="Storage.ObjectStore"/> plus an <see cref="ObjectStoreLayout"/>. Safe for concurrent use if the object store is.
/// </summary>
/// <remarks>
/// A backup exists when its <c>velero-backup.json</c> exists. <see cref="PutBackupAsync"/> therefore uploads that file
/// last, with the backup's final phase, so a half-written backup is never visible to Velero's sync or to us, and removes
/// what it uploaded when a step fails. Side files are gzipped compact JSON followed by a newline, as Go's encoder writes
/// them; readers accept a missing file, <c>null</c> and <c>[]</c> alike.
/// </remarks>
public sealed class BackupStore
{
    /// <summary>How long download URLs are valid by default: 10 minutes, as in Velero (<c>DownloadURLTTL</c>).</summary>
    public static readonly TimeSpan DefaultDownloadUrlTtl = TimeSpan.FromMinutes(10);

    private const string AlreadyExistsMessage = "backup already exists in object storage";

    /// <summary>Creates a backup store over <paramref name="objectStore"/> with <paramref name="layout"/>.</summary>
    public BackupStore(ObjectStore objectStore, ObjectStoreLayout layout)
    {
        ArgumentNullException.ThrowIfNull(objectStore);
        ArgumentNullException.ThrowIfNull(layout);
        ObjectStore = objectStore;
        Layout = layout;
    }

    /// <summary>Creates a backup store over <paramref name="objectStore"/> with the layout of <paramref name="prefix"/>.</summary>
    public BackupStore(ObjectStore objectStore, string? prefix = null)
        : this(objectStore, new ObjectStoreLayout(prefix))
    {
    }

    /// <summary>The bucket.</summary>
    public ObjectStore ObjectStore { get; }

    /// <summary>Where files go in the bucket.</summary>
    public ObjectStoreLayout Layout { get; }

    /// <summary>Compression level of the side files and logs this store writes (default <see cref="CompressionLevel.Optimal"/>).</summary>
    public CompressionLevel CompressionLevel { get; set; } = CompressionLevel.Optimal;

    /// <summary>
    /// Uploads a finished backup: the tarball, then the log, results, resource list, volume snapshots, pod volume backups,
    /// item operations and volume info, then <c>velero-backup.json</c> last.
    /// </summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.AlreadyExists"/> (<c>backup already exists in object storage</c>) when
    /// <c>velero-backup.json</c> is already there, nothing being uploaded; <see cref="VeleroErrorCode.StorageFailure"/>
    /// naming the step and key when an upload fails, after deleting (best effort) every key this call uploaded or tried to.
    /// </exception>
    /// <exception cref="OperationCanceledException">Canceled; what was uploaded is deleted first, as for a failure.</exception>
    public async Task PutBackupAsync(BackupUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var name = upload.Backup.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("The backup has no metadata.name.", nameof(upload));
        }

        var metadataKey = Layout.GetBackupMetadataKey(name);
        byte[] metadata = SerializeBackup(upload.Backup);

        if (await ExistsAsync(metadataKey, cancellationToken).ConfigureAwait(false))
        {
            throw new VeleroException(VeleroErrorCode.AlreadyExists, AlreadyExistsMessage);
        }

        var steps = new (string Step, string Key, Func<Stream> Open)[]
        {
            ("contents", Layout.GetBackupContentsKey(name), () => new NonDisposingStream(upload.Contents)),
            ("log", Layout.GetBackupLogKey(name), () => GzipLog(upload.Log)),
            ("results", Layout.GetBackupResultsKey(name), () => Gzip(upload.Results ?? new OperationResults())),
            ("resource list", Layout.GetBackupResourceListKey(name), () => GzipResourceList(upload.ResourceList, upload.TempDirectory)),
            ("volume snapshots", Layout.GetBackupVolumeSnapshotsKey(name), () => Gzip(upload.VolumeSnapshots)),
            ("pod volume backups", Layout.GetPodVolumeBackupsKey(name), () => Gzip(upload.PodVolumeBackups)),
            ("item operations", Layout.GetBackupItemOperationsKey(name), () => Gzip(upload.ItemOperations ?? [])),
            ("volume info", Layout.GetBackupVolumeInfoKey(name), () => Gzip(upload.VolumeInfos ?? [])),
            ("metadata", metadataKey, () => new MemoryStream(metadata, writable: false)),
        };

        var attempted = new List<string>(steps.Length);
        foreach (var (step, key, open) in steps)
        {
            attempted.Add(key);
            try
            {
                var content = open();
                await using (content.ConfigureAwait(false))
                {
                    await ObjectStore.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e)
            {
                var cleanupErrors = await DeleteBestEffortAsync(attempted).ConfigureAwait(false);
                if (e is OperationCanceledException)
                {
                    throw;
                }

                var inner = cleanupErrors.Count == 0 ? e : new AggregateException([e, .. cleanupErrors]);
                var cleanup = cleanupErrors.Count == 0 ? string.Empty : $" (and {cleanupErrors.Count} uploaded file(s) could not be deleted again)";
                throw new VeleroException(
                    VeleroErrorCode.StorageFailure,
                    $"error uploading backup \"{name}\": step \"{step}\" (key \"{key}\") failed: {e.Message}{cleanup}",
                    inner);
            }
        }
    }

    /// <summary>
    /// Replaces <c>velero-backup.json</c> of an existing backup (for example after a status change), as Velero's
    /// <c>PutBackupMetadata</c> does.
    /// </summary>
    public async Task PutBackupMetadataAsync(V1Backup backup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var name = backup.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("The backup has no metadata.name.", nameof(backup));
        }

        using var content = new MemoryStream(SerializeBackup(backup), writable: false);
        await PutAsync(Layout.GetBackupMetadataKey(name), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the backup exists, that is whether its <c>velero-backup.json</c> does.</summary>
    public Task<bool> BackupExistsAsync(string backupName, CancellationToken cancellationToken = default) =>
        ExistsAsync(Layout.GetBackupMetadataKey(backupName), cancellationToken);

    /// <summary>
    /// The names of the backups in the bucket (the common prefixes under <c>backups/</c>), sorted. A folder whose
    /// <c>velero-backup.json</c> is missing is listed too, as Velero lists it; use <see cref="BackupExistsAsync"/> to tell.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        await ListNamesAsync(Layout.BackupsDirectory, cancellationToken).ConfigureAwait(false);

    /// <summary>The names of the restores that have files in the bucket, sorted.</summary>
    public async Task<IReadOnlyList<string>> ListRestoresAsync(CancellationToken cancellationToken = default) =>
        await ListNamesAsync(Layout.RestoresDirectory, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads the Backup resource from <c>velero-backup.json</c>.</summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.NotFound"/> when it does not exist; <see cref="VeleroErrorCode.InvalidArchive"/> when it is
    /// not a <c>velero.io/v1</c> Backup.
    /// </exception>
    public async Task<V1Backup> GetBackupAsync(string backupName, CancellationToken cancellationToken = default)
    {
        var key = Layout.GetBackupMetadataKey(backupName);
        var stream = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            V1Backup? backup;
            try
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                backup = VeleroJson.Deserialize<V1Backup>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            catch (JsonException e)
            {
                throw Undecodable(key, e);
            }

            if (backup is null || backup.ApiVersion != VeleroConstants.ApiVersion || backup.Kind != V1Backup.KubeKind)
            {
                throw new VeleroException(
                    VeleroErrorCode.InvalidArchive,
                    $"error decoding \"{key}\": expected a {VeleroConstants.ApiVersion} {V1Backup.KubeKind}, found apiVersion \"{backup?.ApiVersion}\" kind \"{backup?.Kind}\"");
            }

            return backup;
        }
    }

    /// <summary>Opens the backup's tarball (<c>&lt;b&gt;.tar.gz</c>); the caller disposes the stream.</summary>
    /// <exception cref="VeleroException"><see cref="VeleroErrorCode.NotFound"/> when it does not exist.</exception>
    public Task<Stream> OpenBackupContentsAsync(string backupName, CancellationToken cancellationToken = default) =>
        GetAsync(Layout.GetBackupContentsKey(backupName), cancellationToken);

    /// <summary>Opens the backup's log, decompressed; <see langword="null"/> when there is none.</summary>
    public Task<Stream?> OpenBackupLogAsync(string backupName, CancellationToken cancellationToken = default) =>
        OpenGzipAsync(Layout.GetBackupLogKey(backupName), cancellationToken);

    /// <summary>The native volume snapshot records; empty when the file is missing, <c>null</c> or <c>[]</c>.</summary>
    public async Task<IReadOnlyList<VolumeSnapshotRecord>> GetVolumeSnapshotsAsync(string backupName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<List<VolumeSnapshotRecord>>(Layout.GetBackupVolumeSnapshotsKey(backupName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>The backup's errors and warnings; <see langword="null"/> when the file is missing (backups before Velero 1.11).</summary>
    public Task<OperationResults?> GetResultsAsync(string backupName, CancellationToken cancellationToken = default) =>
        ReadSideFileAsync<OperationResults>(Layout.GetBackupResultsKey(backupName), cancellationToken);

    /// <summary>The backed-up items by <c>"&lt;groupVersion&gt;/&lt;Kind&gt;"</c>; empty when the file is missing or <c>null</c>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetResourceListAsync(string backupName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<Dictionary<string, IReadOnlyList<string>>>(Layout.GetBackupResourceListKey(backupName), cancellationToken).ConfigureAwait(false)
        ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>What happened to each persistent volume; empty when the file is missing, <c>null</c> or <c>[]</c>.</summary>
    public async Task<IReadOnlyList<BackupVolumeInfo>> GetVolumeInfoAsync(string backupName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<List<BackupVolumeInfo>>(Layout.GetBackupVolumeInfoKey(backupName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>The backup's asynchronous item operations as JSON; empty when the file is missing or <c>null</c>.</summary>
    public async Task<JsonArray> GetItemOperationsAsync(string backupName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<JsonArray>(Layout.GetBackupItemOperationsKey(backupName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>The backup's PodVolumeBackup resources as JSON; empty when the file is missing or <c>null</c>.</summary>
    public async Task<JsonArray> GetPodVolumeBackupsAsync(string backupName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<JsonArray>(Layout.GetPodVolumeBackupsKey(backupName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>
    /// Deletes every key under <c>backups/&lt;b&gt;/</c>, <c>velero-backup.json</c> first (so a deletion that stops half-way
    /// leaves no backup that looks valid). Failures are collected and reported together.
    /// </summary>
    /// <exception cref="VeleroException"><see cref="VeleroErrorCode.StorageFailure"/> listing the keys that could not be deleted.</exception>
    public Task DeleteBackupAsync(string backupName, CancellationToken cancellationToken = default) =>
        DeleteDirectoryAsync(Layout.GetBackupDirectory(backupName), Layout.GetBackupMetadataKey(backupName), cancellationToken);

    /// <summary>
    /// Uploads the files of a finished restore, in Velero's order: log, results, resource list, item operations, volume
    /// info; then <c>velero-restore.json</c> when <see cref="RestoreUpload.Restore"/> is set. A failing upload does not stop the others.
    /// </summary>
    /// <exception cref="VeleroException"><see cref="VeleroErrorCode.StorageFailure"/> naming every file that failed.</exception>
    public async Task PutRestoreFilesAsync(RestoreUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var name = upload.RestoreName;
        var steps = new List<(string Step, string Key, Func<Stream> Open)>();
        if (upload.Log is not null)
        {
            steps.Add(("log", Layout.GetRestoreLogKey(name), () => GzipLog(upload.Log)));
        }

        if (upload.Results is not null)
        {
            steps.Add(("results", Layout.GetRestoreResultsKey(name), () => Gzip(upload.Results)));
        }

        if (upload.ResourceList is not null)
        {
            steps.Add(("resource list", Layout.GetRestoreResourceListKey(name), () => GzipResourceList(upload.ResourceList, upload.TempDirectory)));
        }

        if (upload.ItemOperations is not null)
        {
            steps.Add(("item operations", Layout.GetRestoreItemOperationsKey(name), () => Gzip(upload.ItemOperations)));
        }

        if (upload.VolumeInfo is not null)
        {
            steps.Add(("volume info", Layout.GetRestoreVolumeInfoKey(name), () => Gzip(upload.VolumeInfo)));
        }

        if (upload.Restore is not null)
        {
            var metadata = SerializeRestore(upload.Restore, name);
            steps.Add(("metadata", Layout.GetRestoreMetadataKey(name), () => new MemoryStream(metadata, writable: false)));
        }

        var failures = new List<(string Step, string Key, Exception Error)>();
        foreach (var (step, key, open) in steps)
        {
            try
            {
                var content = open();
                await using (content.ConfigureAwait(false))
                {
                    await ObjectStore.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add((step, key, e));
            }
        }

        if (failures.Count > 0)
        {
            var text = string.Join("; ", failures.Select(f => $"step \"{f.Step}\" (key \"{f.Key}\") failed: {f.Error.Message}"));
            throw new VeleroException(
                VeleroErrorCode.StorageFailure,
                $"error uploading files of restore \"{name}\": {text}",
                failures.Count == 1 ? failures[0].Error : new AggregateException(failures.Select(f => f.Error)));
        }
    }

    /// <summary>
    /// Writes (or replaces) a restore's <c>velero-restore.json</c>: the Restore resource with its status, so that the restore
    /// can be listed and described from the bucket (<see cref="GetRestoreAsync"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The restore has no name, or is not a <c>velero.io/v1</c> Restore.</exception>
    /// <exception cref="VeleroException"><see cref="VeleroErrorCode.StorageFailure"/> when the upload fails.</exception>
    public async Task PutRestoreMetadataAsync(V1Restore restore, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(restore);
        var name = restore.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("The restore has no metadata.name.", nameof(restore));
        }

        using var content = new MemoryStream(SerializeRestore(restore, name), writable: false);
        await PutAsync(Layout.GetRestoreMetadataKey(name), content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a restore's Restore resource from <c>velero-restore.json</c> (written by Velero.Sdk's restores; restores made by
    /// Velero itself have none).
    /// </summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.NotFound"/> when it does not exist; <see cref="VeleroErrorCode.InvalidArchive"/> when it is
    /// not a <c>velero.io/v1</c> Restore.
    /// </exception>
    public async Task<V1Restore> GetRestoreAsync(string restoreName, CancellationToken cancellationToken = default)
    {
        var key = Layout.GetRestoreMetadataKey(restoreName);
        var stream = await GetAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            V1Restore? restore;
            try
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                restore = VeleroJson.Deserialize<V1Restore>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            }
            catch (JsonException e)
            {
                throw Undecodable(key, e);
            }

            if (restore is null || restore.ApiVersion != VeleroConstants.ApiVersion || restore.Kind != V1Restore.KubeKind)
            {
                throw new VeleroException(
                    VeleroErrorCode.InvalidArchive,
                    $"error decoding \"{key}\": expected a {VeleroConstants.ApiVersion} {V1Restore.KubeKind}, found apiVersion \"{restore?.ApiVersion}\" kind \"{restore?.Kind}\"");
            }

            return restore;
        }
    }

    /// <summary>Opens a restore's log, decompressed; <see langword="null"/> when there is none.</summary>
    public Task<Stream?> OpenRestoreLogAsync(string restoreName, CancellationToken cancellationToken = default) =>
        OpenGzipAsync(Layout.GetRestoreLogKey(restoreName), cancellationToken);

    /// <summary>A restore's errors and warnings; <see langword="null"/> when the file is missing.</summary>
    public Task<OperationResults?> GetRestoreResultsAsync(string restoreName, CancellationToken cancellationToken = default) =>
        ReadSideFileAsync<OperationResults>(Layout.GetRestoreResultsKey(restoreName), cancellationToken);

    /// <summary>A restore's restored items; empty when the file is missing or <c>null</c>.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> GetRestoreResourceListAsync(string restoreName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<Dictionary<string, IReadOnlyList<string>>>(Layout.GetRestoreResourceListKey(restoreName), cancellationToken).ConfigureAwait(false)
        ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A restore's asynchronous item operations as JSON; empty when the file is missing or <c>null</c>.</summary>
    public async Task<JsonArray> GetRestoreItemOperationsAsync(string restoreName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<JsonArray>(Layout.GetRestoreItemOperationsKey(restoreName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>A restore's volume information as JSON; empty when the file is missing or <c>null</c>.</summary>
    public async Task<JsonArray> GetRestoreVolumeInfoAsync(string restoreName, CancellationToken cancellationToken = default) =>
        await ReadSideFileAsync<JsonArray>(Layout.GetRestoreVolumeInfoKey(restoreName), cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary>Deletes every key under <c>restores/&lt;r&gt;/</c>; failures are collected and reported together.</summary>
    /// <exception cref="VeleroException"><see cref="VeleroErrorCode.StorageFailure"/> listing the keys that could not be deleted.</exception>
    public Task DeleteRestoreAsync(string restoreName, CancellationToken cancellationToken = default) =>
        DeleteDirectoryAsync(Layout.GetRestoreDirectory(restoreName), firstKey: null, cancellationToken);

    /// <summary>
    /// A URL to download the file a DownloadRequest of <paramref name="kind"/> asks for (see
    /// <see cref="ObjectStoreLayout.GetDownloadKey"/>), valid for <paramref name="ttl"/> (default
    /// <see cref="DefaultDownloadUrlTtl"/>).
    /// </summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.Invalid"/> with <c>unsupported download target kind "&lt;kind&gt;"</c> for an unknown kind.
    /// </exception>
    /// <exception cref="NotSupportedException">The object store cannot sign URLs.</exception>
    public Task<Uri> GetDownloadUrlAsync(string kind, string name, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var key = Layout.GetDownloadKey(kind, name);
        return ObjectStore.CreateSignedUrlAsync(key, ttl ?? DefaultDownloadUrlTtl, cancellationToken);
    }

    /// <summary>
    /// Velero's location check: every top-level directory under the root must be one of
    /// <see cref="ObjectStoreLayout.TopLevelDirectoryNames"/> (objects directly in the root are fine).
    /// </summary>
    /// <exception cref="VeleroException">
    /// <see cref="VeleroErrorCode.Invalid"/> with Velero's text, e.g. <c>Backup store contains invalid top-level directories: [a b]</c>;
    /// <see cref="VeleroErrorCode.StorageFailure"/> when the listing fails.
    /// </exception>
    public async Task ValidateAsync(CancellationToken cancellationToken = default)
    {
        var prefixes = new List<string>();
        try
        {
            await foreach (var prefix in ObjectStore.ListCommonPrefixesAsync(Layout.Root, "/", cancellationToken).ConfigureAwait(false))
            {
                prefixes.Add(prefix);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error listing \"{Layout.Root}\": {e.Message}", e);
        }

        var error = Layout.CheckTopLevelDirectories(prefixes);
        if (error is not null)
        {
            throw new VeleroException(VeleroErrorCode.Invalid, error);
        }
    }

    private static byte[] SerializeBackup(V1Backup backup)
    {
        if (backup.ApiVersion != VeleroConstants.ApiVersion || backup.Kind != V1Backup.KubeKind)
        {
            throw new ArgumentException(
                $"The backup must have apiVersion \"{VeleroConstants.ApiVersion}\" and kind \"{V1Backup.KubeKind}\", not \"{backup.ApiVersion}\" and \"{backup.Kind}\".",
                nameof(backup));
        }

        return Encoding.UTF8.GetBytes(VeleroJson.Serialize(backup, indented: true));
    }

    private static byte[] SerializeRestore(V1Restore restore, string name)
    {
        if (restore.ApiVersion != VeleroConstants.ApiVersion || restore.Kind != V1Restore.KubeKind)
        {
            throw new ArgumentException(
                $"The restore must have apiVersion \"{VeleroConstants.ApiVersion}\" and kind \"{V1Restore.KubeKind}\", not \"{restore.ApiVersion}\" and \"{restore.Kind}\".",
                nameof(restore));
        }

        if (restore.Metadata?.Name != name)
        {
            throw new ArgumentException($"The restore is named \"{restore.Metadata?.Name}\", not \"{name}\".", nameof(restore));
        }

        return Encoding.UTF8.GetBytes(VeleroJson.Serialize(restore, indented: true));
    }

    private static SortedDictionary<string, IReadOnlyList<string>> SortedResourceList(IReadOnlyDictionary<string, IReadOnlyList<string>>? list) =>
        new(list?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) ?? [], StringComparer.Ordinal);

    private Stream GzipResourceList(IReadOnlyDictionary<string, IReadOnlyList<string>>? list, string? tempDirectory) =>
        SideFileJson.ResourceListToGzipStream(SortedResourceList(list), CompressionLevel, tempDirectory);

    private MemoryStream Gzip<T>(T value) => new(SideFileJson.ToGzip(value, CompressionLevel), writable: false);

    private GZipCompressingReadStream GzipLog(Stream? log) =>
        new GZipCompressingReadStream(log is null ? Stream.Null : new NonDisposingStream(log), CompressionLevel);

    private async Task<List<string>> ListNamesAsync(string directory, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var prefix in ObjectStore.ListCommonPrefixesAsync(directory, "/", cancellationToken).ConfigureAwait(false))
        {
            var name = prefix.StartsWith(directory, StringComparison.Ordinal) ? prefix[directory.Length..] : prefix;
            names.Add(name.TrimEnd('/'));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private async Task<T?> ReadSideFileAsync<T>(string key, CancellationToken cancellationToken)
        where T : class
    {
        var stream = await TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await SideFileJson.FromGzipAsync<T>(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or InvalidDataException)
            {
                throw Undecodable(key, e);
            }
        }
    }

    private async Task<Stream?> OpenGzipAsync(string key, CancellationToken cancellationToken)
    {
        var stream = await TryGetAsync(key, cancellationToken).ConfigureAwait(false);
        return stream is null ? null : new GZipStream(stream, CompressionMode.Decompress);
    }

    private async Task<Stream?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ObjectStore.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
        {
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error reading \"{key}\": {e.Message}", e);
        }
    }

    private async Task<Stream> GetAsync(string key, CancellationToken cancellationToken) =>
        await TryGetAsync(key, cancellationToken).ConfigureAwait(false)
        ?? throw new VeleroException(VeleroErrorCode.NotFound, $"object \"{key}\" not found");

    private async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await ObjectStore.ExistsAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error checking \"{key}\": {e.Message}", e);
        }
    }

    private async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        try
        {
            await ObjectStore.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error uploading \"{key}\": {e.Message}", e);
        }
    }

    private async Task<List<Exception>> DeleteBestEffortAsync(List<string> keys)
    {
        var errors = new List<Exception>();
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            try
            {
                await ObjectStore.DeleteAsync(keys[i], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }

        return errors;
    }

    private async Task DeleteDirectoryAsync(string directory, string? firstKey, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        try
        {
            await foreach (var key in ObjectStore.ListKeysAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not VeleroException)
        {
            throw new VeleroException(VeleroErrorCode.StorageFailure, $"error listing \"{directory}\": {e.Message}", e);
        }

        if (firstKey is not null && keys.Remove(firstKey))
        {
            keys.Insert(0, firstKey);
        }

        var failures = new List<(string Key, Exception Error)>();
        foreach (var key in keys)
        {
            try
            {
                await ObjectStore.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add((key, e));
            }
        }

        if (failures.Count > 0)
        {
            throw new VeleroException(
                VeleroErrorCode.StorageFailure,
                $"error deleting \"{directory}\": {string.Join("; ", failures.Select(f => $"\"{f.Key}\": {f.Error.Message}"))}",
                new AggregateException(failures.Select(f => f.Error)));
        }
    }

    private static VeleroException Undecodable(string key, Exception e) =>
        new(VeleroErrorCode.InvalidArchive, $"error decoding \"{key}\": {e.Message}", e);
}
