using System.Text.Json.Nodes;
using Amazon;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;

namespace Velero.Sdk.Providers.Aws;

/// <summary>
/// A <see cref="VolumeSnapshotter"/> for Amazon EBS volumes (velero-plugin-for-aws's <c>velero.io/aws</c> snapshotter): it
/// handles PersistentVolumes with an in-tree <c>spec.awsElasticBlockStore</c> or a CSI <c>spec.csi</c> of driver
/// <c>ebs.csi.aws.com</c>. Safe for concurrent use; dispose it to release its EC2 client.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Snapshots carry the tags Velero passes (<c>velero.io/backup</c>, <c>velero.io/pv</c> and the backup's labels), then
/// every tag of the volume whose key is not among them (keys starting with <c>aws:</c> are reserved by AWS and left out).</item>
/// <item>Volumes created from a snapshot get the snapshot's tags, its encryption (or <c>ebsKmsKeyId</c>), the type asked for
/// and, for <c>io1</c>/<c>io2</c>, the IOPS.</item>
/// <item>Deleting a snapshot that is already gone succeeds.</item>
/// <item>Failures are <see cref="VeleroException"/>s with <see cref="VeleroErrorCode.SnapshotFailure"/>; neither they nor the
/// logs contain credentials.</item>
/// </list>
/// </remarks>
public sealed class EbsVolumeSnapshotter : VolumeSnapshotter, IDisposable
{
    /// <summary>The CSI driver of EBS volumes.</summary>
    public const string CsiDriver = "ebs.csi.aws.com";

    private const string ZoneLabel = "failure-domain.beta.kubernetes.io/zone";

    private static readonly string[] ConfigKeys = ["region", "profile", "credentialsFile", "ebsKmsKeyId", "ec2Url"];

    private readonly AmazonEC2Client _ec2;
    private readonly AWSCredentials _credentials;
    private readonly string? _kmsKeyId;
    private readonly string? _clusterName;
    private readonly ILogger _logger;
    private readonly Lazy<Task<IReadOnlyList<string>>> _secrets;

