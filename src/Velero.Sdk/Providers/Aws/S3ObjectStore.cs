using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Providers.Aws;

/// <summary>
/// An <see cref="ObjectStore"/> over an Amazon S3 bucket or an S3-compatible store (MinIO, Ceph RGW, ...), configured with the
/// BackupStorageLocation config keys of velero-plugin-for-aws. Safe for concurrent use; dispose it to release its HTTP clients.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Streams up to <see cref="S3ObjectStoreOptions.PartSize"/> bytes are sent in one PutObject; longer ones in a multipart
/// upload whose parts are sent <see cref="S3ObjectStoreOptions.UploadConcurrency"/> at a time (a failed upload is aborted).</item>
/// <item>Integrity: the store computes the MD5 of every request body it sends and compares it with the ETag S3 returns (the
/// MD5 of what S3 stored, for single requests and parts without SSE-KMS or SSE-C); with SSE-KMS or SSE-C it compares the
/// stored length instead. A mismatch deletes the damaged object and throws a <see cref="VeleroException"/>
/// (<see cref="VeleroErrorCode.StorageFailure"/>) that names the setting to change: S3-compatible stores that do not decode
/// the AWS SDK's aws-chunked bodies with checksum trailers need <c>checksumAlgorithm: ""</c>.</item>
/// <item>Listings page through ListObjectsV2 (<see cref="S3ObjectStoreOptions.ListPageSize"/> keys a page) and are in S3's
/// order (UTF-8 bytes).</item>
/// <item>Keys are checked as by every store (<see cref="VeleroErrorCode.PathTraversal"/> for keys that could escape a folder).</item>
/// <item>Errors are <see cref="VeleroException"/>s (<see cref="VeleroErrorCode.NotFound"/> for a missing object,
/// <see cref="VeleroErrorCode.StorageFailure"/> otherwise). Neither they nor the logs ever contain credentials: secrets are
/// scrubbed from the messages S3 returns.</item>
/// </list>
/// </remarks>
public sealed class S3ObjectStore : ObjectStore, IDisposable
{
    private static readonly string[] ConfigKeys =
    [
        "region", "s3Url", "publicUrl", "s3ForcePathStyle", "kmsKeyId", "serverSideEncryption", "customerKeyEncryptionFile",
        "customerKeyEncryptionSecret", "insecureSkipTLSVerify", "caCert", "credentialsFile", "profile", "tagging", "checksumAlgorithm",
        "storageClass",
    ];

    private static readonly string[] ChecksumAlgorithms = ["CRC32", "CRC32C", "SHA1", "SHA256"];

    private readonly string _bucket;
    private readonly string? _region;
    private readonly Uri? _serviceUrl;
    private readonly Uri? _publicUrl;
    private readonly bool _forcePathStyle;
    private readonly string? _kmsKeyId;
    private readonly string? _serverSideEncryption;
    private readonly string? _customerKey;
    private readonly string? _customerKeyMd5;
    private readonly string? _storageClass;
    private readonly List<Tag> _tags;
    private readonly ChecksumAlgorithm? _checksum;
    private readonly string _checksumName;
    private readonly HttpClientFactory? _httpClientFactory;
    private readonly AWSCredentials _credentials;
    private readonly int _partSize;
    private readonly int _uploadConcurrency;
    private readonly int _listPageSize;
    private readonly bool _commonPrefixesFromKeys;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lazy<Task<Clients>> _clients;
    private readonly Dictionary<string, KeyLock> _keyLocks = new(StringComparer.Ordinal);
    private readonly Lazy<Task<IReadOnlyList<string>>> _secrets;
    private bool _disposed;

    /// <summary>Creates a store from <paramref name="options"/>; nothing is sent to S3 until the first operation.</summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> when the options are not valid.</exception>
    public S3ObjectStore(S3ObjectStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            throw AwsSupport.Invalid("the bucket of an S3 object store must not be empty");
        }

        var checksum = (options.ChecksumAlgorithm ?? S3ObjectStoreOptions.DefaultChecksumAlgorithm).ToUpperInvariant();
        if (checksum.Length > 0 && !ChecksumAlgorithms.Contains(checksum))
        {
            throw AwsSupport.Invalid($"invalid checksum algorithm: {options.ChecksumAlgorithm}");
        }

