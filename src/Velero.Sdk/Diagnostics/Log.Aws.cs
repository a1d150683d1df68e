using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Diagnostics;

/// <summary>Log messages of the AWS providers: 31xx the S3 object store, 32xx the EBS volume snapshotter. They never carry credentials.</summary>
internal static partial class Log
{
    [LoggerMessage(3101, LogLevel.Debug, "S3 object store for bucket {Bucket}: endpoint {Endpoint}, region {Region}, path style {PathStyle}, checksum {Checksum}")]
    public static partial void S3StoreCreated(ILogger logger, string bucket, string endpoint, string region, bool pathStyle, string checksum);

    [LoggerMessage(3102, LogLevel.Debug, "S3 uploaded {Key} to bucket {Bucket}: {Bytes} bytes in {Parts} part(s)")]
    public static partial void S3Uploaded(ILogger logger, string key, string bucket, long bytes, int parts);

    [LoggerMessage(3103, LogLevel.Error, "S3 integrity check failed for {Key} in bucket {Bucket}: {Reason}")]
    public static partial void S3IntegrityFailure(ILogger logger, string key, string bucket, string reason);

    [LoggerMessage(3104, LogLevel.Warning, "S3 {Operation} of {Key} in bucket {Bucket} failed: {Reason}")]
    public static partial void S3OperationFailed(ILogger logger, string operation, string key, string bucket, string reason);

    [LoggerMessage(3105, LogLevel.Information, "S3 bucket {Bucket} is in region {Region}")]
    public static partial void S3RegionDiscovered(ILogger logger, string bucket, string region);

    [LoggerMessage(3201, LogLevel.Information, "EBS snapshot {SnapshotId} of volume {VolumeId} created with {TagCount} tags")]
    public static partial void EbsSnapshotCreated(ILogger logger, string snapshotId, string volumeId, int tagCount);

    [LoggerMessage(3202, LogLevel.Information, "EBS volume {VolumeId} ({VolumeType}) created from snapshot {SnapshotId} in {Zone}")]
    public static partial void EbsVolumeCreated(ILogger logger, string volumeId, string volumeType, string snapshotId, string zone);

    [LoggerMessage(3203, LogLevel.Information, "EBS snapshot {SnapshotId} deleted")]
    public static partial void EbsSnapshotDeleted(ILogger logger, string snapshotId);

    [LoggerMessage(3204, LogLevel.Debug, "EBS snapshot {SnapshotId} was already gone")]
    public static partial void EbsSnapshotAlreadyGone(ILogger logger, string snapshotId);

    [LoggerMessage(3205, LogLevel.Debug, "Persistent volume {Name} uses CSI driver {Driver}, which the EBS snapshotter does not handle")]
    public static partial void EbsOtherCsiDriver(ILogger logger, string name, string driver);

    [LoggerMessage(3206, LogLevel.Warning, "EC2 {Operation} failed: {Reason}")]
    public static partial void EbsOperationFailed(ILogger logger, string operation, string reason);
}
