using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Velero.Sdk.Tests.Providers.Aws;

namespace Velero.Sdk.Tests.Cli;

/// <summary>
/// The CLI with <c>--storage s3://bucket/prefix --storage-config ...</c> and <c>--snapshot-location aws:...</c> against moto
/// (started by eng/test-servers.sh): credentials from the AWS SDK chain (environment variables here).
/// </summary>
public sealed class CliAwsTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private KubernetesApiServer _server = null!;
    private AmazonEC2Client _ec2 = null!;
    private CliRunner _cli = null!;
    private string _bucket = null!;

    public async Task InitializeAsync()
    {
        _ec2 = AwsTestServers.RawEc2();
        var volume = (await _ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = AwsTestServers.Zone, Size = 1, VolumeType = VolumeType.Gp3 })).Volume.VolumeId;
        _server = await KubernetesApiServer.StartAsync();
        await _server.SeedYamlAsync($$$"""
            apiVersion: v1
            kind: Namespace
            metadata: {name: db}
            ---
            apiVersion: v1
            kind: PersistentVolume
            metadata: {name: pv-db, labels: {topology.kubernetes.io/zone: {{{AwsTestServers.Zone}}}}}
            spec:
              capacity: {storage: 1Gi}
              accessModes: [ReadWriteOnce]
              persistentVolumeReclaimPolicy: Delete
              claimRef: {namespace: db, name: data}
              awsElasticBlockStore: {volumeID: "aws://{{{AwsTestServers.Zone}}}/{{{volume}}}", fsType: ext4}
            status: {phase: Bound}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: db}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
              volumeName: pv-db
            status: {phase: Bound}
            """);
        _bucket = await AwsTestServers.NewBucketAsync(S3Server.MotoTrixieNoChecksum);
        _cli = new CliRunner(_server.WriteKubeconfig(_temp.Combine("kubeconfig")), $"s3://{_bucket}/cluster-a", _temp.Combine("home"));
        _cli.Environment["AWS_ACCESS_KEY_ID"] = "testing";
        _cli.Environment["AWS_SECRET_ACCESS_KEY"] = "testing";
        _cli.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _ec2?.Dispose();
        _temp.Dispose();
    }

    private string[] Aws(params string[] args) =>
    [
        .. args,
        "--storage-config", $"region={AwsTestServers.Region},s3Url={AwsTestServers.Endpoint(S3Server.MotoTrixieNoChecksum)},s3ForcePathStyle=true,checksumAlgorithm=",
        "--snapshot-location", $"aws:region={AwsTestServers.Region},ec2Url={AwsTestServers.Ec2Endpoint}",
    ];

    [Fact]
    public async Task Volumes_are_snapshotted_unless_snapshot_volumes_is_false_and_backups_live_in_the_s3_bucket()
    {
        var with = await _cli.RunAsync(Aws("backup", "create", "with-snapshots", "--include-namespaces", "db"));
        with.ExitCode.ShouldBe(0, with.ToString());
        var without = await _cli.RunAsync(Aws("backup", "create", "without", "--include-namespaces", "db", "--snapshot-volumes=false"));
        without.ExitCode.ShouldBe(0, without.ToString());

        var describeWith = await _cli.RunAsync(Aws("backup", "describe", "with-snapshots", "--details"));
        describeWith.ExitCode.ShouldBe(0, describeWith.ToString());
        describeWith.Stdout.ShouldContain("Velero-Native Snapshot PVs:  auto");
        describeWith.Stdout.ShouldMatch(@"pv-db:\n    Snapshot ID:  snap-[0-9a-f]+\n    Phase:        Completed");
        var describeWithout = await _cli.RunAsync(Aws("backup", "describe", "without"));
        describeWithout.Stdout.ShouldContain("Velero-Native Snapshot PVs:  false");
        describeWithout.Stdout.ShouldContain("Velero-Native Snapshots: <none included>");

        var list = JsonNode.Parse((await _cli.RunAsync(Aws("backup", "get", "-o", "json"))).Stdout)!;
        list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ShouldBe(["with-snapshots", "without"]);
        list["items"]![0]!["status"]!["volumeSnapshotsCompleted"]!.GetValue<int>().ShouldBe(1);
        list["items"]![1]!["spec"]!["snapshotVolumes"]!.GetValue<bool>().ShouldBeFalse();

        using var s3 = AwsTestServers.RawS3(S3Server.MotoTrixieNoChecksum);
        var keys = (await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket })).S3Objects.Select(o => o.Key).ToList();
        keys.ShouldContain("cluster-a/backups/with-snapshots/velero-backup.json");
        keys.ShouldAllBe(k => k.StartsWith("cluster-a/backups/", StringComparison.Ordinal), "the prefix of s3://bucket/prefix");

        // Deleting the backup deletes its snapshot and its objects.
        var snapshots = await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] });
        var delete = await _cli.RunAsync(Aws("backup", "delete", "with-snapshots", "--confirm"));
        delete.ExitCode.ShouldBe(0, delete.ToString());
        ((await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "cluster-a/backups/with-snapshots/" })).S3Objects?.Count ?? 0).ShouldBe(0);
        (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] })).Snapshots.Count.ShouldBe(snapshots.Snapshots.Count - 1);
    }
}
