using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>BackupStorageLocation and VolumeSnapshotLocation config, read as velero-plugin-for-aws reads it (no server needed).</summary>
public sealed class S3ConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Every_plugin_key_is_read()
    {
        var options = S3ObjectStore.ParseConfig(new Dictionary<string, string>
        {
            ["region"] = "eu-central-1",
            ["s3Url"] = "https://minio.example.com:9000",
            ["publicUrl"] = "https://public.example.com",
            ["s3ForcePathStyle"] = "true",
            ["serverSideEncryption"] = "AES256",
            ["insecureSkipTLSVerify"] = "T",
            ["profile"] = "backup",
            ["credentialsFile"] = "/credentials/cloud",
            ["tagging"] = "team=platform&purpose=velero%20backups",
            ["checksumAlgorithm"] = "sha256",
            ["storageClass"] = "STANDARD_IA",
            ["bucket"] = "ignored",
            ["prefix"] = "ignored",
            ["signatureVersion"] = "4",
            ["enableSharedConfig"] = "true",
        }, "velero");

        options.Bucket.ShouldBe("velero");
        options.Region.ShouldBe("eu-central-1");
        options.ServiceUrl.ShouldBe(new Uri("https://minio.example.com:9000"));
        options.PublicUrl.ShouldBe(new Uri("https://public.example.com"));
        options.ForcePathStyle.ShouldBeTrue();
        options.ServerSideEncryption.ShouldBe("AES256");
        options.InsecureSkipTlsVerify.ShouldBeTrue();
        options.Profile.ShouldBe("backup");
        options.CredentialsFile.ShouldBe("/credentials/cloud");
        options.Tags.ShouldBe(new Dictionary<string, string> { ["team"] = "platform", ["purpose"] = "velero backups" }, ignoreOrder: true);
        options.ChecksumAlgorithm.ShouldBe("sha256");
        options.StorageClass.ShouldBe("STANDARD_IA");
    }

    [Fact]
    public void An_absent_checksumAlgorithm_means_CRC32_and_an_empty_one_means_none()
    {
        S3ObjectStore.ParseConfig(new Dictionary<string, string>(), "b").ChecksumAlgorithm.ShouldBe("CRC32");
        S3ObjectStore.ParseConfig(new Dictionary<string, string> { ["checksumAlgorithm"] = string.Empty }, "b").ChecksumAlgorithm.ShouldBe(string.Empty);
        using var store = S3ObjectStore.Create(new Dictionary<string, string> { ["checksumAlgorithm"] = string.Empty, ["region"] = "us-east-1" }, "b");
        store.ChecksumAlgorithm.ShouldBe(string.Empty);
    }

    [Theory]
    [InlineData("nope", "x", "S3 object store config has unsupported keys: nope")]
    [InlineData("s3Url", "ftp://host", "Invalid s3 url ftp://host, URL must be valid")]
    [InlineData("publicUrl", "not a url", "Invalid s3 url not a url")]
    [InlineData("s3ForcePathStyle", "yes", "could not parse s3ForcePathStyle (expected bool)")]
    [InlineData("insecureSkipTLSVerify", "2", "could not parse insecureSkipTLSVerify (expected bool)")]
    [InlineData("checksumAlgorithm", "MD5", "invalid checksum algorithm: MD5")]
    [InlineData("tagging", "novalue", "invalid tagging")]
    [InlineData("caCert", "not a certificate", "caCert")]
    [InlineData("customerKeyEncryptionSecret", "s/k", "customerKeyEncryptionSecret")]
    public void Bad_values_are_refused_naming_the_key(string key, string value, string message)
    {
        var failure = Should.Throw<VeleroException>(() => S3ObjectStore.Create(new Dictionary<string, string> { [key] = value, ["region"] = "us-east-1" }, "b"));

        failure.ErrorCode.ShouldBe(VeleroErrorCode.Invalid);
        failure.Message.ShouldContain(message);
    }

    [Fact]
    public void More_than_one_encryption_key_is_refused()
    {
        var keyFile = _folder.Combine("key");
        File.WriteAllBytes(keyFile, new byte[32]);

        Should.Throw<VeleroException>(() => S3ObjectStore.ParseConfig(new Dictionary<string, string> { ["kmsKeyId"] = "k", ["customerKeyEncryptionFile"] = keyFile }, "b"))
            .Message.ShouldBe("you can only use one of: kmsKeyId, customerKeyEncryptionFile, or customerKeyEncryptionSecret");
    }

    [Fact]
    public void A_customer_key_file_gives_its_first_32_bytes_and_a_shorter_one_is_refused()
    {
        var longFile = _folder.Combine("long");
        File.WriteAllBytes(longFile, [.. Enumerable.Range(0, 40).Select(i => (byte)i)]);
        var shortFile = _folder.Combine("short");
        File.WriteAllBytes(shortFile, new byte[31]);

        S3ObjectStore.ParseConfig(new Dictionary<string, string> { ["customerKeyEncryptionFile"] = longFile }, "b").CustomerKey!.Value.ToArray()
            .ShouldBe([.. Enumerable.Range(0, 32).Select(i => (byte)i)]);
        Should.Throw<VeleroException>(() => S3ObjectStore.ParseConfig(new Dictionary<string, string> { ["customerKeyEncryptionFile"] = shortFile }, "b"))
            .Message.ShouldBe($"contents of customerKeyEncryptionFile ({shortFile}) are not exactly 32 bytes");
    }

    [Fact]
    public void A_location_gives_its_bucket_and_ca_certificate_and_must_be_an_aws_one()
    {
        var location = new V1BackupStorageLocation
        {
            Spec = new V1BackupStorageLocationSpec
            {
                Provider = "velero.io/aws",
                Config = new Dictionary<string, string> { ["region"] = "us-west-2", ["checksumAlgorithm"] = string.Empty },
                ObjectStorage = new V1ObjectStorageLocation { Bucket = "backups", Prefix = "cluster-a" },
            },
        };

        using (var store = S3ObjectStore.Create(location))
        {
            store.Bucket.ShouldBe("backups");
            store.ChecksumAlgorithm.ShouldBe(string.Empty);
        }

        location.Spec.Provider = "azure";
        Should.Throw<VeleroException>(() => S3ObjectStore.Create(location)).Message.ShouldContain("not aws or velero.io/aws");
    }

    [Fact]
    public void A_missing_profile_is_an_error_that_names_the_profile_and_file_only()
    {
        var file = _folder.Combine("credentials");
        File.WriteAllText(file, "[other]\naws_access_key_id = AKIAOTHERPROFILEKEY1\naws_secret_access_key = other-profile-secret-value\n");

        var failure = Should.Throw<VeleroException>(() => S3ObjectStore.Create(new Dictionary<string, string> { ["region"] = "us-east-1", ["credentialsFile"] = file, ["profile"] = "backup" }, "b"));

        failure.Message.ShouldBe($"AWS profile \"backup\" not found in credentials file {file}");
    }

    [Fact]
    public void The_snapshotter_needs_a_region_and_knows_its_keys()
    {
        Should.Throw<VeleroException>(() => EbsVolumeSnapshotter.Create(new Dictionary<string, string>())).Message.ShouldBe("missing region in aws configuration");
        Should.Throw<VeleroException>(() => EbsVolumeSnapshotter.Create(new Dictionary<string, string> { ["region"] = "us-east-1", ["s3Url"] = "http://x" }))
            .Message.ShouldBe("EBS volume snapshotter config has unsupported keys: s3Url");
        using var snapshotter = EbsVolumeSnapshotter.Create(new V1VolumeSnapshotLocation
        {
            Spec = new V1VolumeSnapshotLocationSpec { Provider = "aws", Config = new Dictionary<string, string> { ["region"] = "us-east-1", ["ebsKmsKeyId"] = "k", ["enableSharedConfig"] = "true" } },
        });
        snapshotter.ShouldNotBeNull();
    }
}
