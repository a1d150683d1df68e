using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Velero.Sdk.Archive;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>
/// EBS snapshots of a backup's PersistentVolumes on moto (trixie's EC2), with the backup written to S3 on the same moto
/// (<c>checksumAlgorithm: ""</c>); then volumes created from the snapshots, the PVs rewritten, and the backup deleted.
/// </summary>
public sealed class EbsVolumeSnapshotterTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _backupName = "ebs-" + Guid.NewGuid().ToString("N")[..10];
    private readonly ListLoggerFactory _logs = new();
    private AmazonEC2Client _ec2 = null!;
    private KubernetesApiServer _cluster = null!;
    private string _inTreeVolume = null!;
    private string _csiVolume = null!;

    public async Task InitializeAsync()
    {
        _ec2 = AwsTestServers.RawEc2();
        _inTreeVolume = await CreateVolumeAsync(VolumeType.Gp3, null, new() { ["Name"] = "db-data", ["team"] = "db", ["velero.io/backup"] = "spoofed" });
        _csiVolume = await CreateVolumeAsync(VolumeType.Io1, 100, new() { ["Name"] = "db-logs" });
        _cluster = await KubernetesApiServer.StartAsync();
        foreach (var json in ClusterObjects())
        {
            await _cluster.SeedAsync(JsonNode.Parse(json)!.AsObject());
        }
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _ec2.Dispose();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_backup_snapshots_in_tree_and_csi_ebs_volumes_a_restore_creates_volumes_from_them_and_deletion_removes_them()
    {
        var bucket = await AwsTestServers.NewBucketAsync(S3Server.MotoTrixieNoChecksum);
        using var s3 = S3ObjectStore.Create(AwsTestServers.Config(S3Server.MotoTrixieNoChecksum), bucket, AwsTestServers.MotoCredentials);
        using var ebs = EbsVolumeSnapshotter.Create(
            new Dictionary<string, string> { ["region"] = AwsTestServers.Region, ["ec2Url"] = AwsTestServers.Ec2Endpoint.ToString() },
            AwsTestServers.MotoCredentials,
            _logs);
        using var velero = new VeleroClientBuilder()
            .UseKubernetes(_cluster.CreateClientConfiguration())
            .UseObjectStore(s3, "cluster-a", "default")
            .AddVolumeSnapshotLocation("ebs", "aws", ebs)
            .Build();

        var result = await velero.BackupAsync(new BackupBuilder(_backupName).IncludeNamespaces("db").WithLabel("app", "db").Build());

        // Snapshots, with Velero's tags, the backup's labels, and the volume's own tags that Velero's do not override.
        result.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", result.Errors.All()));
        result.Backup.Status!.VolumeSnapshotsAttempted.ShouldBe(2);
        result.Backup.Status.VolumeSnapshotsCompleted.ShouldBe(2);
        var snapshots = await SnapshotsOfBackupAsync();
        snapshots.Select(s => s.VolumeId).Order().ShouldBe(new[] { _inTreeVolume, _csiVolume }.Order());
        var inTreeSnapshot = snapshots.Single(s => s.VolumeId == _inTreeVolume);
        var csiSnapshot = snapshots.Single(s => s.VolumeId == _csiVolume);
        Tags(inTreeSnapshot.Tags).ShouldBe(
            new Dictionary<string, string> { ["velero.io/backup"] = _backupName, ["velero.io/pv"] = "pv-intree", ["app"] = "db", ["velero.io/storage-location"] = "default", ["Name"] = "db-data", ["team"] = "db" },
            ignoreOrder: true);
        Tags(csiSnapshot.Tags).ShouldBe(
            new Dictionary<string, string> { ["velero.io/backup"] = _backupName, ["velero.io/pv"] = "pv-csi", ["app"] = "db", ["velero.io/storage-location"] = "default", ["Name"] = "db-logs" },
            ignoreOrder: true);

        var store = new BackupStore(s3, "cluster-a");
        var records = (await store.GetVolumeSnapshotsAsync(_backupName)).ToDictionary(r => r.Spec.PersistentVolumeName);
        records.Keys.Order().ShouldBe(["pv-csi", "pv-intree"]);
        records["pv-intree"].Spec.ProviderVolumeId.ShouldBe(_inTreeVolume);
        records["pv-intree"].Spec.VolumeType.ShouldBe("gp3");
        records["pv-intree"].Spec.VolumeIops.ShouldBe(0);
        records["pv-intree"].Spec.VolumeAz.ShouldBe(AwsTestServers.Zone);
        records["pv-intree"].Status.ProviderSnapshotId.ShouldBe(inTreeSnapshot.SnapshotId);
        records["pv-csi"].Spec.VolumeType.ShouldBe("io1");
        records["pv-csi"].Spec.VolumeIops.ShouldBe(100);
        records["pv-csi"].Spec.VolumeAz.ShouldBe(AwsTestServers.Zone);
        records["pv-csi"].Status.ProviderSnapshotId.ShouldBe(csiSnapshot.SnapshotId);

        // The restore, by the engine into a new cluster: a volume from each snapshot, each PV pointed at its new volume.
        await using var target = await KubernetesApiServer.StartAsync();
        using var restorer = new VeleroClientBuilder()
            .UseKubernetes(target.CreateClientConfiguration())
            .UseObjectStore(s3, "cluster-a", "default")
            .AddVolumeSnapshotLocation("ebs", "aws", ebs)
            .Build();
        var restore = await restorer.RestoreAsync(new Velero.Sdk.Restore.RestoreBuilder(_backupName, "db-back").IncludeClusterResources(true).Build());
        restore.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", restore.Errors.All()));
        var restored = new Dictionary<string, (string VolumeId, JsonObject Pv)>();
        foreach (var pvName in records.Keys)
        {
            var pv = target.GetObject("v1", "PersistentVolume", null, pvName).ShouldNotBeNull();
            var volumeId = (await ebs.GetVolumeIdAsync(pv)).ShouldNotBeNull();
            volumeId.ShouldNotBe(records[pvName].Spec.ProviderVolumeId);
            restored[pvName] = (volumeId, pv);
        }

        var inTree = await DescribeVolumeAsync(restored["pv-intree"].VolumeId);
        inTree.SnapshotId.ShouldBe(inTreeSnapshot.SnapshotId);
        inTree.AvailabilityZone.ShouldBe(AwsTestServers.Zone);
        inTree.VolumeType.Value.ShouldBe("gp3");
        Tags(inTree.Tags)["velero.io/backup"].ShouldBe(_backupName);
        Tags(inTree.Tags)["Name"].ShouldBe("db-data");
        restored["pv-intree"].Pv["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe($"aws://{AwsTestServers.Zone}/{inTree.VolumeId}");
        restored["pv-intree"].Pv["spec"]!["awsElasticBlockStore"]!["fsType"]!.GetValue<string>().ShouldBe("ext4");

        var csi = await DescribeVolumeAsync(restored["pv-csi"].VolumeId);
        csi.SnapshotId.ShouldBe(csiSnapshot.SnapshotId);
        csi.VolumeType.Value.ShouldBe("io1");
        csi.Iops.ShouldBe(100);
        restored["pv-csi"].Pv["spec"]!["csi"]!["volumeHandle"]!.GetValue<string>().ShouldBe(csi.VolumeId);
        restored["pv-csi"].Pv["spec"]!["csi"]!["driver"]!.GetValue<string>().ShouldBe(EbsVolumeSnapshotter.CsiDriver);

        // Deleting the backup deletes its snapshots; deleting one again is fine.
        (await velero.DeleteBackupAsync(_backupName)).ShouldBeEmpty();
        (await SnapshotsOfBackupAsync()).ShouldBeEmpty();
        var gone = await Should.ThrowAsync<AmazonEC2Exception>(() => _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [inTreeSnapshot.SnapshotId] }));
        gone.ErrorCode.ShouldBe("InvalidSnapshot.NotFound");
        await ebs.DeleteSnapshotAsync(inTreeSnapshot.SnapshotId);
        _logs.Messages.ShouldContain(m => m.Contains("[3204]", StringComparison.Ordinal) && m.Contains(inTreeSnapshot.SnapshotId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Volume_ids_are_read_and_written_as_the_plugin_does()
    {
        using var ebs = EbsVolumeSnapshotter.Create(new Dictionary<string, string> { ["region"] = AwsTestServers.Region, ["ec2Url"] = AwsTestServers.Ec2Endpoint.ToString() }, AwsTestServers.MotoCredentials);
        static JsonObject Pv(string spec, string labels = "{}") => JsonNode.Parse($$"""{"metadata":{"name":"pv","labels":{{labels}}},"spec":{{spec}}}""")!.AsObject();

        (await ebs.GetVolumeIdAsync(Pv("""{"awsElasticBlockStore":{"volumeID":"aws://us-east-1a/vol-0abc"}}"""))).ShouldBe("vol-0abc");
        (await ebs.GetVolumeIdAsync(Pv("""{"awsElasticBlockStore":{"volumeID":"vol-0abc"}}"""))).ShouldBe("vol-0abc");
        (await ebs.GetVolumeIdAsync(Pv("""{"csi":{"driver":"ebs.csi.aws.com","volumeHandle":"vol-0def"}}"""))).ShouldBe("vol-0def");
        (await ebs.GetVolumeIdAsync(Pv("""{"csi":{"driver":"efs.csi.aws.com","volumeHandle":"fs-1"}}"""))).ShouldBeNull();
        (await ebs.GetVolumeIdAsync(Pv("""{"hostPath":{"path":"/x"}}"""))).ShouldBeNull();
        (await Should.ThrowAsync<VeleroException>(() => ebs.GetVolumeIdAsync(Pv("""{"awsElasticBlockStore":{"fsType":"ext4"}}""")))).Message
            .ShouldBe("spec.awsElasticBlockStore.volumeID not found");

        var original = Pv("""{"awsElasticBlockStore":{"volumeID":"vol-old"}}""", """{"failure-domain.beta.kubernetes.io/zone":"us-east-1b"}""");
        var zoned = await ebs.SetVolumeIdAsync(original, "vol-new");
        zoned["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe("aws://us-east-1b/vol-new");
        original["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe("vol-old", "the input is not changed");
        (await ebs.SetVolumeIdAsync(Pv("""{"awsElasticBlockStore":{"volumeID":"vol-old"}}"""), "vol-new"))["spec"]!["awsElasticBlockStore"]!["volumeID"]!.GetValue<string>().ShouldBe("vol-new");
        (await Should.ThrowAsync<VeleroException>(() => ebs.SetVolumeIdAsync(Pv("""{"csi":{"driver":"efs.csi.aws.com"}}"""), "vol-new"))).Message.ShouldBe("unable to handle CSI driver: efs.csi.aws.com");
        (await Should.ThrowAsync<VeleroException>(() => ebs.SetVolumeIdAsync(Pv("""{"nfs":{}}"""), "vol-new"))).Message.ShouldBe("spec.csi and spec.awsElasticBlockStore not found");
    }

    [Fact]
    public async Task Volume_info_reports_iops_only_for_provisioned_iops_types_and_a_missing_volume_is_an_error()
    {
        using var ebs = EbsVolumeSnapshotter.Create(new Dictionary<string, string> { ["region"] = AwsTestServers.Region, ["ec2Url"] = AwsTestServers.Ec2Endpoint.ToString() }, AwsTestServers.MotoCredentials);

        (await ebs.GetVolumeInfoAsync(_inTreeVolume, AwsTestServers.Zone)).ShouldBe(new Snapshots.VolumeInfo("gp3", 0));
        (await ebs.GetVolumeInfoAsync(_csiVolume, AwsTestServers.Zone)).ShouldBe(new Snapshots.VolumeInfo("io1", 100));
        var missing = await Should.ThrowAsync<VeleroException>(() => ebs.GetVolumeInfoAsync("vol-0000000000000dead", AwsTestServers.Zone));
        missing.ErrorCode.ShouldBe(VeleroErrorCode.SnapshotFailure);
        missing.Message.ShouldContain("InvalidVolume.NotFound");
    }

    private static Dictionary<string, string> Tags(IEnumerable<Amazon.EC2.Model.Tag>? tags) => (tags ?? []).ToDictionary(t => t.Key, t => t.Value);

    private async Task<string> CreateVolumeAsync(VolumeType type, int? iops, Dictionary<string, string> tags)
    {
        var response = await _ec2.CreateVolumeAsync(new CreateVolumeRequest
        {
            AvailabilityZone = AwsTestServers.Zone,
            Size = 1,
            VolumeType = type,
            Iops = iops,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Volume, Tags = [.. tags.Select(t => new Amazon.EC2.Model.Tag(t.Key, t.Value))] }],
        });
        return response.Volume.VolumeId;
    }

    private async Task<Volume> DescribeVolumeAsync(string volumeId) =>
        (await _ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] })).Volumes.Single();

    private async Task<List<Snapshot>> SnapshotsOfBackupAsync() =>
        (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest
        {
            OwnerIds = ["self"],
            Filters = [new Filter("tag:velero.io/backup", [_backupName])],
        })).Snapshots ?? [];

    private IEnumerable<string> ClusterObjects()
    {
        yield return """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"db"},"status":{"phase":"Active"}}""";
        yield return """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"data","namespace":"db"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeName":"pv-intree","storageClassName":"gp3"},
             "status":{"phase":"Bound"}}
            """;
        yield return $$$"""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-intree","labels":{"failure-domain.beta.kubernetes.io/zone":"{{{AwsTestServers.Zone}}}"}},
             "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"gp3",
                     "claimRef":{"namespace":"db","name":"data"},"awsElasticBlockStore":{"volumeID":"aws://{{{AwsTestServers.Zone}}}/{{{_inTreeVolume}}}","fsType":"ext4"}},
             "status":{"phase":"Bound"}}
            """;
        yield return """
            {"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"logs","namespace":"db"},
             "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeName":"pv-csi","storageClassName":"io1"},
             "status":{"phase":"Bound"}}
            """;
        yield return $$$"""
            {"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-csi"},
             "spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"persistentVolumeReclaimPolicy":"Delete","storageClassName":"io1",
                     "claimRef":{"namespace":"db","name":"logs"},
                     "csi":{"driver":"ebs.csi.aws.com","volumeHandle":"{{{_csiVolume}}}","fsType":"ext4"},
                     "nodeAffinity":{"required":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"topology.ebs.csi.aws.com/zone","operator":"In","values":["{{{AwsTestServers.Zone}}}"]}]}]} } },
             "status":{"phase":"Bound"}}
            """;
    }
}
