using System.Text;
using Amazon.S3;
using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>s3rver over HTTPS with a certificate from a test CA: refused by default, trusted with <c>caCert</c> or <c>insecureSkipTLSVerify</c>.</summary>
public sealed class S3TlsTests
{
    [Fact]
    public async Task A_certificate_from_an_unknown_CA_is_refused()
    {
        using var store = S3ObjectStore.Create(await ConfigAsync(), await BucketAsync(), AwsTestServers.S3rverCredentials);

        var failure = await Should.ThrowAsync<VeleroException>(() => store.PutAsync("x", new MemoryStream([1])));

        failure.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        failure.Message.ShouldContain("SSL connection could not be established");
    }

    [Fact]
    public async Task The_CA_bundle_of_the_config_is_trusted()
    {
        var config = await ConfigAsync();
        config["caCert"] = AwsTestServers.S3rverTlsCaPem;
        using var store = S3ObjectStore.Create(config, await BucketAsync(), AwsTestServers.S3rverCredentials);

        await RoundTripAsync(store);
    }

    [Fact]
    public async Task The_CA_certificate_of_a_backup_storage_location_is_trusted()
    {
        var location = new V1BackupStorageLocation
        {
            Spec = new V1BackupStorageLocationSpec
            {
                Provider = "aws",
                Config = await ConfigAsync(),
                ObjectStorage = new V1ObjectStorageLocation { Bucket = await BucketAsync(), CaCert = Encoding.UTF8.GetBytes(AwsTestServers.S3rverTlsCaPem) },
            },
        };
        using var store = S3ObjectStore.Create(location, AwsTestServers.S3rverCredentials);

        await RoundTripAsync(store);
    }

    [Fact]
    public async Task Insecure_skip_verify_accepts_any_certificate()
    {
        var config = await ConfigAsync();
        config["insecureSkipTLSVerify"] = "true";
        using var store = S3ObjectStore.Create(config, await BucketAsync(), AwsTestServers.S3rverCredentials);

        await RoundTripAsync(store);
    }

    private static Task<Dictionary<string, string>> ConfigAsync() => Task.FromResult(new Dictionary<string, string>
    {
        ["region"] = AwsTestServers.Region,
        ["s3Url"] = AwsTestServers.S3rverTlsEndpoint.ToString(),
        ["s3ForcePathStyle"] = "true",
        ["checksumAlgorithm"] = string.Empty,
    });

    private static async Task<string> BucketAsync()
    {
        var bucket = "velero-tls-" + Guid.NewGuid().ToString("N")[..12];
        using var s3 = new AmazonS3Client(AwsTestServers.S3rverCredentials, new AmazonS3Config
        {
            ServiceURL = AwsTestServers.S3rverTlsEndpoint.ToString(),
            AuthenticationRegion = AwsTestServers.Region,
            ForcePathStyle = true,
            HttpClientFactory = new TrustingHttpClientFactory(),
        });
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    private static async Task RoundTripAsync(S3ObjectStore store)
    {
        await store.PutAsync("backups/b1/velero-backup.json", new MemoryStream(Encoding.UTF8.GetBytes("{\"tls\":true}")));
        await using var read = await store.GetAsync("backups/b1/velero-backup.json");
        (await new StreamReader(read).ReadToEndAsync()).ShouldBe("{\"tls\":true}");
    }

    /// <summary>For creating the test bucket only: trusts the test CA's certificate.</summary>
    private sealed class TrustingHttpClientFactory : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) =>
            new(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
    }
}
