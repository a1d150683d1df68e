using System.Text;
using Microsoft.Extensions.Time.Testing;
using Velero.Sdk.Archive;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

/// <summary>The pieces together: the writer's tarball uploaded by <see cref="BackupStore"/> to a folder, listed as Velero lists it, and read back by a restore's reader.</summary>
public sealed class BackupRoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_written_backup_is_uploaded_found_and_restored_item_by_item()
    {
        var tarball = _folder.Combine("b1.tar.gz");
        var items = Enumerable.Range(0, 500).Select(i => (Ns: $"ns-{i % 5}", Name: $"cm-{i}", Json: $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"cm-{i}\"}}}}")).ToList();
        await using (var writer = new BackupArchiveWriter(File.Create(tarball), new BackupArchiveWriterOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(54)) }))
        {
            await writer.WriteItemAsync("namespaces", null, "ns-0", "v1", true, Encoding.UTF8.GetBytes("{\"kind\":\"Namespace\"}"));
            foreach (var (ns, name, json) in items)
            {
                await writer.WriteItemAsync("configmaps", ns, name, "v1", true, Encoding.UTF8.GetBytes(json));
            }
        }

        var store = new BackupStore(new FileSystemObjectStore(_folder.Combine("bucket")), "cluster-a");
        await using (var contents = File.OpenRead(tarball))
        {
            await store.PutBackupAsync(new BackupUpload(BackupStoreTests.Backup("b1"), contents));
        }

        (await store.ListBackupsAsync()).ShouldBe(["b1"]);
        (await store.GetBackupAsync("b1")).Status!.FormatVersion.ShouldBe(VeleroConstants.BackupFormatVersion);
        await store.ValidateAsync();

        await using var download = await store.OpenBackupContentsAsync("b1");
        await using var reader = await BackupArchiveReader.OpenAsync(download, new BackupArchiveReaderOptions { TempDirectory = _folder.Path });

        reader.FormatVersion.ShouldBe("1.1.0");
        reader.ItemCount.ShouldBe(501);
        reader.GroupResources.ShouldBe(["configmaps", "namespaces"]);
        reader.Warnings.ShouldBeEmpty();
        foreach (var (ns, name, json) in items)
        {
            Encoding.UTF8.GetString(await reader.ReadItemAsync(reader.FindItem("configmaps", ns, name)!)).ShouldBe(json);
        }
    }
}
