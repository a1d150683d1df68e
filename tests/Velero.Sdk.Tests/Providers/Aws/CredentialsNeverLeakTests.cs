using System.Text;
using Amazon.Runtime;
using Velero.Sdk.Providers.Aws;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>Credentials never appear in log messages or in exceptions (messages, inner exceptions, stack texts).</summary>
public sealed class CredentialsNeverLeakTests : IDisposable
{
    private const string AccessKey = "AKIAVELEROLEAKCHECK7";
    private const string SecretKey = "leak/Check+Secret0123456789abcdefVELERO";
    private const string SessionToken = "FwoGZXIvYXdzEVELEROLEAKCHECKSESSIONTOKEN";

    private readonly TempFolder _folder = new();
    private readonly ListLoggerFactory _logs = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Rejected_credentials_on_s3rver_give_errors_and_logs_without_them()
    {
        var bucket = await AwsTestServers.NewBucketAsync(S3Server.S3rverNoChecksum);
        using var store = S3ObjectStore.Create(AwsTestServers.Config(S3Server.S3rverNoChecksum), bucket, new SessionAWSCredentials(AccessKey, SecretKey, SessionToken), _logs);

        var failures = new List<Exception>
        {
            await Should.ThrowAsync<VeleroException>(() => store.PutAsync("backups/b1/velero-backup.json", new MemoryStream(Encoding.UTF8.GetBytes("{}")))),
            await Should.ThrowAsync<VeleroException>(() => store.ExistsAsync("backups/b1/velero-backup.json")),
            await Should.ThrowAsync<VeleroException>(() => store.GetAsync("backups/b1/velero-backup.json")),
            await Should.ThrowAsync<VeleroException>(async () =>
            {
                await foreach (var key in store.ListKeysAsync("backups/"))
                {
                    key.ShouldBeNull();
                }
            }),
        };

        failures.ShouldAllBe(f => ((VeleroException)f).ErrorCode == VeleroErrorCode.StorageFailure);
        failures[0].Message.ShouldContain("InvalidAccessKeyId");
        ShouldNotLeak(failures);
    }

    [Fact]
    public async Task Credentials_from_a_profile_of_a_credentials_file_never_appear_either()
    {
        var file = _folder.Combine("cloud");
        File.WriteAllText(file, $"[default]\naws_access_key_id = AKIADEFAULTPROFILE01\naws_secret_access_key = default-secret\n[backup]\naws_access_key_id = {AccessKey}\naws_secret_access_key = {SecretKey}\n");
        var config = AwsTestServers.Config(S3Server.S3rverNoChecksum);
        config["credentialsFile"] = file;
        config["profile"] = "backup";
        var bucket = await AwsTestServers.NewBucketAsync(S3Server.S3rverNoChecksum);
        using var store = S3ObjectStore.Create(config, bucket, loggerFactory: _logs);

        var failure = await Should.ThrowAsync<VeleroException>(() => store.PutAsync("x", new MemoryStream([1, 2, 3])));

        failure.Message.ShouldContain("InvalidAccessKeyId", customMessage: "the profile's key was used, and rejected");
        ShouldNotLeak([failure]);
    }

    [Fact]
    public async Task A_whole_backup_workflow_on_moto_logs_nothing_secret()
    {
        var bucket = await AwsTestServers.NewBucketAsync(S3Server.MotoSidDefaultChecksum);
        var credentials = new SessionAWSCredentials(AccessKey, SecretKey, SessionToken);
        using var store = S3ObjectStore.Create(AwsTestServers.Config(S3Server.MotoSidDefaultChecksum), bucket, credentials, _logs);
        using var ebs = EbsVolumeSnapshotter.Create(new Dictionary<string, string> { ["region"] = AwsTestServers.Region, ["ec2Url"] = AwsTestServers.Ec2Endpoint.ToString() }, credentials, _logs);

        await store.PutAsync("a/b", new MemoryStream(new byte[(6 * 1024 * 1024) + 1]));
        await store.PutAsync("a/c", new MemoryStream([1]));
        await foreach (var key in store.ListKeysAsync("a/"))
        {
            (await store.ExistsAsync(key)).ShouldBeTrue();
        }

        await store.DeleteAsync("a/b");
        var failures = new List<Exception>
        {
            await Should.ThrowAsync<VeleroException>(() => store.GetAsync("a/b")),
            await Should.ThrowAsync<VeleroException>(() => ebs.GetVolumeInfoAsync("vol-00000000000000bad", AwsTestServers.Zone)),
            await Should.ThrowAsync<VeleroException>(() => ebs.CreateVolumeFromSnapshotAsync("snap-00000000000000bad", "gp3", AwsTestServers.Zone, null)),
        };
        await ebs.DeleteSnapshotAsync("snap-00000000000000bad");

        _logs.Messages.Count.ShouldBeGreaterThan(3);
        ShouldNotLeak(failures);
    }

    private void ShouldNotLeak(IEnumerable<Exception> failures)
    {
        var texts = failures.Select(f => f.ToString()).Append(_logs.All).ToList();
        foreach (var text in texts)
        {
            text.ShouldNotContain(AccessKey);
            text.ShouldNotContain(SecretKey);
            text.ShouldNotContain(SessionToken);
        }
    }
}
