using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Restore;

/// <summary>Small archives written with System.Formats.Tar (not our writer): config maps in namespace <c>ns</c>.</summary>
internal static class TestArchives
{
    public static async Task<BackupArchiveReader> ConfigMapsAsync(TempFolder folder, params (string Name, string Json)[] items)
    {
        var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "metadata/version") { DataStream = new MemoryStream("1.1.0\n"u8.ToArray()) });
            foreach (var (name, json) in items)
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, $"resources/configmaps/namespaces/ns/{name}.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(json)) });
            }
        }

        buffer.Position = 0;
        return await BackupArchiveReader.OpenAsync(buffer, new BackupArchiveReaderOptions { TempDirectory = folder.Path });
    }
}
