using System.Security.Cryptography;
using System.Text;
using Velero.Sdk.Archive;
using Velero.Sdk.Backup;
using Velero.Sdk.Model;
using Velero.Sdk.Providers.Aws;
using Velero.Sdk.Storage;
using Velero.Sdk.Tests.Backup;
using Velero.Sdk.Tests.Storage;

namespace Velero.Sdk.Tests.Providers.Aws;

/// <summary>
/// Backups written through the S3 store, configured from BackupStorageLocation config as a user writes it, and read back.
/// The restore half reads the archive back item by item and restores it into a new cluster.
/// </summary>
public sealed class S3BackupRoundTripTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _folder = new();
    private KubernetesApiServer _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ShopCluster.StartAsync();
        _cluster.Exec.Add("shop", "web-0", "app", null, new ExecResult("ok")); // the pod's backup hooks
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(S3Server.MotoTrixieNoChecksum)]
    [InlineData(S3Server.MotoSidDefaultChecksum)]
    [InlineData(S3Server.S3rverNoChecksum)]
    public async Task A_backup_through_S3_reads_back_as_uploaded_and_restores_into_a_new_cluster(S3Server server)
    {
        var bucket = await AwsTestServers.NewBucketAsync(server);
        using var s3 = S3ObjectStore.Create(AwsTestServers.Config(server), bucket, AwsTestServers.Credentials(server));
        var recording = new RecordingObjectStore(s3);
        var memory = new InMemoryObjectStore();
        var request = new BackupBuilder("shop-nightly").IncludeNamespaces("shop").Build();

        var viaS3 = await BackupAsync(recording, request);
        var viaMemory = await BackupAsync(memory, request);

        viaS3.Phase.ShouldBe(BackupPhase.Completed, string.Join("; ", viaS3.Errors.All()));
        viaS3.ItemsBackedUp.ShouldBe(viaMemory.ItemsBackedUp);
        var keys = await KeysAsync(s3, "cluster-a/");
        keys.ShouldBe(await KeysAsync(memory, "cluster-a/"));
        keys.ShouldContain("cluster-a/backups/shop-nightly/shop-nightly.tar.gz");
        keys.ShouldContain("cluster-a/backups/shop-nightly/velero-backup.json");
        foreach (var key in keys)
        {
            SHA256.HashData(await ReadAllAsync(s3, key)).ShouldBe(recording.Sent[key], $"{key} reads back as it was uploaded");
        }

        var store = new BackupStore(s3, "cluster-a");
        (await store.ListBackupsAsync()).ShouldBe(["shop-nightly"]);
        (await store.GetBackupAsync("shop-nightly")).Status!.Phase.ShouldBe(BackupPhase.Completed);
        await store.ValidateAsync();

        var fromS3 = TarballReader.Read(await ReadAllAsync(s3, "cluster-a/backups/shop-nightly/shop-nightly.tar.gz"));
        var fromMemory = TarballReader.Read(memory.GetBytes("cluster-a/backups/shop-nightly/shop-nightly.tar.gz")!);
        fromS3.Names.Order(StringComparer.Ordinal).ShouldBe(fromMemory.Names.Order(StringComparer.Ordinal));
        fromS3.Items.ShouldContain("pods/shop/web-0");
        fromS3.Items.ShouldContain("persistentvolumes/pv-data");

        await using var contents = await store.OpenBackupContentsAsync("shop-nightly");
        await using var reader = await BackupArchiveReader.OpenAsync(contents, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });
        reader.ItemCount.ShouldBe(fromS3.Items.Count);
        var pod = reader.FindItem("pods", "shop", "web-0").ShouldNotBeNull();
        Encoding.UTF8.GetString(await reader.ReadItemAsync(pod)).ShouldContain("\"futureTopLevelField\"");
        (await store.GetResourceListAsync("shop-nightly"))["v1/Pod"].ShouldBe(["shop/web-0"]);

        // The restore half: into a new, empty cluster, the shop namespace mapped, everything read from S3.
        await using (var target = await KubernetesApiServer.StartAsync())
        {
            using var restorer = new VeleroClientBuilder().UseKubernetes(target.CreateClientConfiguration()).UseObjectStore(s3, "cluster-a", "default").Build();
            var restored = await restorer.RestoreAsync(new Velero.Sdk.Restore.RestoreBuilder("shop-nightly", "shop-back")
                .MapNamespace("shop", "shop-restored").IncludeClusterResources(true).Build());
            restored.Phase.ShouldBe(RestorePhase.Completed, string.Join("; ", restored.Errors.All()));
            target.GetObject("v1", "Pod", "shop-restored", "web-0")!["futureTopLevelField"]!.ToJsonString().ShouldBe("""{"keep":[1,2.50,"x"]}""");
            target.GetObject("example.com/v1", "Widget", "shop-restored", "w1").ShouldNotBeNull();
            target.GetObject("v1", "Secret", "shop-restored", "creds")!["data"]!["p"]!.GetValue<string>().ShouldBe("cGFzcw==");
            (await KeysAsync(s3, "cluster-a/restores/shop-back/")).ShouldContain("cluster-a/restores/shop-back/restore-shop-back-results.gz");
        }

        (await VeleroFor(s3).DeleteBackupAsync("shop-nightly")).ShouldBeEmpty();
        (await KeysAsync(s3, "cluster-a/backups/")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(S3Server.MotoTrixieNoChecksum)]
    [InlineData(S3Server.MotoSidDefaultChecksum)]
    [InlineData(S3Server.S3rverNoChecksum)]
    public async Task A_50_MB_tarball_goes_multipart_and_reads_back_equal(S3Server server)
    {
        var tarball = _folder.Combine("big.tar.gz");
        var items = new List<(string Name, byte[] Json)>();
        await using (var writer = new BackupArchiveWriter(File.Create(tarball)))
        {
            var random = new Random(50);
            for (var i = 0; i < 20; i++)
            {
                var payload = new byte[1_300_000];
                random.NextBytes(payload);
                var json = Encoding.UTF8.GetBytes($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"blob-{i}\",\"namespace\":\"data\"}},\"binaryData\":{{\"b\":\"{Convert.ToBase64String(payload)}\"}}}}");
                items.Add(($"blob-{i}", json));
                await writer.WriteItemAsync("configmaps", "data", $"blob-{i}", "v1", true, json);
            }
        }

        var size = new FileInfo(tarball).Length;
        size.ShouldBeGreaterThan(50L * 1000 * 1000); // each item is written twice (its version and the preferred version)
        var parts = (int)((size + (16 * 1024 * 1024) - 1) / (16 * 1024 * 1024)); // the default part size is 16 MiB
        var logs = new ListLoggerFactory();
        var bucket = await AwsTestServers.NewBucketAsync(server);
        using var s3 = S3ObjectStore.Create(AwsTestServers.Config(server), bucket, AwsTestServers.Credentials(server), logs);
        var store = new BackupStore(s3, "cluster-a");

        await using (var contents = File.OpenRead(tarball))
        {
            await store.PutBackupAsync(new BackupUpload(BackupStoreTests.Backup("big"), contents));
        }

        logs.Messages.ShouldContain(m => m.Contains("[3102]", StringComparison.Ordinal) && m.Contains($"big.tar.gz to bucket {bucket}: {size} bytes in {parts} part(s)", StringComparison.Ordinal), string.Join('\n', logs.Messages));
        await using (var download = await store.OpenBackupContentsAsync("big"))
        {
            (await SHA256.HashDataAsync(download)).ShouldBe(SHA256.HashData(File.ReadAllBytes(tarball)));
        }

        await using var again = await store.OpenBackupContentsAsync("big");
        await using var reader = await BackupArchiveReader.OpenAsync(again, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });
        reader.ItemCount.ShouldBe(20);
        foreach (var (name, json) in items)
        {
            (await reader.ReadItemAsync(reader.FindItem("configmaps", "data", name)!)).ShouldBe(json);
        }
    }

    private static async Task<List<string>> KeysAsync(ObjectStore store, string prefix)
    {
        var keys = new List<string>();
        await foreach (var key in store.ListKeysAsync(prefix))
        {
            keys.Add(key);
        }

        return keys;
    }

    private static async Task<byte[]> ReadAllAsync(ObjectStore store, string key)
    {
        await using var stream = await store.GetAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private VeleroClient VeleroFor(ObjectStore store) =>
        new VeleroClientBuilder().UseKubernetes(_cluster.CreateClientConfiguration()).UseObjectStore(store, "cluster-a", "default").Build();

    private async Task<BackupResult> BackupAsync(ObjectStore store, BackupRequest request)
    {
        using var velero = VeleroFor(store);
        return await velero.BackupAsync(request);
    }

    /// <summary>Passes every call on to a store and keeps the SHA-256 of what each upload sent.</summary>
    private sealed class RecordingObjectStore(ObjectStore inner) : ForwardingObjectStore(inner)
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Sent { get; } = new();

        public override async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            Sent[key] = SHA256.HashData(copy.ToArray());
            copy.Position = 0;
            await Inner.PutAsync(key, copy, cancellationToken);
        }
    }
}