    /// <summary>Creates a snapshotter from <paramref name="options"/>; nothing is sent to EC2 until the first operation.</summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> when the region is missing.</exception>
    public EbsVolumeSnapshotter(EbsVolumeSnapshotterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.Region))
        {
            throw AwsSupport.Invalid("missing region in aws configuration");
        }

        _credentials = AwsSupport.ResolveCredentials(options.Credentials, options.CredentialsFile, options.Profile);
        var config = new AmazonEC2Config();
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        _ec2 = new AmazonEC2Client(_credentials, config);
        _kmsKeyId = string.IsNullOrEmpty(options.EbsKmsKeyId) ? null : options.EbsKmsKeyId;
        _clusterName = string.IsNullOrEmpty(options.ClusterName) ? null : options.ClusterName;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EbsVolumeSnapshotter>();
        _secrets = new Lazy<Task<IReadOnlyList<string>>>(() => AwsSupport.SecretsAsync(_credentials), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Creates a snapshotter from a VolumeSnapshotLocation's <c>config</c>, with the keys of velero-plugin-for-aws:
    /// <c>region</c> (required), <c>profile</c>, <c>credentialsFile</c>, <c>ebsKmsKeyId</c>; and <c>ec2Url</c>, a custom EC2
    /// endpoint (<c>enableSharedConfig</c> is accepted and ignored).
    /// </summary>
    /// <param name="config">The location's config.</param>
    /// <param name="credentials">Credentials to use instead of the profile or the AWS SDK's default chain.</param>
    /// <param name="loggerFactory">Where the snapshotter logs.</param>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> naming the bad key.</exception>
    public static EbsVolumeSnapshotter Create(IReadOnlyDictionary<string, string> config, AWSCredentials? credentials = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        AwsSupport.CheckKeys(config, ConfigKeys, "EBS volume snapshotter");
        return new EbsVolumeSnapshotter(new EbsVolumeSnapshotterOptions
        {
            Region = AwsSupport.Get(config, "region") ?? string.Empty,
            ServiceUrl = AwsSupport.GetUrl(config, "ec2Url"),
            EbsKmsKeyId = AwsSupport.Get(config, "ebsKmsKeyId"),
            CredentialsFile = AwsSupport.Get(config, "credentialsFile"),
            Profile = AwsSupport.Get(config, "profile"),
            Credentials = credentials,
            LoggerFactory = loggerFactory,
        });
    }

    /// <summary>Creates a snapshotter from a VolumeSnapshotLocation of provider <c>aws</c> or <c>velero.io/aws</c>.</summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> for another provider or a bad config.</exception>
    public static EbsVolumeSnapshotter Create(V1VolumeSnapshotLocation location, AWSCredentials? credentials = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var spec = location.Spec ?? throw AwsSupport.Invalid("the volume snapshot location has no spec");
        if (spec.Provider is not ("aws" or "velero.io/aws"))
        {
            throw AwsSupport.Invalid($"the volume snapshot location's provider is \"{spec.Provider}\", not aws or velero.io/aws");
        }

        var config = new Dictionary<string, string>(spec.Config ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return Create(config, credentials, loggerFactory);
    }

    /// <summary>
    /// The EBS volume ID (<c>vol-...</c>) of an in-tree <c>awsElasticBlockStore</c> PV (its <c>aws://zone/vol-...</c> form
    /// included) or of a CSI PV of driver <c>ebs.csi.aws.com</c>; <c>null</c> for other PVs.
    /// </summary>
    /// <exception cref="VeleroException">An in-tree PV without a volume ID.</exception>
    public override Task<string?> GetVolumeIdAsync(JsonObject persistentVolume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistentVolume);
        if (JsonPath.Object(persistentVolume, "spec", "csi") is { } csi)
        {
            var driver = JsonPath.String(csi, "driver") ?? string.Empty;
            if (driver != CsiDriver)
            {
                Log.EbsOtherCsiDriver(_logger, JsonPath.Name(persistentVolume), driver);
                return Task.FromResult<string?>(null);
            }

            return Task.FromResult(VolumeIdIn(JsonPath.String(csi, "volumeHandle")));
        }

        if (JsonPath.Object(persistentVolume, "spec", "awsElasticBlockStore") is { } ebs)
        {
            var id = JsonPath.String(ebs, "volumeID");
            if (string.IsNullOrEmpty(id))
            {
                throw new VeleroException(VeleroErrorCode.SnapshotFailure, "spec.awsElasticBlockStore.volumeID not found");
            }

            return Task.FromResult(VolumeIdIn(id));
        }

        return Task.FromResult<string?>(null);
    }

    /// <summary>
    /// A copy of the PV pointing at <paramref name="volumeId"/>: <c>spec.csi.volumeHandle</c> for EBS CSI PVs;
    /// <c>spec.awsElasticBlockStore.volumeID</c> for in-tree PVs, as <c>aws://&lt;zone&gt;/&lt;id&gt;</c> when the PV has the
    /// label <c>failure-domain.beta.kubernetes.io/zone</c>, else the bare ID.
    /// </summary>
    /// <exception cref="VeleroException">A PV of another CSI driver, or with neither field.</exception>
    public override Task<JsonObject> SetVolumeIdAsync(JsonObject persistentVolume, string volumeId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(persistentVolume);
        ArgumentException.ThrowIfNullOrEmpty(volumeId);
        var pv = persistentVolume.DeepClone().AsObject();
        if (JsonPath.Object(pv, "spec", "csi") is { } csi)
        {
            var driver = JsonPath.String(csi, "driver") ?? string.Empty;
            if (driver != CsiDriver)
            {
                throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"unable to handle CSI driver: {driver}");
            }

            csi["volumeHandle"] = volumeId;
            return Task.FromResult(pv);
        }

        if (JsonPath.Object(pv, "spec", "awsElasticBlockStore") is { } ebs)
        {
            var zone = JsonPath.String(pv, "metadata", "labels", ZoneLabel);
            ebs["volumeID"] = string.IsNullOrEmpty(zone) ? volumeId : $"aws://{zone}/{volumeId}";
            return Task.FromResult(pv);
        }

        throw new VeleroException(VeleroErrorCode.SnapshotFailure, "spec.csi and spec.awsElasticBlockStore not found");
    }

    /// <summary>The volume's type and IOPS; the IOPS are reported for <c>io1</c> and <c>io2</c> volumes only (0 for others, as the plugin does).</summary>
    public override async Task<VolumeInfo> GetVolumeInfoAsync(string volumeId, string? volumeAz, CancellationToken cancellationToken = default)
    {
        var volume = await DescribeVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var type = volume.VolumeType?.Value ?? string.Empty;
        return new VolumeInfo(type, HasProvisionedIops(type) ? volume.Iops ?? 0 : 0);
    }

    /// <summary>Snapshots the volume with Velero's tags, then the volume's own tags whose keys Velero's do not have.</summary>
    public override async Task<string> CreateSnapshotAsync(string volumeId, string? volumeAz, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var volume = await DescribeVolumeAsync(volumeId, cancellationToken).ConfigureAwait(false);
        var all = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        foreach (var tag in volume.Tags ?? [])
        {
            if (tag.Key is { } key && !key.StartsWith("aws:", StringComparison.Ordinal) && !all.ContainsKey(key))
            {
                all[key] = tag.Value ?? string.Empty;
            }
        }

        var request = new CreateSnapshotRequest
        {
            VolumeId = volumeId,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [.. all.Select(t => new Tag(t.Key, t.Value))] }],
        };
        var response = await CallAsync("CreateSnapshot", () => _ec2.CreateSnapshotAsync(request, cancellationToken)).ConfigureAwait(false);
        var snapshotId = response.Snapshot?.SnapshotId ?? throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"EC2 CreateSnapshot of {volumeId} returned no snapshot");
        Log.EbsSnapshotCreated(_logger, snapshotId, volumeId, all.Count);
        return snapshotId;
    }

    /// <summary>
    /// Creates a volume from the snapshot in <paramref name="volumeAz"/> (required), with the snapshot's tags and encryption,
    /// the type <paramref name="volumeType"/> and, for <c>io1</c>/<c>io2</c>, <paramref name="iops"/>.
    /// </summary>
    public override async Task<string> CreateVolumeFromSnapshotAsync(string snapshotId, string? volumeType, string? volumeAz, long? iops, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(volumeAz))
        {
            throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"cannot create a volume from snapshot {snapshotId}: no availability zone");
        }

        var described = await CallAsync("DescribeSnapshots", () => _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] }, cancellationToken)).ConfigureAwait(false);
        var snapshots = described.Snapshots ?? [];
        if (snapshots.Count != 1)
        {
            throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"expected 1 snapshot from DescribeSnapshots for {snapshotId}, got {snapshots.Count}");
        }

        var snapshot = snapshots[0];
        var tags = (snapshot.Tags ?? []).Where(t => t.Key is not null && !t.Key.StartsWith("aws:", StringComparison.Ordinal)).ToList();
        if (_clusterName is not null)
        {
            tags.RemoveAll(t => t.Key == "KubernetesCluster" || t.Key!.StartsWith("kubernetes.io/cluster/", StringComparison.Ordinal));
            tags.Add(new Tag($"kubernetes.io/cluster/{_clusterName}", "owned"));
            tags.Add(new Tag("KubernetesCluster", _clusterName));
        }

        var request = new CreateVolumeRequest
        {
            SnapshotId = snapshotId,
            AvailabilityZone = volumeAz,
            Encrypted = snapshot.Encrypted ?? false,
        };
        if (!string.IsNullOrEmpty(volumeType))
        {
            request.VolumeType = VolumeType.FindValue(volumeType);
        }

        if (tags.Count > 0)
        {
            request.TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Volume, Tags = tags }];
        }

        if (_kmsKeyId is not null)
        {
            request.Encrypted = true;
            request.KmsKeyId = _kmsKeyId;
        }

        if (HasProvisionedIops(volumeType) && iops is > 0)
        {
            request.Iops = (int)Math.Min(iops.Value, int.MaxValue);
        }

        var response = await CallAsync("CreateVolume", () => _ec2.CreateVolumeAsync(request, cancellationToken)).ConfigureAwait(false);
        var id = response.Volume?.VolumeId ?? throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"EC2 CreateVolume from {snapshotId} returned no volume");
        Log.EbsVolumeCreated(_logger, id, volumeType ?? "default", snapshotId, volumeAz);
        return id;
    }

    /// <summary>Deletes the snapshot; <c>InvalidSnapshot.NotFound</c> counts as success.</summary>
    public override async Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken).ConfigureAwait(false);
            Log.EbsSnapshotDeleted(_logger, snapshotId);
        }
        catch (AmazonEC2Exception e) when (e.ErrorCode == "InvalidSnapshot.NotFound")
        {
            Log.EbsSnapshotAlreadyGone(_logger, snapshotId);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("DeleteSnapshot", e).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the EC2 client.</summary>
    public void Dispose() => _ec2.Dispose();

    private static string? VolumeIdIn(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var index = value.IndexOf("vol-", StringComparison.Ordinal);
        return index < 0 ? null : value[index..];
    }

    private static bool HasProvisionedIops(string? type) => type is "io1" or "io2";

    private static bool IsAwsFailure(Exception e) => e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException;

    private async Task<Volume> DescribeVolumeAsync(string volumeId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("DescribeVolumes", () => _ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volumeId] }, cancellationToken)).ConfigureAwait(false);
        var volumes = response.Volumes ?? [];
        if (volumes.Count != 1)
        {
            throw new VeleroException(VeleroErrorCode.SnapshotFailure, $"expected 1 volume from DescribeVolumes for volume ID {volumeId}, got {volumes.Count}");
        }

        return volumes[0];
    }

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync(operation, e).ConfigureAwait(false);
        }
    }

    private async Task<VeleroException> FailureAsync(string operation, Exception e)
    {
        var secrets = await _secrets.Value.ConfigureAwait(false);
        var detail = e is AmazonServiceException s ? $"{s.ErrorCode ?? "error"} ({(int)s.StatusCode}): {s.Message}" : e.Message;
        detail = AwsSupport.Scrub(detail, secrets);
        Log.EbsOperationFailed(_logger, operation, detail);
        var inner = secrets.Any(secret => e.ToString().Contains(secret, StringComparison.Ordinal)) ? null : e;
        return new VeleroException(VeleroErrorCode.SnapshotFailure, $"EC2 {operation} failed: {detail}", inner);
    }
}
