using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace Velero.Sdk.Providers.Aws;

/// <summary>
/// The settings of an <see cref="S3ObjectStore"/>. <see cref="S3ObjectStore.Create(IReadOnlyDictionary{string, string}, string, AWSCredentials?, ILoggerFactory?)"/>
/// fills them from a BackupStorageLocation's config, with the keys of velero-plugin-for-aws (named on each property).
/// </summary>
public sealed class S3ObjectStoreOptions
{
    /// <summary>The default of <see cref="ChecksumAlgorithm"/> when the config has no <c>checksumAlgorithm</c> key.</summary>
    public const string DefaultChecksumAlgorithm = "CRC32";

    /// <summary>The smallest part S3 accepts in a multipart upload (except the last one): 5 MiB.</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary>The bucket (required).</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>
    /// The bucket's region (<c>region</c>). When both this and <see cref="ServiceUrl"/> are empty, the region is discovered from the
    /// bucket (a HEAD bucket request to <c>us-east-1</c>) on first use, as Velero does.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>A custom endpoint, e.g. MinIO, Ceph RGW or an emulator (<c>s3Url</c>); <c>http://</c> or <c>https://</c>.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The endpoint used only for pre-signed URLs (<c>publicUrl</c>); defaults to <see cref="ServiceUrl"/>.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Path-style addressing, <c>https://host/bucket/key</c>, instead of virtual-hosted style (<c>s3ForcePathStyle</c>).</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>SSE-KMS: every upload is encrypted with this KMS key (<c>kmsKeyId</c>).</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Server-side encryption when no KMS or customer key is set, e.g. <c>AES256</c> (<c>serverSideEncryption</c>).</summary>
    public string? ServerSideEncryption { get; set; }

    /// <summary>SSE-C: the 32-byte customer key sent with every upload, download and HEAD (read from <c>customerKeyEncryptionFile</c>).</summary>
    public ReadOnlyMemory<byte>? CustomerKey { get; set; }

    /// <summary>The storage class of uploaded objects, e.g. <c>STANDARD_IA</c> (<c>storageClass</c>); the bucket's default when empty.</summary>
    public string? StorageClass { get; set; }

    /// <summary>Tags set on every uploaded object (<c>tagging</c>, <c>k1=v1&amp;k2=v2</c>).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// The checksum the AWS SDK computes and sends with uploads (<c>checksumAlgorithm</c>): <c>CRC32</c> (the default),
    /// <c>CRC32C</c>, <c>SHA1</c> or <c>SHA256</c>. The empty string sends no checksum and no aws-chunked body: the setting for
    /// S3-compatible stores (MinIO, Ceph, s3rver, ...) that do not decode AWS SDK v4's chunked checksum trailers.
    /// </summary>
    public string ChecksumAlgorithm { get; set; } = DefaultChecksumAlgorithm;

    /// <summary>PEM certificates trusted in addition to the system's roots for the endpoint's TLS certificate (<c>caCert</c>).</summary>
    public string? CaCertificatePem { get; set; }

    /// <summary>Accept any TLS certificate (<c>insecureSkipTLSVerify</c>); for tests only.</summary>
    public bool InsecureSkipTlsVerify { get; set; }

    /// <summary>
    /// Credentials to use. When <c>null</c>: the profile <see cref="Profile"/> of <see cref="CredentialsFile"/> if either is
    /// set, otherwise the AWS SDK's default credential chain (environment, shared files, web identity, instance roles).
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>An AWS shared credentials file (<c>credentialsFile</c>, which Velero fills from the location's credential Secret).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The profile in the credentials file (<c>profile</c>); <c>default</c> when empty.</summary>
    public string? Profile { get; set; }

    /// <summary>
    /// Streams longer than this are uploaded in parts of this size (at least <see cref="MinimumPartSize"/>); shorter ones in
    /// one request. Default 16 MiB.
    /// </summary>
    public int PartSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>How many parts of one multipart upload are sent at the same time. Default 2.</summary>
    public int UploadConcurrency { get; set; } = 2;

    /// <summary>Keys asked for per listing page (1 to 1000). Default 1000, S3's maximum.</summary>
    public int ListPageSize { get; set; } = 1000;

    /// <summary>
    /// Compute common prefixes from a listing of every key instead of the server's delimiter listing: for S3-compatible stores
    /// whose delimiter listings miss prefixes (s3rver 3.7 omits a prefix when all its objects sit two or more levels deeper).
    /// Default false.
    /// </summary>
    public bool CommonPrefixesFromKeys { get; set; }

    /// <summary>The clock that dates pre-signed URLs; <see cref="TimeProvider.System"/> when <c>null</c>.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>Where the store logs (uploads, listings, integrity failures); never credentials.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
