using System.Text;
using Amazon.S3.Model;
using Velero.Sdk.Providers.Aws;
using Velero.Sdk.Storage;
using Velero.Sdk.Tests.Storage;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>
/// The <see cref="ObjectStoreContractTests">ObjectStore contract</see> and the S3 store's own behaviour, on one S3 server
/// configuration (a subclass each). Every test gets a new, empty bucket.
/// </summary>
public abstract class S3ObjectStoreContractTests(S3Server server) : ObjectStoreContractTests, IAsyncLifetime
{
    private readonly ListLoggerFactory _logs = new();
    private S3ObjectStore _s3 = null!;

    protected S3Server Server => server;

    protected IReadOnlyList<string> Logs => _logs.Messages;

    public async Task InitializeAsync() => _s3 = await AwsTestServers.NewStoreAsync(server, o => o.PartSize = S3ObjectStoreOptions.MinimumPartSize, _logs);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    protected override ObjectStore CreateStore() => _s3;

    private S3ObjectStoreOptions WithPublicUrl(Uri publicUrl)
    {
        var config = AwsTestServers.Config(server);
        config["publicUrl"] = publicUrl.ToString();
        var options = S3ObjectStore.ParseConfig(config, _s3.Bucket);
        options.Credentials = AwsTestServers.Credentials(server);
        return options;
    }

    [Fact]
    public async Task Listings_page_through_many_keys()
    {
        using var store = await AwsTestServers.NewStoreAsync(server, o => o.ListPageSize = 2);
        var keys = Enumerable.Range(0, 7).SelectMany(i => new[] { $"backups/b{i}/velero-backup.json", $"backups/b{i}/b{i}.tar.gz" }).ToList();
        foreach (var key in keys)
        {
            await store.PutAsync(key, Content(key));
        }

        var listed = new List<string>();
        await foreach (var key in store.ListKeysAsync("backups/"))
        {
            listed.Add(key);
        }

        var prefixes = new List<string>();
        await foreach (var prefix in store.ListCommonPrefixesAsync("backups/", "/"))
        {
            prefixes.Add(prefix);
        }

        listed.ShouldBe(keys.Order(StringComparer.Ordinal));
        prefixes.ShouldBe(Enumerable.Range(0, 7).Select(i => $"backups/b{i}/"));
    }

    [Fact]
    public async Task A_stream_longer_than_a_part_goes_multipart_and_reads_back_equal()
    {
        var data = new byte[(S3ObjectStoreOptions.MinimumPartSize * 2) + 12345];
        new Random(42).NextBytes(data);

        await Store.PutAsync("backups/mp/mp.tar.gz", new MemoryStream(data));

        Logs.ShouldContain(m => m.Contains("[3102]", StringComparison.Ordinal) && m.Contains($"{data.Length} bytes in 3 part(s)", StringComparison.Ordinal));
        await using var read = await Store.GetAsync("backups/mp/mp.tar.gz");
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        copy.ToArray().ShouldBe(data);
        using var raw = AwsTestServers.RawS3(server);
        (await raw.GetObjectMetadataAsync(_s3.Bucket, "backups/mp/mp.tar.gz")).ContentLength.ShouldBe(data.Length);
    }

    [Fact]
    public async Task A_signed_url_lets_a_plain_http_client_download_the_object()
    {
        await Store.PutAsync("backups/b1/b1-logs.gz", Content("log lines"));

        var url = await Store.CreateSignedUrlAsync("backups/b1/b1-logs.gz", TimeSpan.FromMinutes(5));

        url.Query.ShouldContain("X-Amz-Signature=");
        url.Authority.ShouldBe(AwsTestServers.Endpoint(server).Authority);
        using var http = new HttpClient();
        (await http.GetStringAsync(url)).ShouldBe("log lines");
    }

    [Fact]
    public async Task Signed_urls_use_the_public_url_when_one_is_set()
    {
        var endpoint = AwsTestServers.Endpoint(server);
        var publicUrl = new UriBuilder(endpoint) { Host = "localhost" }.Uri;
        await Store.PutAsync("backups/b1/b1.tar.gz", Content("tarball"));
        using var store = new S3ObjectStore(WithPublicUrl(publicUrl));

        var url = await store.CreateSignedUrlAsync("backups/b1/b1.tar.gz", TimeSpan.FromMinutes(1));

        url.Host.ShouldBe("localhost");
        url.Port.ShouldBe(endpoint.Port);
        using var http = new HttpClient();
        (await http.GetStringAsync(url)).ShouldBe("tarball");
    }

    [Fact]
    public async Task Uploads_land_in_the_bucket_as_plain_objects()
    {
        await Store.PutAsync("backups/b1/velero-backup.json", Content("{\"kind\":\"Backup\"}"));

        using var raw = AwsTestServers.RawS3(server);
        using var response = await raw.GetObjectAsync(_s3.Bucket, "backups/b1/velero-backup.json");
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        (await reader.ReadToEndAsync()).ShouldBe("{\"kind\":\"Backup\"}", "the stored body is exactly what was sent, no aws-chunked framing");
    }