        if (options.PartSize < S3ObjectStoreOptions.MinimumPartSize)
        {
            throw AwsSupport.Invalid($"the part size of multipart uploads must be at least {S3ObjectStoreOptions.MinimumPartSize} bytes");
        }

        if (options.ListPageSize is < 1 or > 1000)
        {
            throw AwsSupport.Invalid("the listing page size must be between 1 and 1000");
        }

        var encryptions = new[] { options.KmsKeyId is not null, options.CustomerKey is not null }.Count(b => b);
        if (encryptions > 1)
        {
            throw AwsSupport.Invalid("you can only use one of: kmsKeyId, customerKeyEncryptionFile, or customerKeyEncryptionSecret");
        }

        if (options.CustomerKey is { } key)
        {
            if (key.Length != 32)
            {
                throw AwsSupport.Invalid("the SSE-C customer key must be exactly 32 bytes");
            }

            _customerKey = Convert.ToBase64String(key.Span);
            _customerKeyMd5 = Convert.ToBase64String(Md5(key.Span));
        }

        _bucket = options.Bucket;
        _region = string.IsNullOrEmpty(options.Region) ? null : options.Region;
        _serviceUrl = options.ServiceUrl;
        _publicUrl = options.PublicUrl;
        _forcePathStyle = options.ForcePathStyle;
        _kmsKeyId = string.IsNullOrEmpty(options.KmsKeyId) ? null : options.KmsKeyId;
        _serverSideEncryption = string.IsNullOrEmpty(options.ServerSideEncryption) ? null : options.ServerSideEncryption;
        _storageClass = string.IsNullOrEmpty(options.StorageClass) ? null : options.StorageClass;
        _tags = [.. (options.Tags ?? new Dictionary<string, string>()).Select(t => new Tag { Key = t.Key, Value = t.Value })];
        _checksumName = checksum;
        _checksum = checksum.Length == 0 ? null : Amazon.S3.ChecksumAlgorithm.FindValue(checksum);
        _httpClientFactory = AwsSupport.TlsFactory(options.CaCertificatePem, options.InsecureSkipTlsVerify);
        _credentials = AwsSupport.ResolveCredentials(options.Credentials, options.CredentialsFile, options.Profile);
        _partSize = options.PartSize;
        _uploadConcurrency = Math.Max(1, options.UploadConcurrency);
        _listPageSize = options.ListPageSize;
        _commonPrefixesFromKeys = options.CommonPrefixesFromKeys;
        _timeProvider = options.TimeProvider ?? TimeProvider.System;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<S3ObjectStore>();
        _clients = new Lazy<Task<Clients>>(CreateClientsAsync, LazyThreadSafetyMode.ExecutionAndPublication);
        _secrets = new Lazy<Task<IReadOnlyList<string>>>(() => AwsSupport.SecretsAsync(_credentials), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The bucket.</summary>
    public string Bucket => _bucket;

    /// <summary>The checksum algorithm of uploads; empty when none is sent (<c>checksumAlgorithm: ""</c>).</summary>
    public string ChecksumAlgorithm => _checksumName;

    /// <summary>
    /// Creates a store from a BackupStorageLocation's <c>config</c>, with the keys of velero-plugin-for-aws: <c>region</c>,
    /// <c>s3Url</c>, <c>publicUrl</c>, <c>s3ForcePathStyle</c>, <c>kmsKeyId</c>, <c>serverSideEncryption</c>,
    /// <c>customerKeyEncryptionFile</c>, <c>insecureSkipTLSVerify</c>, <c>caCert</c>, <c>credentialsFile</c>, <c>profile</c>,
    /// <c>tagging</c>, <c>checksumAlgorithm</c> and <c>storageClass</c> (<c>bucket</c>, <c>prefix</c>, <c>signatureVersion</c>
    /// and <c>enableSharedConfig</c> are accepted and ignored). See <see cref="ParseConfig"/>.
    /// </summary>
    /// <param name="config">The location's config.</param>
    /// <param name="bucket">The bucket (<c>spec.objectStorage.bucket</c>).</param>
    /// <param name="credentials">Credentials to use instead of the profile or the AWS SDK's default chain.</param>
    /// <param name="loggerFactory">Where the store logs.</param>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> naming the bad key.</exception>
    public static S3ObjectStore Create(IReadOnlyDictionary<string, string> config, string bucket, AWSCredentials? credentials = null, ILoggerFactory? loggerFactory = null)
    {
        var options = ParseConfig(config, bucket);
        options.Credentials = credentials;
        options.LoggerFactory = loggerFactory;
        return new S3ObjectStore(options);
    }

    /// <summary>
    /// Creates a store from a BackupStorageLocation of provider <c>aws</c> or <c>velero.io/aws</c>: its config (see
    /// <see cref="Create(IReadOnlyDictionary{string, string}, string, AWSCredentials?, ILoggerFactory?)"/>), its bucket and its
    /// CA certificate. The location's prefix belongs to the <see cref="BackupStore"/>: pass it to
    /// <c>VeleroClientBuilder.UseObjectStore(store, prefix, name)</c>.
    /// </summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> for another provider or a bad config.</exception>
    public static S3ObjectStore Create(V1BackupStorageLocation location, AWSCredentials? credentials = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var spec = location.Spec ?? throw AwsSupport.Invalid("the backup storage location has no spec");
        if (spec.Provider is not ("aws" or "velero.io/aws"))
        {
            throw AwsSupport.Invalid($"the backup storage location's provider is \"{spec.Provider}\", not aws or velero.io/aws");
        }

        var bucket = spec.ObjectStorage?.Bucket;
        if (string.IsNullOrEmpty(bucket))
        {
            throw AwsSupport.Invalid("the backup storage location has no bucket (spec.objectStorage.bucket)");
        }

        var config = new Dictionary<string, string>(spec.Config ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (spec.ObjectStorage?.CaCert is { Length: > 0 } caCert && !config.ContainsKey("caCert"))
        {
            config["caCert"] = Encoding.UTF8.GetString(caCert);
        }

        return Create(config, bucket, credentials, loggerFactory);
    }

    /// <summary>
    /// Reads a BackupStorageLocation's config into options, with velero-plugin-for-aws's rules and messages: unknown keys,
    /// URLs that are not <c>http(s)://</c>, booleans Go cannot parse, more than one encryption key, a customer key file
    /// shorter than 32 bytes, bad tags and unknown checksum algorithms are refused. A <c>checksumAlgorithm</c> key that is
    /// present and empty means no checksum; an absent key means <c>CRC32</c>.
    /// </summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.Invalid"/> naming the bad key.</exception>
    public static S3ObjectStoreOptions ParseConfig(IReadOnlyDictionary<string, string> config, string bucket)
    {
        ArgumentNullException.ThrowIfNull(config);
        AwsSupport.CheckKeys(config, ConfigKeys, "S3 object store");
        var options = new S3ObjectStoreOptions
        {
            Bucket = bucket,
            Region = AwsSupport.Get(config, "region"),
            ServiceUrl = AwsSupport.GetUrl(config, "s3Url"),
            PublicUrl = AwsSupport.GetUrl(config, "publicUrl"),
            ForcePathStyle = AwsSupport.GetBool(config, "s3ForcePathStyle"),
            KmsKeyId = AwsSupport.Get(config, "kmsKeyId"),
            ServerSideEncryption = AwsSupport.Get(config, "serverSideEncryption"),
            StorageClass = AwsSupport.Get(config, "storageClass"),
            InsecureSkipTlsVerify = AwsSupport.GetBool(config, "insecureSkipTLSVerify"),
            CaCertificatePem = AwsSupport.Get(config, "caCert"),
            CredentialsFile = AwsSupport.Get(config, "credentialsFile"),
            Profile = AwsSupport.Get(config, "profile"),
            Tags = ParseTagging(AwsSupport.Get(config, "tagging")),
            ChecksumAlgorithm = config.TryGetValue("checksumAlgorithm", out var checksum) ? checksum : S3ObjectStoreOptions.DefaultChecksumAlgorithm,
        };

        var keyFile = AwsSupport.Get(config, "customerKeyEncryptionFile");
        var keySecret = AwsSupport.Get(config, "customerKeyEncryptionSecret");
        if (new[] { options.KmsKeyId, keyFile, keySecret }.Count(v => v is not null) > 1)
        {
            throw AwsSupport.Invalid("you can only use one of: kmsKeyId, customerKeyEncryptionFile, or customerKeyEncryptionSecret");
        }

        if (keySecret is not null)
        {
            throw AwsSupport.Invalid("customerKeyEncryptionSecret is read by a Velero server from its namespace; read the key yourself and set S3ObjectStoreOptions.CustomerKey, or use customerKeyEncryptionFile");
        }

        if (keyFile is not null)
        {
            options.CustomerKey = ReadCustomerKey(keyFile);
        }

        if (options.ChecksumAlgorithm.Length > 0 && !ChecksumAlgorithms.Contains(options.ChecksumAlgorithm.ToUpperInvariant()))
        {
            throw AwsSupport.Invalid($"invalid checksum algorithm: {options.ChecksumAlgorithm}");
        }

        return options;
    }

    /// <inheritdoc />
    public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(content);
        var clients = await ClientsAsync().ConfigureAwait(false);
        using var keyLock = await LockKeyAsync(key, cancellationToken).ConfigureAwait(false);
        var first = await ReadChunkAsync(content, _partSize, cancellationToken).ConfigureAwait(false);
        Chunk? second = null;
        if (first.Length == _partSize)
        {
            second = await ReadChunkAsync(content, _partSize, cancellationToken).ConfigureAwait(false);
        }

        if (second is null || second.Value.Length == 0)
        {
            await PutSingleAsync(clients.Main, key, first, cancellationToken).ConfigureAwait(false);
            return;
        }

        await PutMultipartAsync(clients.Main, key, content, first, second.Value, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var clients = await ClientsAsync().ConfigureAwait(false);
        try
        {
            await clients.Main.GetObjectMetadataAsync(Metadata(key), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("HEAD", key, e).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async Task<Stream> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var clients = await ClientsAsync().ConfigureAwait(false);
        var request = new GetObjectRequest { BucketName = _bucket, Key = key };
        if (_customerKey is not null)
        {
            request.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            request.ServerSideEncryptionCustomerProvidedKey = _customerKey;
            request.ServerSideEncryptionCustomerProvidedKeyMD5 = _customerKeyMd5;
        }

        try
        {
            var response = await clients.Main.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
            return new S3ResponseStream(response);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new VeleroException(VeleroErrorCode.NotFound, $"object \"{key}\" not found in bucket {_bucket}");
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("GET", key, e).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The prefixes are collected from every page, then returned in UTF-8 byte order. With
    /// <see cref="S3ObjectStoreOptions.CommonPrefixesFromKeys"/> they are computed from a listing of every key under
    /// <paramref name="prefix"/> instead of the server's delimiter listing.
    /// </remarks>
    public override async IAsyncEnumerable<string> ListCommonPrefixesAsync(string prefix, string delimiter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        ArgumentException.ThrowIfNullOrEmpty(delimiter);
        List<string> prefixes;
        if (_commonPrefixesFromKeys)
        {
            var keys = new List<string>();
            await foreach (var page in PagesAsync(prefix, null, cancellationToken).ConfigureAwait(false))
            {
                keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            }

            prefixes = ObjectKeys.CommonPrefixes(keys, prefix, delimiter);
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var page in PagesAsync(prefix, delimiter, cancellationToken).ConfigureAwait(false))
            {
                seen.UnionWith(page.CommonPrefixes ?? []);
            }

            prefixes = [.. seen];
            prefixes.Sort(Utf8OrdinalComparer.Instance);
        }

        foreach (var common in prefixes)
        {
            yield return common;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Every page is read before the first key is returned, as Velero's plugin does, so that the keys come in UTF-8 byte order
    /// even from S3-compatible stores that list in another order.
    /// </remarks>
    public override async IAsyncEnumerable<string> ListKeysAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectKeys.ValidatePrefix(prefix);
        var keys = new List<string>();
        await foreach (var page in PagesAsync(prefix, null, cancellationToken).ConfigureAwait(false))
        {
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
        }

        keys.Sort(Utf8OrdinalComparer.Instance);
        foreach (var key in keys)
        {
            yield return key;
        }
    }

    /// <inheritdoc />
    public override async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        var clients = await ClientsAsync().ConfigureAwait(false);
        try
        {
            await clients.Main.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            // Some S3-compatible stores answer 404 for a missing key; S3 itself answers 204.
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("DELETE", key, e).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A SigV4 pre-signed GET URL for the object, valid for <paramref name="ttl"/>, on the <c>publicUrl</c> endpoint when one is
    /// set. Signing happens locally: the object is not checked.
    /// </summary>
    public override async Task<Uri> CreateSignedUrlAsync(string key, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "The time to live of a signed URL must be positive.");
        }

        var clients = await ClientsAsync().ConfigureAwait(false);
        var endpoint = _publicUrl ?? _serviceUrl;
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = _timeProvider.GetUtcNow().UtcDateTime.Add(ttl),
            Protocol = endpoint?.Scheme == Uri.UriSchemeHttp ? Protocol.HTTP : Protocol.HTTPS,
        };
        try
        {
            return new Uri(await clients.Signer.GetPreSignedURLAsync(request).ConfigureAwait(false));
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("pre-sign", key, e).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the S3 clients.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_clients.IsValueCreated && _clients.Value.IsCompletedSuccessfully)
        {
            _clients.Value.Result.Dispose();
        }
    }

    private static Dictionary<string, string> ParseTagging(string? tagging)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tagging is null)
        {
            return tags;
        }

        foreach (var pair in tagging.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (pair.Length == 0 || eq <= 0)
            {
                throw AwsSupport.Invalid($"invalid tagging \"{tagging}\": expected k1=v1&k2=v2");
            }

            var key = Uri.UnescapeDataString(pair[..eq].Replace('+', ' '));
            var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (key.Length > 128 || value.Length > 256)
            {
                throw AwsSupport.Invalid($"invalid tagging: the tag {key} is too long (keys up to 128 characters, values up to 256)");
            }

            tags[key] = value;
        }

        if (tags.Count > 10)
        {
            throw AwsSupport.Invalid("invalid tagging: at most 10 tags are allowed per object");
        }

        return tags;
    }

    private static byte[] ReadCustomerKey(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var key = new byte[32];
            var read = file.ReadAtLeast(key, 32, throwOnEndOfStream: false);
            if (read < 32)
            {
                throw AwsSupport.Invalid($"contents of customerKeyEncryptionFile ({path}) are not exactly 32 bytes");
            }

            return key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VeleroException(VeleroErrorCode.Invalid, $"could not read customerKeyEncryptionFile ({path}): {e.Message}", e);
        }
    }

    private static async Task<Chunk> ReadChunkAsync(Stream content, int size, CancellationToken cancellationToken)
    {
        // Small objects (most of a backup's files) get a small buffer: it grows up to a part only for long streams.
        var buffer = new byte[Math.Min(size, 64 * 1024)];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length == size)
                {
                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min(size, buffer.Length * 4L));
            }

            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return new Chunk(buffer, filled);
    }

    private static bool IsAwsFailure(Exception e) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or
            System.Security.Authentication.AuthenticationException;

    // MD5 is what S3's protocol uses (ETags, SSE-C key digests): an integrity check, not a security measure.
