using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

public class BackupStoreTests
{
    private static readonly DateTime Start = new(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);

    private readonly InMemoryObjectStore _memory = new();

    private BackupStore Store => new(_memory, "velero");

    internal static V1Backup Backup(string name, string phase = BackupPhase.Completed) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "velero",
            Uid = "6a1b8c0e-0000-4000-8000-000000000001",
            Labels = new Dictionary<string, string> { [VeleroLabels.StorageLocation] = "default" },
        },
        Spec = new V1BackupSpec { StorageLocation = "default", Ttl = "720h0m0s", IncludedNamespaces = ["web"] },
        Status = new V1BackupStatus
        {
            Version = 1,
            FormatVersion = "1.1.0",
            Phase = phase,
            StartTimestamp = Start,
            CompletionTimestamp = Start.AddMinutes(1),
            Expiration = Start.AddDays(30),
        },
    };

    private static BackupUpload FullUpload(string name, byte[]? tarball = null) => new(Backup(name), new MemoryStream(tarball ?? Encoding.ASCII.GetBytes("tarball-bytes")))
    {
        Log = new MemoryStream(Encoding.UTF8.GetBytes("time=\"2024-05-06T07:08:09Z\" level=info msg=\"Backup completed\"\n")),
        Results = ResultsWithWarning(),
        ResourceList = new Dictionary<string, IReadOnlyList<string>>
        {
            ["v1/Pod"] = ["web/nginx-1"],
            ["apps/v1/Deployment"] = ["web/nginx"],
            ["v1/Namespace"] = ["web"],
        },
        VolumeSnapshots =
        [
            new VolumeSnapshotRecord
            {
                Spec = new VolumeSnapshotRecordSpec
                {
                    BackupName = name, BackupUid = "uid", Location = "aws-default", PersistentVolumeName = "pvc-1",
                    ProviderVolumeId = "vol-0abc", VolumeType = "gp3", VolumeAz = "us-east-1a", VolumeIops = 0,
                },
                Status = new VolumeSnapshotRecordStatus { ProviderSnapshotId = "snap-0def", Phase = "Completed" },
            },
        ],
        ItemOperations = [],
        VolumeInfos =
        [
            new BackupVolumeInfo
            {
                PvcName = "data", PvcNamespace = "web", PvName = "pvc-1", BackupMethod = "NativeSnapshot", Result = "succeeded",
                StartTimestamp = Start, CompletionTimestamp = Start.AddSeconds(5),
                NativeSnapshotInfo = new NativeSnapshotInfo { SnapshotHandle = "snap-0def", VolumeType = "gp3", VolumeAz = "us-east-1a", Iops = "0", Phase = "Completed" },
                PvInfo = new PersistentVolumeInfo { ReclaimPolicy = "Delete", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ],
    };

    private static OperationResults ResultsWithWarning()
    {
        var results = new OperationResults();
        results.Warnings.AddNamespace("web", "resource: /pods name: /nginx-1 message: /skipped");
        return results;
    }

    private static string Gunzip(byte[] gz)
    {
        using var stream = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static readonly string[] UploadOrder =
    [
        "velero/backups/b1/b1.tar.gz",
        "velero/backups/b1/b1-logs.gz",
        "velero/backups/b1/b1-results.gz",
        "velero/backups/b1/b1-resource-list.json.gz",
        "velero/backups/b1/b1-volumesnapshots.json.gz",
        "velero/backups/b1/b1-podvolumebackups.json.gz",
        "velero/backups/b1/b1-itemoperations.json.gz",
        "velero/backups/b1/b1-volumeinfo.json.gz",
        "velero/backups/b1/velero-backup.json",
    ];

    public static TheoryData<int> UploadSteps() => new(Enumerable.Range(0, UploadOrder.Length));

    [Fact]
    public async Task Put_uploads_every_file_and_velero_backup_json_last()
    {
        await Store.PutBackupAsync(FullUpload("b1"));

        _memory.PutLog.ShouldBe(UploadOrder);
        _memory.PutLog[^1].ShouldEndWith("/velero-backup.json");
    }

    [Fact]
    public async Task Full_round_trip_put_list_get_delete_on_a_folder()
    {
        using var folder = new TempFolder();
        var store = new BackupStore(new FileSystemObjectStore(folder.Path), "velero");
        var tarball = new byte[3 * 1024 * 1024];
        new Random(7).NextBytes(tarball);

        await store.PutBackupAsync(FullUpload("b1", tarball));
        await store.PutBackupAsync(new BackupUpload(Backup("b2", BackupPhase.PartiallyFailed), new MemoryStream([1, 2, 3])));

        (await store.ListBackupsAsync()).ShouldBe(["b1", "b2"]);
        (await store.BackupExistsAsync("b1")).ShouldBeTrue();
        (await store.BackupExistsAsync("b3")).ShouldBeFalse();

        var backup = await store.GetBackupAsync("b1");
        JsonAssert.Equal(VeleroJson.Serialize(Backup("b1")), VeleroJson.Serialize(backup));
        (await store.GetBackupAsync("b2")).Status!.Phase.ShouldBe(BackupPhase.PartiallyFailed);

        await using (var contents = await store.OpenBackupContentsAsync("b1"))
        {
            using var copy = new MemoryStream();
            await contents.CopyToAsync(copy);
            copy.ToArray().ShouldBe(tarball);
        }

        await using (var log = (await store.OpenBackupLogAsync("b1"))!)
        {
            (await new StreamReader(log).ReadToEndAsync()).ShouldContain("Backup completed");
        }

        var snapshots = await store.GetVolumeSnapshotsAsync("b1");
        snapshots.Count.ShouldBe(1);
        snapshots[0].Spec.ProviderVolumeId.ShouldBe("vol-0abc");
        snapshots[0].Status.ProviderSnapshotId.ShouldBe("snap-0def");
        (await store.GetResultsAsync("b1"))!.Warnings.Namespaces!["web"].ShouldBe(["resource: /pods name: /nginx-1 message: /skipped"]);
        (await store.GetResourceListAsync("b1"))["apps/v1/Deployment"].ShouldBe(["web/nginx"]);
        var volumes = await store.GetVolumeInfoAsync("b1");
        volumes.Single().NativeSnapshotInfo!.SnapshotHandle.ShouldBe("snap-0def");
        volumes.Single().StartTimestamp.ShouldBe(Start);
        volumes.Single().PvInfo!.Labels!["app"].ShouldBe("web");
        (await store.GetItemOperationsAsync("b1")).ShouldBeEmpty();
        (await store.GetPodVolumeBackupsAsync("b1")).ShouldBeEmpty();

        var url = await store.GetDownloadUrlAsync(DownloadTargetKind.BackupContents, "b1");
        File.ReadAllBytes(url.LocalPath).ShouldBe(tarball);

        await store.DeleteBackupAsync("b1");

        (await store.ListBackupsAsync()).ShouldBe(["b2"]);
        (await store.BackupExistsAsync("b1")).ShouldBeFalse();
        Directory.Exists(folder.Combine("velero", "backups", "b1")).ShouldBeFalse();
        await store.ValidateAsync();
    }

    [Fact]
    public async Task Side_files_are_gzipped_compact_json_with_a_newline_as_Go_writes_them()
    {
        await Store.PutBackupAsync(new BackupUpload(Backup("b1"), new MemoryStream()) { ResourceList = new Dictionary<string, IReadOnlyList<string>> { ["v1/Pod"] = ["a/p"], ["apps/v1/Deployment"] = ["a/d"] } });

        Gunzip(_memory.GetBytes("velero/backups/b1/b1-volumesnapshots.json.gz")!).ShouldBe("null\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-podvolumebackups.json.gz")!).ShouldBe("null\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-itemoperations.json.gz")!).ShouldBe("[]\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-volumeinfo.json.gz")!).ShouldBe("[]\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-results.gz")!).ShouldBe("{\"errors\":{},\"warnings\":{}}\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-resource-list.json.gz")!).ShouldBe("{\"apps/v1/Deployment\":[\"a/d\"],\"v1/Pod\":[\"a/p\"]}\n");
        Gunzip(_memory.GetBytes("velero/backups/b1/b1-logs.gz")!).ShouldBe(string.Empty, "no log: an empty gzip stream");
    }

    [Fact]
    public async Task A_resource_list_compressed_in_a_temp_directory_uploads_the_same_bytes_and_a_missing_one_fails_that_step_and_writes_no_metadata()
    {
        using var folder = new TempFolder();
        var list = new Dictionary<string, IReadOnlyList<string>> { ["v1/Pod"] = ["a/p", "b/q"], ["apps/v1/Deployment"] = ["a/d"] };
        await Store.PutBackupAsync(new BackupUpload(Backup("b1"), new MemoryStream()) { ResourceList = list });
        await Store.PutBackupAsync(new BackupUpload(Backup("b2"), new MemoryStream()) { ResourceList = list, TempDirectory = folder.Path });

        _memory.GetBytes("velero/backups/b2/b2-resource-list.json.gz").ShouldBe(_memory.GetBytes("velero/backups/b1/b1-resource-list.json.gz"));
        Directory.GetFileSystemEntries(folder.Path).ShouldBeEmpty("nothing is left in the temp directory");

        var missing = folder.Combine("gone");
        var e = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(new BackupUpload(Backup("b3"), new MemoryStream()) { ResourceList = list, TempDirectory = missing }));
        e.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        e.Message.ShouldContain("step \"resource list\"");
        e.Message.ShouldContain(missing);
        (await Store.BackupExistsAsync("b3")).ShouldBeFalse();
        _memory.Keys.ShouldNotContain(k => k.StartsWith("velero/backups/b3/", StringComparison.Ordinal), "the files uploaded before the failure are deleted again");
    }

    [Fact]
    public async Task Volume_info_uses_Veleros_exact_keys()
    {
        await Store.PutBackupAsync(new BackupUpload(Backup("b1"), new MemoryStream())
        {
            VolumeInfos =
            [
                new BackupVolumeInfo
                {
                    PvcName = "data", PvcNamespace = "web", PvName = "pvc-1", BackupMethod = "CSISnapshot", Result = "succeeded",
                    CsiSnapshotInfo = new CsiSnapshotInfo { SnapshotHandle = "h", Size = 10, Driver = "ebs.csi.aws.com", VscName = "vsc" },
                    SnapshotDataMovementInfo = new SnapshotDataMovementInfo { DataMover = "velero", UploaderType = "kopia", SnapshotHandle = "s", OperationId = "op", Size = 5, Phase = "Completed" },
                    PvbInfo = new PodVolumeInfo { UploaderType = "kopia", VolumeName = "v", PodName = "p", PodNamespace = "web", Phase = "Completed" },
                    PvInfo = new PersistentVolumeInfo { ReclaimPolicy = "Retain" },
                },
                new BackupVolumeInfo { PvName = "pvc-2", Skipped = true, SkippedReason = "no snapshot location", NativeSnapshotInfo = new NativeSnapshotInfo { Iops = "3000", Phase = "Failed" } },
            ],
        });

        var json = Gunzip(_memory.GetBytes("velero/backups/b1/b1-volumeinfo.json.gz")!);

        json.ShouldEndWith("\n");
        JsonAssert.Equal(
            """
            [
              {"pvcName":"data","pvcNamespace":"web","pvName":"pvc-1","backupMethod":"CSISnapshot","snapshotDataMoved":false,"preserveLocalSnapshot":false,"skipped":false,"result":"succeeded",
               "csiSnapshotInfo":{"snapshotHandle":"h","size":10,"driver":"ebs.csi.aws.com","vscName":"vsc","ReadyToUse":null},
               "snapshotDataMovementInfo":{"dataMover":"velero","uploaderType":"kopia","snapshotHandle":"s","operationID":"op","size":5,"Phase":"Completed"},
               "pvbInfo":{"uploaderType":"kopia","volumeName":"v","podName":"p","podNamespace":"web","Phase":"Completed"},
               "pvInfo":{"reclaimPolicy":"Retain","labels":null}},
              {"pvName":"pvc-2","snapshotDataMoved":false,"preserveLocalSnapshot":false,"skipped":true,"skippedReason":"no snapshot location",
               "nativeSnapshotInfo":{"snapshotHandle":"","volumeType":"","volumeAZ":"","iops":"3000","Phase":"Failed"}}
            ]
            """,
            json);
    }

    [Fact]
    public async Task Volume_info_keeps_unknown_fields()
    {
        const string json = """[{"pvName":"pv","snapshotDataMoved":true,"preserveLocalSnapshot":false,"skipped":false,"newField":{"x":1},"nativeSnapshotInfo":{"snapshotHandle":"s","volumeType":"t","volumeAZ":"z","iops":"1","Phase":"Completed","extra":2}}]""";
        _memory.SetBytes("velero/backups/b1/b1-volumeinfo.json.gz", Gzip(json));

        var infos = await Store.GetVolumeInfoAsync("b1");
        await Store.PutBackupAsync(new BackupUpload(Backup("b2"), new MemoryStream()) { VolumeInfos = infos });

        infos.Single().SnapshotDataMoved.ShouldBeTrue();
        JsonAssert.Equal(json, Gunzip(_memory.GetBytes("velero/backups/b2/b2-volumeinfo.json.gz")!));
    }

    [Fact]
    public async Task Velero_backup_json_is_indented_by_two_spaces_and_not_compressed()
    {
        await Store.PutBackupAsync(new BackupUpload(Backup("b1"), new MemoryStream()));

        var text = Encoding.UTF8.GetString(_memory.GetBytes("velero/backups/b1/velero-backup.json")!);
        text.ShouldStartWith("{\n  \"apiVersion\": \"velero.io/v1\",\n  \"kind\": \"Backup\",\n  \"metadata\": {\n    \"");
        JsonAssert.Equal(VeleroJson.Serialize(Backup("b1")), text);
    }

    [Theory]
    [MemberData(nameof(UploadSteps))]
    public async Task A_failure_at_any_upload_step_leaves_nothing_behind_and_names_the_step(int failingStep)
    {
        var failingKey = UploadOrder[failingStep];
        _memory.FailPuts(key => key == failingKey);

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(FullUpload("b1")));

        error.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        error.Message.ShouldStartWith("error uploading backup \"b1\": step \"");
        error.Message.ShouldContain($"(key \"{failingKey}\") failed: injected fault");
        _memory.Keys.ShouldBeEmpty();
        _memory.PutLog.ShouldBe(UploadOrder[..failingStep]);
        _memory.PutLog.ShouldNotContain("velero/backups/b1/velero-backup.json");
        (await Store.BackupExistsAsync("b1")).ShouldBeFalse();
        (await Store.ListBackupsAsync()).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1, "contents")]
    [InlineData(2, "log")]
    [InlineData(3, "results")]
    [InlineData(4, "resource list")]
    [InlineData(5, "volume snapshots")]
    [InlineData(6, "pod volume backups")]
    [InlineData(7, "item operations")]
    [InlineData(8, "volume info")]
    [InlineData(9, "metadata")]
    public async Task The_nth_upload_failing_names_its_step(int n, string step)
    {
        await Store.PutBackupAsync(FullUpload("other"));
        _memory.FailNthPut(n);

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(FullUpload("b1")));

        error.Message.ShouldContain($"step \"{step}\"");
        _memory.Keys.ShouldAllBe(key => key.StartsWith("velero/backups/other/", StringComparison.Ordinal));
        (await Store.ListBackupsAsync()).ShouldBe(["other"]);
    }

    [Fact]
    public async Task A_failing_tarball_stream_is_a_storage_failure_and_is_cleaned_up()
    {
        var upload = new BackupUpload(Backup("b1"), new ThrowingStream());

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(upload));

        error.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        error.Message.ShouldContain("step \"contents\"");
        error.InnerException.ShouldBeOfType<IOException>();
        _memory.Keys.ShouldBeEmpty();
    }

    [Fact]
    public async Task When_cleanup_fails_too_the_error_says_so_and_velero_backup_json_is_still_absent()
    {
        _memory.FailPuts(key => key.EndsWith("-volumeinfo.json.gz", StringComparison.Ordinal));
        _memory.FailDeletes(key => key.EndsWith(".tar.gz", StringComparison.Ordinal));

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(FullUpload("b1")));

        error.Message.ShouldContain("step \"volume info\"");
        error.Message.ShouldContain("(and 1 uploaded file(s) could not be deleted again)");
        error.InnerException.ShouldBeOfType<AggregateException>().InnerExceptions.Count.ShouldBe(2);
        _memory.Keys.ShouldBe(["velero/backups/b1/b1.tar.gz"]);
        (await Store.BackupExistsAsync("b1")).ShouldBeFalse();
    }

    [Fact]
    public async Task Cancellation_cleans_up_and_throws_OperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var upload = new BackupUpload(Backup("b1"), new CancelingStream(cancellation));

        await Should.ThrowAsync<OperationCanceledException>(() => Store.PutBackupAsync(upload, cancellation.Token));

        _memory.Keys.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_existing_backup_is_not_overwritten()
    {
        await Store.PutBackupAsync(FullUpload("b1"));
        var puts = _memory.PutLog.Count;

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(FullUpload("b1", [9, 9])));

        error.ErrorCode.ShouldBe(VeleroErrorCode.AlreadyExists);
        error.Message.ShouldBe("backup already exists in object storage");
        _memory.PutLog.Count.ShouldBe(puts);
        _memory.GetBytes("velero/backups/b1/b1.tar.gz").ShouldBe(Encoding.ASCII.GetBytes("tarball-bytes"));
    }

    [Fact]
    public async Task Invalid_uploads_are_refused_before_anything_is_written()
    {
        var noName = Backup("x");
        noName.Metadata.Name = null;
        var wrongKind = Backup("b1");
        wrongKind.Kind = "Restore";

        await Should.ThrowAsync<ArgumentException>(() => Store.PutBackupAsync(new BackupUpload(noName, new MemoryStream())));
        await Should.ThrowAsync<ArgumentException>(() => Store.PutBackupAsync(new BackupUpload(wrongKind, new MemoryStream())));
        (await Should.ThrowAsync<VeleroException>(() => Store.PutBackupAsync(new BackupUpload(Backup("../b"), new MemoryStream()))))
            .ErrorCode.ShouldBe(VeleroErrorCode.PathTraversal);
        _memory.PutAttempts.ShouldBe(0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null\n")]
    [InlineData("[]\n")]
    [InlineData("null")]
    public async Task Side_lists_that_are_missing_null_or_empty_read_as_empty(string? content)
    {
        if (content is not null)
        {
            foreach (var suffix in new[] { "-volumesnapshots.json.gz", "-volumeinfo.json.gz", "-itemoperations.json.gz", "-podvolumebackups.json.gz" })
            {
                _memory.SetBytes("velero/backups/b1/b1" + suffix, Gzip(content));
            }

            _memory.SetBytes("velero/backups/b1/b1-resource-list.json.gz", Gzip(content.StartsWith('[') ? "{}" : content));
        }

        (await Store.GetVolumeSnapshotsAsync("b1")).ShouldBeEmpty();
        (await Store.GetVolumeInfoAsync("b1")).ShouldBeEmpty();
        (await Store.GetItemOperationsAsync("b1")).ShouldBeEmpty();
        (await Store.GetPodVolumeBackupsAsync("b1")).ShouldBeEmpty();
        (await Store.GetResourceListAsync("b1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Missing_results_and_log_read_as_null()
    {
        (await Store.GetResultsAsync("b1")).ShouldBeNull();
        (await Store.OpenBackupLogAsync("b1")).ShouldBeNull();
        (await Store.GetRestoreResultsAsync("r1")).ShouldBeNull();
    }

    [Fact]
    public async Task Veleros_volume_snapshot_json_is_read()
    {
        _memory.SetBytes(
            "velero/backups/b1/b1-volumesnapshots.json.gz",
            Gzip("""[{"spec":{"backupName":"b1","backupUID":"u","location":"default","persistentVolumeName":"pvc-1","providerVolumeID":"vol-1","volumeType":"gp2","volumeAZ":"us-east-1a","volumeIOPS":100},"status":{"providerSnapshotID":"snap-1","phase":"Completed"}}]""" + "\n"));

        var snapshot = (await Store.GetVolumeSnapshotsAsync("b1")).Single();

        snapshot.Spec.VolumeIops.ShouldBe(100);
        snapshot.Status.Phase.ShouldBe("Completed");
    }

    [Fact]
    public async Task Damaged_files_are_reported_naming_the_key()
    {
        _memory.SetBytes("velero/backups/b1/b1-volumeinfo.json.gz", Gzip("{not json"));
        _memory.SetBytes("velero/backups/b1/b1-results.gz", Encoding.ASCII.GetBytes("not gzip"));
        _memory.SetBytes("velero/backups/b1/velero-backup.json", Encoding.UTF8.GetBytes("""{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"b1"}}"""));

        var info = await Should.ThrowAsync<VeleroException>(() => Store.GetVolumeInfoAsync("b1"));
        info.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        info.Message.ShouldStartWith("error decoding \"velero/backups/b1/b1-volumeinfo.json.gz\"");
        (await Should.ThrowAsync<VeleroException>(() => Store.GetResultsAsync("b1"))).Message.ShouldContain("b1-results.gz");
        var kind = await Should.ThrowAsync<VeleroException>(() => Store.GetBackupAsync("b1"));
        kind.ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        kind.Message.ShouldContain("kind \"Restore\"");
    }

    [Fact]
    public async Task Getting_a_missing_backup_is_NotFound()
    {
        (await Should.ThrowAsync<VeleroException>(() => Store.GetBackupAsync("nope"))).ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
        (await Should.ThrowAsync<VeleroException>(() => Store.OpenBackupContentsAsync("nope"))).ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
    }

    [Fact]
    public async Task Real_Velero_backups_round_trip_through_velero_backup_json()
    {
        var file = TestData.Path("velero-backups", "velero-debug-bundle-2022-11-29", "extracted", "backups-202211290815.5634.json");
        var items = JsonNode.Parse(File.ReadAllText(file))!["items"]!.AsArray();

        foreach (var item in items)
        {
            var backup = VeleroJson.Deserialize<V1Backup>(item!.ToJsonString())!;
            await Store.PutBackupAsync(new BackupUpload(backup, new MemoryStream()));

            var read = await Store.GetBackupAsync(backup.Metadata.Name);

            JsonAssert.Equal(item, JsonNode.Parse(VeleroJson.Serialize(read)));
        }

        (await Store.ListBackupsAsync()).Count.ShouldBe(items.Count);
    }

    [Fact]
    public async Task Delete_removes_velero_backup_json_first_and_reports_every_failure()
    {
        await Store.PutBackupAsync(FullUpload("b1"));
        await Store.PutBackupAsync(FullUpload("b10"));
        _memory.FailDeletes(key => key.EndsWith("-logs.gz", StringComparison.Ordinal) || key.EndsWith("-results.gz", StringComparison.Ordinal));

        var error = await Should.ThrowAsync<VeleroException>(() => Store.DeleteBackupAsync("b1"));

        _memory.DeleteLog[0].ShouldBe("velero/backups/b1/velero-backup.json");
        error.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        error.Message.ShouldContain("\"velero/backups/b1/b1-logs.gz\"");
        error.Message.ShouldContain("\"velero/backups/b1/b1-results.gz\"");
        error.InnerException.ShouldBeOfType<AggregateException>().InnerExceptions.Count.ShouldBe(2);
        _memory.Keys.Where(k => k.StartsWith("velero/backups/b1/", StringComparison.Ordinal))
            .ShouldBe(["velero/backups/b1/b1-logs.gz", "velero/backups/b1/b1-results.gz"]);
        _memory.Keys.Count(k => k.StartsWith("velero/backups/b10/", StringComparison.Ordinal)).ShouldBe(9, "a sibling with a longer name is untouched");
        (await Store.BackupExistsAsync("b1")).ShouldBeFalse();
    }

    [Fact]
    public async Task Restore_files_round_trip_and_delete()
    {
        var results = new OperationResults();
        results.Errors.AddVelero("error restoring pods/web/nginx-1: boom");
        var upload = new RestoreUpload("r1")
        {
            Log = new MemoryStream(Encoding.UTF8.GetBytes("restore log\n")),
            Results = results,
            ResourceList = new Dictionary<string, IReadOnlyList<string>> { ["v1/Pod"] = ["web/nginx-1(created)"] },
            ItemOperations = [],
            VolumeInfo = [new JsonObject { ["pvName"] = "pvc-1", ["restoreMethod"] = "NativeSnapshot", ["snapshotDataMoved"] = false }],
        };

        await Store.PutRestoreFilesAsync(upload);

        _memory.PutLog.ShouldBe(
        [
            "velero/restores/r1/restore-r1-logs.gz",
            "velero/restores/r1/restore-r1-results.gz",
            "velero/restores/r1/restore-r1-resource-list.json.gz",
            "velero/restores/r1/restore-r1-itemoperations.json.gz",
            "velero/restores/r1/r1-volumeinfo.json.gz",
        ]);
        (await Store.ListRestoresAsync()).ShouldBe(["r1"]);
        await using (var log = (await Store.OpenRestoreLogAsync("r1"))!)
        {
            (await new StreamReader(log).ReadToEndAsync()).ShouldBe("restore log\n");
        }

        (await Store.GetRestoreResultsAsync("r1"))!.Errors.Velero.ShouldBe(["error restoring pods/web/nginx-1: boom"]);
        (await Store.GetRestoreResourceListAsync("r1"))["v1/Pod"].ShouldBe(["web/nginx-1(created)"]);
        (await Store.GetRestoreItemOperationsAsync("r1")).ShouldBeEmpty();
        (await Store.GetRestoreVolumeInfoAsync("r1")).Single()!["pvName"]!.GetValue<string>().ShouldBe("pvc-1");
        (await Store.GetDownloadUrlAsync(DownloadTargetKind.RestoreVolumeInfo, "r1")).AbsoluteUri.ShouldBe("memory:///velero/restores/r1/r1-volumeinfo.json.gz");

        await Store.DeleteRestoreAsync("r1");

        _memory.Keys.ShouldBeEmpty();
        (await Store.GetRestoreResourceListAsync("r1")).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_restore_resource_is_uploaded_last_as_velero_restore_json_and_reads_back_with_its_status()
    {
        var restore = new V1Restore
        {
            Metadata = new V1ObjectMeta { Name = "r1", NamespaceProperty = "velero" },
            Spec = new V1RestoreSpec { BackupName = "b1", NamespaceMapping = new Dictionary<string, string> { ["a"] = "b" } },
            Status = new V1RestoreStatus { Phase = RestorePhase.Completed, Warnings = 2 },
        };

        await Store.PutRestoreFilesAsync(new RestoreUpload("r1") { Results = new OperationResults(), Restore = restore });

        _memory.PutLog.ShouldBe(["velero/restores/r1/restore-r1-results.gz", "velero/restores/r1/velero-restore.json"]);
        var read = await Store.GetRestoreAsync("r1");
        read.Spec.BackupName.ShouldBe("b1");
        read.Spec.NamespaceMapping!["a"].ShouldBe("b");
        read.Status!.Phase.ShouldBe(RestorePhase.Completed);
        read.Status.Warnings.ShouldBe(2);
        Encoding.UTF8.GetString(_memory.GetBytes("velero/restores/r1/velero-restore.json")!).ShouldContain("\n  \"apiVersion\": \"velero.io/v1\"");

        // Replacing it keeps the other files; a missing one is NotFound; another kind of object is refused.
        restore.Status.Phase = RestorePhase.PartiallyFailed;
        await Store.PutRestoreMetadataAsync(restore);
        (await Store.GetRestoreAsync("r1")).Status!.Phase.ShouldBe(RestorePhase.PartiallyFailed);
        (await Should.ThrowAsync<VeleroException>(() => Store.GetRestoreAsync("r2"))).ErrorCode.ShouldBe(VeleroErrorCode.NotFound);
        await _memory.PutAsync("velero/restores/r3/velero-restore.json", new MemoryStream(Encoding.UTF8.GetBytes("""{"apiVersion":"velero.io/v1","kind":"Backup"}""")));
        (await Should.ThrowAsync<VeleroException>(() => Store.GetRestoreAsync("r3"))).ErrorCode.ShouldBe(VeleroErrorCode.InvalidArchive);
        Should.Throw<ArgumentException>(() => Store.PutRestoreFilesAsync(new RestoreUpload("other") { Restore = restore }));
    }

    [Fact]
    public async Task Restore_uploads_continue_past_a_failure_and_report_it()
    {
        _memory.FailPuts(key => key.EndsWith("restore-r1-logs.gz", StringComparison.Ordinal));

        var error = await Should.ThrowAsync<VeleroException>(() => Store.PutRestoreFilesAsync(new RestoreUpload("r1")
        {
            Log = new MemoryStream([1]),
            Results = new OperationResults(),
        }));

        error.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        error.Message.ShouldContain("step \"log\" (key \"velero/restores/r1/restore-r1-logs.gz\")");
        _memory.Keys.ShouldBe(["velero/restores/r1/restore-r1-results.gz"]);
    }

    [Fact]
    public async Task Download_urls_use_the_layout_and_unknown_kinds_fail()
    {
        var url = await Store.GetDownloadUrlAsync(DownloadTargetKind.BackupResults, "b1");

        url.AbsoluteUri.ShouldBe("memory:///velero/backups/b1/b1-results.gz");
        BackupStore.DefaultDownloadUrlTtl.ShouldBe(TimeSpan.FromMinutes(10));
        (await Should.ThrowAsync<VeleroException>(() => Store.GetDownloadUrlAsync("Nope", "b1"))).Message.ShouldBe("unsupported download target kind \"Nope\"");
    }

    [Fact]
    public async Task Validate_accepts_Veleros_directories_and_root_objects_and_refuses_others()
    {
        _memory.SetBytes("velero/backups/b1/velero-backup.json", []);
        _memory.SetBytes("velero/kopia/ns/x", []);
        _memory.SetBytes("velero/root-object", []);
        _memory.SetBytes("elsewhere/not-under-prefix", []);
        await Store.ValidateAsync();

        _memory.SetBytes("velero/junk/x", []);
        _memory.SetBytes("velero/more/x", []);

        var error = await Should.ThrowAsync<VeleroException>(() => Store.ValidateAsync());
        error.ErrorCode.ShouldBe(VeleroErrorCode.Invalid);
        error.Message.ShouldBe("Backup store contains invalid top-level directories: [junk more]");
    }

    [Fact]
    public async Task List_backups_ignores_other_prefixes_and_sorts()
    {
        _memory.SetBytes("velero/backups/b2/velero-backup.json", []);
        _memory.SetBytes("velero/backups/b1/velero-backup.json", []);
        _memory.SetBytes("velero/restores/r1/x", []);
        _memory.SetBytes("other/backups/b3/velero-backup.json", []);

        (await Store.ListBackupsAsync()).ShouldBe(["b1", "b2"]);
        (await new BackupStore(_memory).ListBackupsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Backup_metadata_can_be_replaced()
    {
        await Store.PutBackupAsync(FullUpload("b1"));
        var backup = await Store.GetBackupAsync("b1");
        backup.Status!.Phase = BackupPhase.Deleting;

        await Store.PutBackupMetadataAsync(backup);

        (await Store.GetBackupAsync("b1")).Status!.Phase.ShouldBe(BackupPhase.Deleting);
    }

    private sealed class ThrowingStream : MemoryStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("disk gone");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("disk gone");
    }

    private sealed class CancelingStream(CancellationTokenSource cancellation) : MemoryStream([1, 2, 3])
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellation.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