    [Fact]
    public async Task Operations_on_a_missing_bucket_fail_as_storage_failures_naming_the_bucket()
    {
        var options = S3ObjectStore.ParseConfig(AwsTestServers.Config(server), "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8]);
        options.Credentials = AwsTestServers.Credentials(server);
        using var store = new S3ObjectStore(options);

        var failure = await Should.ThrowAsync<VeleroException>(() => store.PutAsync("x", Content("x")));

        failure.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        failure.Message.ShouldContain(options.Bucket);
        failure.Message.ShouldContain("(404)");
    }
}

/// <summary>S3 on moto from Debian trixie, <c>checksumAlgorithm: ""</c>.</summary>
public sealed class S3OnMotoTrixieNoChecksumTests() : S3ObjectStoreContractTests(S3Server.MotoTrixieNoChecksum)
{
    [Fact]
    public async Task Tags_and_storage_class_are_set_on_every_upload()
    {
        using var store = await AwsTestServers.NewStoreAsync(Server, o =>
        {
            o.Tags = new Dictionary<string, string> { ["owner"] = "velero", ["env"] = "test" };
            o.StorageClass = "STANDARD_IA";
        });
        await store.PutAsync("small", Content("x"));
        await store.PutAsync("large", new PatternStream((S3ObjectStoreOptions.MinimumPartSize * 3) + 1));

        using var raw = AwsTestServers.RawS3(Server);
        foreach (var key in new[] { "small", "large" })
        {
            var tagging = await raw.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = store.Bucket, Key = key });
            tagging.Tagging.ToDictionary(t => t.Key, t => t.Value).ShouldBe(new Dictionary<string, string> { ["owner"] = "velero", ["env"] = "test" }, ignoreOrder: true);
            (await raw.GetObjectMetadataAsync(store.Bucket, key)).StorageClass.Value.ShouldBe("STANDARD_IA");
        }
    }

    [Fact]
    public async Task Server_side_encryption_is_requested_on_uploads()
    {
        using var store = await AwsTestServers.NewStoreAsync(Server, o => o.ServerSideEncryption = "AES256");
        await store.PutAsync("encrypted", Content("secret data"));

        using var raw = AwsTestServers.RawS3(Server);
        (await raw.GetObjectMetadataAsync(store.Bucket, "encrypted")).ServerSideEncryptionMethod.Value.ShouldBe("AES256");
        await using var read = await store.GetAsync("encrypted");
        (await new StreamReader(read).ReadToEndAsync()).ShouldBe("secret data");
    }

    [Fact]
    public async Task A_customer_key_file_is_sent_with_single_and_multipart_uploads_and_downloads()
    {
        using var folder = new TempFolder();
        var keyFile = folder.Combine("sse-c.key");
        File.WriteAllBytes(keyFile, [.. Enumerable.Range(100, 32).Select(i => (byte)i)]);
        var config = AwsTestServers.Config(Server);
        config["customerKeyEncryptionFile"] = keyFile;
        var bucket = await AwsTestServers.NewBucketAsync(Server);
        using var store = S3ObjectStore.Create(config, bucket, AwsTestServers.MotoCredentials);

        await store.PutAsync("sse-c", Content("customer encrypted"));
        await store.PutAsync("sse-c-large", new PatternStream((S3ObjectStoreOptions.MinimumPartSize * 4) + 3));

        (await store.ExistsAsync("sse-c")).ShouldBeTrue();
        await using (var read = await store.GetAsync("sse-c"))
        {
            (await new StreamReader(read).ReadToEndAsync()).ShouldBe("customer encrypted");
        }

        await using (var large = await store.GetAsync("sse-c-large"))
        {
            var total = 0L;
            var buffer = new byte[81920];
            int n;
            while ((n = await large.ReadAsync(buffer)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    if (buffer[i] != PatternStream.ByteAt(total + i))
                    {
                        Assert.Fail($"byte {total + i} differs");
                    }
                }

                total += n;
            }

            total.ShouldBe((S3ObjectStoreOptions.MinimumPartSize * 4) + 3);
        }
    }

    [Fact]
    public async Task A_kms_key_is_requested_and_the_upload_is_checked_by_its_length()
    {
        using var store = await AwsTestServers.NewStoreAsync(Server, o => o.KmsKeyId = "arn:aws:kms:us-east-1:123456789012:key/velero-test");
        await store.PutAsync("kms", Content("kms data"));

        using var raw = AwsTestServers.RawS3(Server);
        var head = await raw.GetObjectMetadataAsync(store.Bucket, "kms");
        head.ServerSideEncryptionMethod.Value.ShouldBe("aws:kms");
        head.ServerSideEncryptionKeyManagementServiceKeyId.ShouldEndWith("velero-test");
    }
}

/// <summary>S3 on moto from Debian sid, with the AWS SDK's default checksums (CRC32 trailers on aws-chunked bodies).</summary>
public sealed class S3OnMotoSidDefaultChecksumTests() : S3ObjectStoreContractTests(S3Server.MotoSidDefaultChecksum)
{
    [Fact]
    public async Task Uploads_carry_a_crc32_checksum_that_the_server_verified_and_stored()
    {
        await Store.PutAsync("checked", Content("checked content"));

        using var raw = AwsTestServers.RawS3(Server);
        var attributes = await raw.GetObjectAttributesAsync(new GetObjectAttributesRequest
        {
            BucketName = ((S3ObjectStore)Store).Bucket,
            Key = "checked",
            ObjectAttributes = [Amazon.S3.ObjectAttributes.Checksum],
        });
        attributes.Checksum.ChecksumCRC32.ShouldNotBeNullOrEmpty();
        ((S3ObjectStore)Store).ChecksumAlgorithm.ShouldBe("CRC32");
    }
}

/// <summary>s3rver, an S3-compatible store, with <c>checksumAlgorithm: ""</c>.</summary>
public sealed class S3OnS3rverNoChecksumTests() : S3ObjectStoreContractTests(S3Server.S3rverNoChecksum);
