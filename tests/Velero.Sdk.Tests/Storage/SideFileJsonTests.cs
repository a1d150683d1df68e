using System.IO.Compression;
using Velero.Sdk.Backup;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Tests.Storage;

public sealed class SideFileJsonTests
{
    // Text the JSON encoder escapes (quotes, backslash, HTML-sensitive and control characters) beside text it keeps as is.
    private static readonly string[] Awkward = ["a<b>&'c", "quote\"d", "back\\slash", "tab\tnew\nline\u0001", "émile", "\uFF21wide", "\U0001F600smile", "plain-name"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_resource_list_written_from_utf8_is_byte_for_byte_the_serializer_s_output(bool spill)
    {
        using var spillStream = new MemoryStream();
        var set = new ItemKeySet(recordEntries: true, spill ? spillStream : null);
        foreach (var name in Awkward.Concat(Enumerable.Range(0, 5_000).Select(i => $"cm-{i:D5}")))
        {
            set.Add(new ItemKey("v1/ConfigMap", "ns-a", name));
            set.Add(new ItemKey("v1/Namespace", string.Empty, name));
        }

        set.Remove(new ItemKey("v1/ConfigMap", "ns-a", "cm-00007"));
        var list = set.ResourceList();
        list["v1/ConfigMap"].ShouldBeAssignableTo<Velero.Sdk.Collections.IUtf8StringList>("the fast path is the one under test");

        // The same entries as plain strings, through JsonSerializer.
        var plain = new SortedDictionary<string, IReadOnlyList<string>>(list.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]), StringComparer.Ordinal);
        var expected = Gunzip(SideFileJson.ToGzip(plain));

        Gunzip(SideFileJson.ResourceListToGzipStream(list)).ShouldBe(expected);
        expected.ShouldContain("\"ns-a/quote\\u0022d\"");
        expected.ShouldNotContain("ns-a/cm-00007\"");
        expected.Length.ShouldBeGreaterThan(SideFileJson.FlushThreshold * 4, "long enough to flush the writer several times");
    }

    [Fact]
    public void Plain_lists_null_lists_and_an_empty_list_match_the_serializer_too()
    {
        var list = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["v1/Secret"] = Awkward,
            ["v1/Empty"] = [],
            ["v1/Null"] = null!,
        };

        Gunzip(SideFileJson.ResourceListToGzipStream(list)).ShouldBe(Gunzip(SideFileJson.ToGzip(list)));
        Gunzip(SideFileJson.ResourceListToGzipStream(new SortedDictionary<string, IReadOnlyList<string>>())).ShouldBe("{}\n");
    }

    [Fact]
    public void Given_a_temp_directory_the_list_is_compressed_into_a_private_file_there_that_leaves_nothing_behind()
    {
        using var folder = new TempFolder();
        var set = new ItemKeySet(recordEntries: true, new MemoryStream());
        for (int i = 0; i < 20_000; i++)
        {
            set.Add(new ItemKey("v1/ConfigMap", "ns-" + (i % 5), $"cm-{i:D5}"));
        }

        var list = set.ResourceList();
        var inMemory = SideFileJson.ResourceListToGzipStream(list);
        using var inFile = SideFileJson.ResourceListToGzipStream(list, tempDirectory: folder.Path);

        inFile.ShouldBeOfType<FileStream>();
        Directory.GetFiles(folder.Path).ShouldBeEmpty("the file is unlinked as soon as it is made");
        inFile.Position.ShouldBe(0);
        inFile.Length.ShouldBe(inMemory.Length);
        Gunzip(inFile).ShouldBe(Gunzip(inMemory));

        var missing = Path.Combine(folder.Path, "not-there");
        Should.Throw<DirectoryNotFoundException>(() => SideFileJson.ResourceListToGzipStream(list, tempDirectory: missing));
    }

    private static string Gunzip(Stream gz)
    {
        using var reader = new StreamReader(new GZipStream(gz, CompressionMode.Decompress, leaveOpen: true));
        return reader.ReadToEnd();
    }

    private static string Gunzip(byte[] gz)
    {
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress));
        return reader.ReadToEnd();
    }
}