#pragma warning disable CA5351
    private static byte[] Md5(ReadOnlySpan<byte> data) => MD5.HashData(data);
#pragma warning restore CA5351

    private static string? Unquote(string? etag) => etag?.Trim('"');

    private async Task PutSingleAsync(AmazonS3Client client, string key, Chunk chunk, CancellationToken cancellationToken)
    {
        var md5 = Convert.ToHexStringLower(Md5(chunk.Span));
        var request = new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = new MemoryStream(chunk.Buffer, 0, chunk.Length, writable: false),
            AutoCloseStream = true,
            UseChunkEncoding = _checksum is not null,
            ChecksumAlgorithm = _checksum,
            TagSet = _tags.Count > 0 ? _tags : null,
        };
        if (_storageClass is not null)
        {
            request.StorageClass = S3StorageClass.FindValue(_storageClass);
        }

        ApplyEncryption(request);
        PutObjectResponse response;
        try
        {
            response = await client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("upload", key, e).ConfigureAwait(false);
        }

        if (EtagIsMd5)
        {
            if (!string.Equals(Unquote(response.ETag), md5, StringComparison.OrdinalIgnoreCase))
            {
                await RejectAsync(client, key, $"sent {chunk.Length} bytes with MD5 {md5}, the store reports ETag {response.ETag}", cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await VerifyLengthAsync(client, key, chunk.Length, cancellationToken).ConfigureAwait(false);
        }

        Log.S3Uploaded(_logger, key, _bucket, chunk.Length, 1);
    }

    private async Task PutMultipartAsync(AmazonS3Client client, string key, Stream content, Chunk first, Chunk second, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = key,
            ChecksumAlgorithm = _checksum,
            TagSet = _tags.Count > 0 ? _tags : null,
        };
        if (_storageClass is not null)
        {
            initiate.StorageClass = S3StorageClass.FindValue(_storageClass);
        }

        if (_kmsKeyId is not null)
        {
            initiate.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            initiate.ServerSideEncryptionKeyManagementServiceKeyId = _kmsKeyId;
        }
        else if (_customerKey is not null)
        {
            initiate.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            initiate.ServerSideEncryptionCustomerProvidedKey = _customerKey;
            initiate.ServerSideEncryptionCustomerProvidedKeyMD5 = _customerKeyMd5;
        }
        else if (_serverSideEncryption is not null)
        {
            initiate.ServerSideEncryptionMethod = ServerSideEncryptionMethod.FindValue(_serverSideEncryption);
        }

        string uploadId;
        try
        {
            uploadId = (await client.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false)).UploadId;
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("multipart upload", key, e).ConfigureAwait(false);
        }

        var parts = new List<PartETag>();
        var running = new List<Task<PartETag>>();
        long total = 0;
        var completed = false;
        try
        {
            var number = 0;
            Chunk? next = first;
            Chunk? after = second;
            while (next is { Length: > 0 } chunk)
            {
                number++;
                total += chunk.Length;
                running.Add(UploadPartAsync(client, key, uploadId, number, chunk, cancellationToken));
                if (running.Count >= _uploadConcurrency)
                {
                    var done = await Task.WhenAny(running).ConfigureAwait(false);
                    running.Remove(done);
                    parts.Add(await done.ConfigureAwait(false));
                }

                next = after;
                after = next is { Length: var n } && n == _partSize
                    ? await ReadChunkAsync(content, _partSize, cancellationToken).ConfigureAwait(false)
                    : null;
            }

            parts.AddRange(await Task.WhenAll(running).ConfigureAwait(false));
            running.Clear();
            parts.Sort((a, b) => (a.PartNumber ?? 0).CompareTo(b.PartNumber ?? 0));
            try
            {
                await client.CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId, PartETags = parts },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsAwsFailure(e))
            {
                throw await FailureAsync("multipart upload", key, e).ConfigureAwait(false);
            }

            completed = true;
        }
        finally
        {
            if (!completed)
            {
                await AbortAsync(client, key, uploadId, running).ConfigureAwait(false);
            }
        }

        await VerifyLengthAsync(client, key, total, cancellationToken).ConfigureAwait(false);
        Log.S3Uploaded(_logger, key, _bucket, total, parts.Count);
    }

    private async Task<PartETag> UploadPartAsync(AmazonS3Client client, string key, string uploadId, int number, Chunk chunk, CancellationToken cancellationToken)
    {
        var md5 = Convert.ToHexStringLower(Md5(chunk.Span));
        var request = new UploadPartRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(chunk.Buffer, 0, chunk.Length, writable: false),
            PartSize = chunk.Length,
            UseChunkEncoding = _checksum is not null,
            ChecksumAlgorithm = _checksum,
        };
        if (_customerKey is not null)
        {
            request.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            request.ServerSideEncryptionCustomerProvidedKey = _customerKey;
            request.ServerSideEncryptionCustomerProvidedKeyMD5 = _customerKeyMd5;
        }

        UploadPartResponse response;
        try
        {
            response = await client.UploadPartAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync($"upload of part {number}", key, e).ConfigureAwait(false);
        }

        if (EtagIsMd5 && !string.Equals(Unquote(response.ETag), md5, StringComparison.OrdinalIgnoreCase))
        {
            throw await IntegrityFailureAsync(key, $"part {number}: sent {chunk.Length} bytes with MD5 {md5}, the store reports ETag {response.ETag}").ConfigureAwait(false);
        }

        return new PartETag
        {
            PartNumber = number,
            ETag = response.ETag,
            ChecksumCRC32 = response.ChecksumCRC32,
            ChecksumCRC32C = response.ChecksumCRC32C,
            ChecksumSHA1 = response.ChecksumSHA1,
            ChecksumSHA256 = response.ChecksumSHA256,
        };
    }

    private async Task AbortAsync(AmazonS3Client client, string key, string uploadId, List<Task<PartETag>> running)
    {
        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception e) when (e is VeleroException or OperationCanceledException || IsAwsFailure(e))
        {
            // Already reported by the part that failed first; wait only so that no part lands after the abort.
        }

        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            Log.S3OperationFailed(_logger, "abort of multipart upload", key, _bucket, AwsSupport.Scrub(e.Message, await _secrets.Value.ConfigureAwait(false)));
        }
    }

    // S3 returns the MD5 of the stored bytes as the ETag of a PutObject or UploadPart, except with SSE-KMS and SSE-C.
    private bool EtagIsMd5 => _kmsKeyId is null && _customerKey is null && _serverSideEncryption is not "aws:kms" and not "aws:kms:dsse";

    private async Task VerifyLengthAsync(AmazonS3Client client, string key, long expected, CancellationToken cancellationToken)
    {
        GetObjectMetadataResponse head;
        try
        {
            head = await client.GetObjectMetadataAsync(Metadata(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw await FailureAsync("read-back of the size", key, e).ConfigureAwait(false);
        }

        if (head.ContentLength != expected)
        {
            await RejectAsync(client, key, $"sent {expected} bytes, the store holds {head.ContentLength}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RejectAsync(AmazonS3Client client, string key, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            Log.S3OperationFailed(_logger, "delete of a damaged object", key, _bucket, AwsSupport.Scrub(e.Message, await _secrets.Value.ConfigureAwait(false)));
        }

        throw await IntegrityFailureAsync(key, reason).ConfigureAwait(false);
    }

    private Task<VeleroException> IntegrityFailureAsync(string key, string reason)
    {
        Log.S3IntegrityFailure(_logger, key, _bucket, reason);
        var advice = _checksum is not null
            ? $"The store probably does not decode the AWS SDK's aws-chunked uploads with {_checksumName} checksum trailers (many S3-compatible stores do not): " +
              "set checksumAlgorithm to \"\" in the backup storage location's config (S3ObjectStoreOptions.ChecksumAlgorithm = \"\")."
            : "The bytes were damaged in transit or by the store; the object was not kept.";
        return Task.FromResult(new VeleroException(
            VeleroErrorCode.StorageFailure,
            $"S3 stored different bytes than were uploaded for \"{key}\" in bucket {_bucket} ({reason}). {advice}"));
    }

    private void ApplyEncryption(PutObjectRequest request)
    {
        if (_kmsKeyId is not null)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS;
            request.ServerSideEncryptionKeyManagementServiceKeyId = _kmsKeyId;
        }
        else if (_customerKey is not null)
        {
            request.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            request.ServerSideEncryptionCustomerProvidedKey = _customerKey;
            request.ServerSideEncryptionCustomerProvidedKeyMD5 = _customerKeyMd5;
        }
        else if (_serverSideEncryption is not null)
        {
            request.ServerSideEncryptionMethod = ServerSideEncryptionMethod.FindValue(_serverSideEncryption);
        }
    }

    private GetObjectMetadataRequest Metadata(string key)
    {
        var request = new GetObjectMetadataRequest { BucketName = _bucket, Key = key };
        if (_customerKey is not null)
        {
            request.ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256;
            request.ServerSideEncryptionCustomerProvidedKey = _customerKey;
            request.ServerSideEncryptionCustomerProvidedKeyMD5 = _customerKeyMd5;
        }

        return request;
    }

    private async IAsyncEnumerable<ListObjectsV2Response> PagesAsync(string prefix, string? delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clients = await ClientsAsync().ConfigureAwait(false);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = delimiter, MaxKeys = _listPageSize };
        while (true)
        {
            ListObjectsV2Response page;
            try
            {
                page = await clients.Main.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsAwsFailure(e))
            {
                throw await FailureAsync("listing", prefix, e).ConfigureAwait(false);
            }

            yield return page;
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken))
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    private async Task<VeleroException> FailureAsync(string operation, string key, Exception e)
    {
        var secrets = await _secrets.Value.ConfigureAwait(false);
        var detail = e is AmazonServiceException s
            ? $"{s.ErrorCode ?? "error"} ({(int)s.StatusCode}): {s.Message}"
            : e.Message;
        detail = AwsSupport.Scrub(detail, secrets);
        Log.S3OperationFailed(_logger, operation, key, _bucket, detail);

        // The AWS exception is kept as the inner exception only when nothing secret can be read from it.
        var inner = secrets.Any(secret => e.ToString().Contains(secret, StringComparison.Ordinal)) ? null : e;
        return new VeleroException(VeleroErrorCode.StorageFailure, $"S3 {operation} of \"{key}\" in bucket {_bucket} failed: {detail}", inner);
    }

    private Task<Clients> ClientsAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _clients.Value;
    }

    private async Task<Clients> CreateClientsAsync()
    {
        var region = _region;
        if (region is null && _serviceUrl is null)
        {
            region = await DiscoverRegionAsync().ConfigureAwait(false);
        }

        region ??= "us-east-1";
        var main = new AmazonS3Client(_credentials, Config(region, _serviceUrl));
        var signer = _publicUrl is null ? main : new AmazonS3Client(_credentials, Config(region, _publicUrl));
        Log.S3StoreCreated(_logger, _bucket, _serviceUrl?.ToString() ?? $"AWS S3 {region}", region, _forcePathStyle, _checksumName.Length == 0 ? "none" : _checksumName);
        return new Clients(main, signer);
    }

    private async Task<string> DiscoverRegionAsync()
    {
        using var probe = new AmazonS3Client(_credentials, Config("us-east-1", null));
        try
        {
            var location = await probe.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = _bucket }).ConfigureAwait(false);
            var value = location.Location?.Value;
            var region = value switch
            {
                null or "" or "US" => "us-east-1",
                "EU" => "eu-west-1",
                _ => value,
            };
            Log.S3RegionDiscovered(_logger, _bucket, region);
            return region;
        }
        catch (Exception e) when (IsAwsFailure(e))
        {
            throw new VeleroException(
                VeleroErrorCode.StorageFailure,
                $"unable to determine bucket's region, bucket: {_bucket}: {AwsSupport.Scrub(e.Message, await _secrets.Value.ConfigureAwait(false))}; set region in the backup storage location's config");
        }
    }

    private AmazonS3Config Config(string region, Uri? endpoint)
    {
        var config = new AmazonS3Config { ForcePathStyle = _forcePathStyle };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (_checksum is null)
        {
            // No checksum: no aws-chunked bodies and no trailers, which many S3-compatible stores store verbatim.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        if (_httpClientFactory is not null)
        {
            config.HttpClientFactory = _httpClientFactory;
        }

        return config;
    }

    // Puts of one key through this store run one at a time: S3-compatible stores that write an object's body and its metadata
    // separately (s3rver) could otherwise keep the body of one write with the ETag of another.
    private async Task<IDisposable> LockKeyAsync(string key, CancellationToken cancellationToken)
    {
        KeyLock keyLock;
        lock (_keyLocks)
        {
            if (!_keyLocks.TryGetValue(key, out keyLock!))
            {
                keyLock = new KeyLock(this, key);
                _keyLocks[key] = keyLock;
            }

            keyLock.Users++;
        }

        try
        {
            await keyLock.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            keyLock.Leave(acquired: false);
            throw;
        }

        return keyLock;
    }

    private sealed class KeyLock(S3ObjectStore owner, string key) : IDisposable
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }

        public void Dispose() => Leave(acquired: true);

        public void Leave(bool acquired)
        {
            if (acquired)
            {
                Semaphore.Release();
            }

            lock (owner._keyLocks)
            {
                if (--Users == 0)
                {
                    owner._keyLocks.Remove(key);
                    Semaphore.Dispose();
                }
            }
        }
    }

    private readonly record struct Chunk(byte[] Buffer, int Length)
    {
        public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);
    }

    private sealed record Clients(AmazonS3Client Main, AmazonS3Client Signer) : IDisposable
    {
        public void Dispose()
        {
            Main.Dispose();
            if (!ReferenceEquals(Signer, Main))
            {
                Signer.Dispose();
            }
        }
    }
}
