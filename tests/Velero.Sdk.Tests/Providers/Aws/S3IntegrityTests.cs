using System.Text;
using Velero.Sdk.Providers.Aws;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>
/// The AWS SDK's default checksum path (aws-chunked bodies with CRC32 trailers) against servers that store such bodies verbatim:
/// s3rver and trixie's moto. The store must notice, keep nothing, and say which setting to change.
/// </summary>
public sealed class S3IntegrityTests
{
    [Theory]
    [InlineData(S3Server.S3rverNoChecksum)]
    [InlineData(S3Server.MotoTrixieNoChecksum)]
    public async Task A_body_the_server_stored_damaged_is_an_error_naming_checksumAlgorithm_and_is_not_kept(S3Server server)
    {
        using var store = await AwsTestServers.NewStoreAsync(server, o => o.ChecksumAlgorithm = "CRC32");
        store.ChecksumAlgorithm.ShouldBe("CRC32");

        var failure = await Should.ThrowAsync<VeleroException>(() => store.PutAsync("backups/b1/velero-backup.json", new MemoryStream(Encoding.UTF8.GetBytes("{\"kind\":\"Backup\"}"))));

        failure.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        failure.Message.ShouldContain("backups/b1/velero-backup.json");
        failure.Message.ShouldContain("set checksumAlgorithm to \"\"");
        (await store.ExistsAsync("backups/b1/velero-backup.json")).ShouldBeFalse("a damaged object is deleted");
    }

    [Theory]
    [InlineData(S3Server.S3rverNoChecksum)]
    [InlineData(S3Server.MotoTrixieNoChecksum)]
    public async Task A_damaged_part_of_a_multipart_upload_is_an_error_and_the_upload_is_aborted(S3Server server)
    {
        using var store = await AwsTestServers.NewStoreAsync(server, o =>
        {
            o.ChecksumAlgorithm = "CRC32";
            o.PartSize = S3ObjectStoreOptions.MinimumPartSize;
        });
        var data = new byte[(S3ObjectStoreOptions.MinimumPartSize * 2) + 1];
        new Random(7).NextBytes(data);

        var failure = await Should.ThrowAsync<VeleroException>(() => store.PutAsync("backups/b1/b1.tar.gz", new MemoryStream(data)));

        failure.Message.ShouldContain("part ");
        failure.Message.ShouldContain("set checksumAlgorithm to \"\"");
        (await store.ExistsAsync("backups/b1/b1.tar.gz")).ShouldBeFalse();
        if (server != S3Server.S3rverNoChecksum)
        {
            // s3rver does not implement ListMultipartUploads.
            using var raw = AwsTestServers.RawS3(server);
            var uploads = await raw.ListMultipartUploadsAsync(store.Bucket);
            (uploads.MultipartUploads ?? []).ShouldBeEmpty("the failed upload was aborted");
        }
    }

    [Fact]
    public async Task The_same_default_settings_work_where_the_server_decodes_the_trailers()
    {
        using var store = await AwsTestServers.NewStoreAsync(S3Server.MotoSidDefaultChecksum);
        store.ChecksumAlgorithm.ShouldBe("CRC32");

        await store.PutAsync("backups/b1/velero-backup.json", new MemoryStream(Encoding.UTF8.GetBytes("{\"kind\":\"Backup\"}")));

        await using var read = await store.GetAsync("backups/b1/velero-backup.json");
        (await new StreamReader(read).ReadToEndAsync()).ShouldBe("{\"kind\":\"Backup\"}");
    }
}
