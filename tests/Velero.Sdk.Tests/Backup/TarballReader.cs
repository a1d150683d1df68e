using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Tests.Backup;

/// <summary>Reads a backup tarball with the BCL's tar reader, independent of the library's own reader.</summary>
internal sealed class TarballReader
{
    private TarballReader(List<(string Name, TarEntryType Type, UnixFileMode Mode, byte[] Data)> entries) => Entries = entries;

    public List<(string Name, TarEntryType Type, UnixFileMode Mode, byte[] Data)> Entries { get; }

    public IEnumerable<string> Names => Entries.Select(e => e.Name);

    /// <summary>The item paths without the version directories, as a sorted set of <c>resource/ns/name</c>.</summary>
    public SortedSet<string> Items => new(
        Entries.Where(e => e.Name.StartsWith("resources/", StringComparison.Ordinal) && !e.Name.Contains("-preferredversion/", StringComparison.Ordinal))
            .Select(e => ItemId(e.Name)),
        StringComparer.Ordinal);

    public static TarballReader Read(byte[] tarGz)
    {
        var entries = new List<(string, TarEntryType, UnixFileMode, byte[])>();
        using var gz = new GZipStream(new MemoryStream(tarGz), CompressionMode.Decompress);
        using var reader = new TarReader(gz);
        while (reader.GetNextEntry() is { } entry)
        {
            var data = Array.Empty<byte>();
            if (entry.DataStream is { } s)
            {
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                data = ms.ToArray();
            }

            entries.Add((entry.Name, entry.EntryType, entry.Mode, data));
        }

        return new TarballReader(entries);
    }

    public JsonObject Object(string path) => JsonNode.Parse(Entries.Single(e => e.Name == path).Data)!.AsObject();

    // resources/<gr>/namespaces/<ns>/<name>.json -> <gr>/<ns>/<name>; resources/<gr>/cluster/<name>.json -> <gr>/<name>
    private static string ItemId(string path)
    {
        var parts = path.Split('/');
        var name = parts[^1][..^".json".Length];
        return parts[2] == "namespaces" ? $"{parts[1]}/{parts[3]}/{name}" : $"{parts[1]}/{name}";
    }
}
