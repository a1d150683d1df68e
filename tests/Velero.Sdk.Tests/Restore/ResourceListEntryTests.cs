using Velero.Sdk.Restore;

namespace Velero.Sdk.Tests.Restore;

public sealed class ResourceListEntryTests
{
    [Theory]
    [InlineData(4096)] // all in memory
    [InlineData(7)] // spilled in runs of 7, the last 0-6 in memory
    [InlineData(1)]
    public void The_restore_resource_list_is_grouped_by_type_and_sorted_by_its_entry_text(int recordsInMemory)
    {
        var random = new Random(3);
        var actions = Enum.GetValues<RestoredItemAction>();
        string[] namespaces = ["web", "web-2", "we", "ß", "\U0001F600"];
        var items = new List<RestoredItem>();
        for (int i = 0; i < 2_000; i++)
        {
            var ns = namespaces[random.Next(namespaces.Length)];
            var name = "n" + random.Next(0, 400) + (random.Next(4) == 0 ? "-x" : string.Empty);
            items.Add(new RestoredItem("v1", "ConfigMap", ns, name, actions[random.Next(actions.Length)]));
        }

        items.Add(new RestoredItem("v1", "Namespace", null, "web", RestoredItemAction.Created));
        items.Add(new RestoredItem("v1", "Namespace", null, "we", RestoredItemAction.Skipped));
        items.Add(new RestoredItem("apps/v1", "Deployment", "web", "api", RestoredItemAction.Failed));

        using var folder = new TempFolder();
        var log = new RestoredItemLog(tempDirectory: folder.Path, recordsInMemory: recordsInMemory);
        foreach (var item in items)
        {
            log.Add(item.ApiVersion, item.Kind, item.Namespace, item.Name, item.Action);
        }

        log.SpilledRecords.ShouldBe(recordsInMemory >= items.Count ? 0 : (items.Count - 1) / recordsInMemory * recordsInMemory);
        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty("the spill file is unlinked at once");
        log.Count.ShouldBe(items.Count);
        log.ShouldBe(items);
        Enumerable.Range(0, items.Count).Select(i => log[i]).ShouldBe(items, "read by index, from the file and from memory");
        foreach (var action in actions)
        {
            log.CountOf(action).ShouldBe(items.Count(i => i.Action == action));
        }
        var list = log.ResourceList();

        list.Keys.Order(StringComparer.Ordinal).ShouldBe(["apps/v1/Deployment", "v1/ConfigMap", "v1/Namespace"]);
        var expected = items.Where(i => i.Kind == "ConfigMap")
            .Select(i => $"{i.Namespace}/{i.Name}({i.Action.ToString().ToLowerInvariant()})")
            .Order(StringComparer.Ordinal)
            .ToList();
        list["v1/ConfigMap"].ToList().ShouldBe(expected);
        Enumerable.Range(0, expected.Count).Select(i => list["v1/ConfigMap"][i]).ShouldBe(expected);
        list["v1/Namespace"].ShouldBe(["we(skipped)", "web(created)"]);
        list["apps/v1/Deployment"].ShouldBe(["web/api(failed)"]);

        // Written from UTF-8 (no string per entry), the side file is byte for byte what the serializer writes from the strings.
        list["v1/ConfigMap"].ShouldBeAssignableTo<Velero.Sdk.Collections.IUtf8StringList>();
        var sorted = new SortedDictionary<string, IReadOnlyList<string>>(list, StringComparer.Ordinal);
        var strings = new SortedDictionary<string, IReadOnlyList<string>>(list.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]), StringComparer.Ordinal);
        Gunzip(((Velero.Sdk.Collections.ChunkedBufferStream)Velero.Sdk.Storage.SideFileJson.ResourceListToGzipStream(sorted)).ToArray()).ShouldBe(Gunzip(Velero.Sdk.Storage.SideFileJson.ToGzip(strings)));
    }

    [Theory]
    [InlineData(1)] // a run per record
    [InlineData(7)] // runs of 7, the last one short
    [InlineData(500)]
    [InlineData(100_000)] // one run, sorted in memory
    public void A_type_with_more_records_than_a_run_is_written_sorted_in_runs_and_merged_to_the_same_list(int runLength)
    {
        var random = new Random(5);
        var actions = Enum.GetValues<RestoredItemAction>();
        string[] namespaces = ["web", "web-2", "we", "a-b", "a", "ß", "\U0001F600"]; // "a/..." after "a-b/..." in the text
        var items = new List<RestoredItem>();
        for (int i = 0; i < 3_000; i++)
        {
            var ns = namespaces[random.Next(namespaces.Length)];
            items.Add(new RestoredItem("v1", "ConfigMap", ns, "n" + random.Next(0, 900) + (i % 11 == 0 ? "é" : string.Empty), actions[random.Next(actions.Length)]));
            if (i % 5 == 0)
            {
                items.Add(new RestoredItem("v1", "Secret", "web", "s" + i, RestoredItemAction.Created)); // interleaved with another type
            }
        }

        using var folder = new TempFolder();
        var log = new RestoredItemLog(tempDirectory: folder.Path, recordsInMemory: 64) { SortRunLength = runLength };
        foreach (var item in items)
        {
            log.Add(item.ApiVersion, item.Kind, item.Namespace, item.Name, item.Action);
        }

        var expected = items.Where(i => i.Kind == "ConfigMap")
            .Select(i => $"{i.Namespace}/{i.Name}({i.Action.ToString().ToLowerInvariant()})")
            .Order(StringComparer.Ordinal)
            .ToList();
        var configMaps = log.ResourceList()["v1/ConfigMap"];
        log.Add("v1", "ConfigMap", "web", "added-after-the-list-was-taken", RestoredItemAction.Created); // in the next list only
        Utf8ListJson.Written(configMaps).ShouldBe(expected);
        log.LastSortRuns.ShouldBe(runLength >= expected.Count ? 1 : (int)Math.Ceiling(expected.Count / (double)runLength));
        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty("the runs' scratch file is unlinked at once and closed");
        configMaps.ToList().ShouldBe(expected, "read as strings, the same list");
    }

    [Fact]
    public void When_the_spill_file_cannot_be_made_the_records_stay_in_memory_and_nothing_is_lost()
    {
        using var folder = new TempFolder();
        var missing = System.IO.Path.Combine(folder.Path, "no-such-folder");
        var log = new RestoredItemLog(tempDirectory: missing, recordsInMemory: 3);
        for (int i = 0; i < 50; i++)
        {
            log.Add("v1", "Secret", "ns", $"s-{i:D2}", RestoredItemAction.Created);
        }

        log.SpilledRecords.ShouldBe(0);
        log.Select(i => i.Name).ShouldBe(Enumerable.Range(0, 50).Select(i => $"s-{i:D2}"));
        log.ResourceList()["v1/Secret"].ShouldBe(Enumerable.Range(0, 50).Select(i => $"ns/s-{i:D2}(created)"));
    }

    [Fact]
    public void A_handled_item_takes_16_bytes_and_an_indexed_item_20()
    {
        // Hundreds of thousands of each are held while a restore runs.
        RestoredItemLog.EntryBytes.ShouldBe(16);
        Velero.Sdk.Archive.ItemSet.RecordBytes.ShouldBe(20);
    }

    private static string Gunzip(byte[] gz)
    {
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(new MemoryStream(gz), System.IO.Compression.CompressionMode.Decompress));
        return reader.ReadToEnd();
    }

    [Fact]
    public void The_names_of_spilled_items_leave_memory_with_their_records()
    {
        using var folder = new TempFolder();
        var log = new RestoredItemLog(tempDirectory: folder.Path, recordsInMemory: 4);
        var names = Enumerable.Range(0, 1_000).Select(i => $"item-{i:D4}-" + new string((char)('a' + (i % 26)), 50) + (i % 7 == 0 ? "-é" : string.Empty)).ToList();
        foreach (var name in names)
        {
            log.Add("v1", "ConfigMap", "ns", name, RestoredItemAction.Created);
        }

        log.SpilledRecords.ShouldBe(996);
        log.NameBytesInMemory.ShouldBeLessThanOrEqualTo(1024, "only the names of the last few items are held (about 60 KB were added)");
        Directory.EnumerateFileSystemEntries(folder.Path).ShouldBeEmpty("both spill files are unlinked at once");
        log.Select(i => i.Name).ShouldBe(names);
        log[0].Name.ShouldBe(names[0]);
        log[998].Name.ShouldBe(names[998]);
        log.ResourceList()["v1/ConfigMap"].ShouldBe(names.Select(n => $"ns/{n}(created)").Order(StringComparer.Ordinal));
    }
}
