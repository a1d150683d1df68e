using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Providers.Aws;

/// <summary>
/// The settings of an <see cref="EbsVolumeSnapshotter"/>. <see cref="EbsVolumeSnapshotter.Create(IReadOnlyDictionary{string, string}, AWSCredentials?, ILoggerFactory?)"/>
/// fills them from a VolumeSnapshotLocation's config, with the keys of velero-plugin-for-aws (named on each property).
/// </summary>
public sealed class EbsVolumeSnapshotterOptions
{
    /// <summary>The region of the volumes (<c>region</c>, required).</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>A custom EC2 endpoint, e.g. an emulator or a VPC endpoint (<c>ec2Url</c>, a Velero.Sdk addition).</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The KMS key that encrypts volumes created from snapshots (<c>ebsKmsKeyId</c>).</summary>
    public string? EbsKmsKeyId { get; set; }

    /// <summary>
    /// The cluster that restored volumes belong to: when set, the snapshot tags <c>kubernetes.io/cluster/*</c> and
    /// <c>KubernetesCluster</c> are replaced on new volumes by this cluster's (as the plugin does with env <c>AWS_CLUSTER_NAME</c>,
    /// which is the default).
    /// </summary>
    public string? ClusterName { get; set; } = Environment.GetEnvironmentVariable("AWS_CLUSTER_NAME");

    /// <summary>
    /// Credentials to use. When <c>null</c>: the profile <see cref="Profile"/> of <see cref="CredentialsFile"/> if either is set,
    /// otherwise the AWS SDK's default credential chain.
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>An AWS shared credentials file (<c>credentialsFile</c>, which Velero fills from the location's credential Secret).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The profile in the credentials file (<c>profile</c>); <c>default</c> when empty.</summary>
    public string? Profile { get; set; }

    /// <summary>Where the snapshotter logs; never credentials.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
