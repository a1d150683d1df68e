using Velero.Sdk.Backup;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Backup;

public sealed class ItemKeySetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_resource_list_holds_every_key_left_sorted_ordinally_per_type_and_reads_alike_by_index_and_enumeration(bool spill)
    {
        using var spillStream = new MemoryStream();
        var set = new ItemKeySet(recordEntries: true, spill ? spillStream : null);
        var names = Enumerable.Range(0, 3_000).Select(i => $"item-{(i * 7919) % 3000:D4}").ToList();
        names.AddRange(["Zed", "zed", "émile", "\uFF21wide", "\U0001F600smile"]); // case, non-ASCII and a surrogate pair
        foreach (var name in names)
        {
            set.Add(new ItemKey("v1/ConfigMap", "ns-b", name)).ShouldBeTrue();
            set.Add(new ItemKey("v1/ConfigMap", "ns-a", name)).ShouldBeTrue();
        }

        set.Add(new ItemKey("v1/Namespace", string.Empty, "ns-b")).ShouldBeTrue();
        set.Add(new ItemKey("v1/Namespace", string.Empty, "ns-a")).ShouldBeTrue();
        set.Add(new ItemKey("v1/ConfigMap", "ns-a", "item-0001")).ShouldBeFalse(); // already there
        set.Remove(new ItemKey("v1/ConfigMap", "ns-b", "item-0002")).ShouldBeTrue();
        set.Contains(new ItemKey("v1/ConfigMap", "ns-b", "item-0002")).ShouldBeFalse();
        set.Contains(new ItemKey("v1/ConfigMap", "ns-a", "item-0002")).ShouldBeTrue();

        if (spill)
        {
            spillStream.Length.ShouldBeGreaterThan(6_000 * 10, "the entries wait in the spill, not in memory");
        }

        var expected = names.Select(n => "ns-a/" + n).Concat(names.Where(n => n != "item-0002").Select(n => "ns-b/" + n)).Order(StringComparer.Ordinal).ToList();
        var list = set.ResourceList();
        list.Keys.ShouldBe(["v1/ConfigMap", "v1/Namespace"]);
        var configMaps = list["v1/ConfigMap"];
        configMaps.ToList().ShouldBe(expected);
        Enumerable.Range(0, configMaps.Count).Select(i => configMaps[i]).ShouldBe(expected);
        list["v1/Namespace"].ShouldBe(["ns-a", "ns-b"]);
        set.Count.ShouldBe(expected.Count + 2);

        // Keys added after a resource list was taken are in the next one.
        set.Add(new ItemKey("v1/Secret", "ns-a", "late")).ShouldBeTrue();
        set.Remove(new ItemKey("v1/ConfigMap", "ns-a", "Zed")).ShouldBeTrue();
        var again = set.ResourceList();
        again["v1/Secret"].ShouldBe(["ns-a/late"]);
        again["v1/ConfigMap"].ShouldBe(expected.Where(e => e != "ns-a/Zed"));
        list["v1/ConfigMap"].ShouldBe(expected, "a list taken earlier keeps what the set held then");
        list.ContainsKey("v1/Secret").ShouldBeFalse();
    }

    [Fact]
    public void Other_marks_share_the_key_s_entry_but_are_not_members_and_outlive_its_removal()
    {
        using var spill = new MemoryStream();
        var set = new ItemKeySet(recordEntries: true, spill);
        var claimed = new ItemKey("v1/Pod", "shop", "web-0");
        var member = new ItemKey("v1/ConfigMap", "shop", "cfg");

        set.Mark(claimed, ItemKeySet.Claimed).ShouldBeTrue();
        set.Mark(claimed, ItemKeySet.Claimed).ShouldBeFalse();
        set.Has(claimed, ItemKeySet.Claimed).ShouldBeTrue();
        set.Contains(claimed).ShouldBeFalse();
        set.Count.ShouldBe(0);
        set.ResourceList().ShouldBeEmpty();

        set.Add(claimed).ShouldBeTrue("a claimed key is not yet a member");
        set.Add(member).ShouldBeTrue();
        set.Mark(member, ItemKeySet.Written).ShouldBeTrue();
        set.Has(member, ItemKeySet.Claimed).ShouldBeFalse();
        set.Count.ShouldBe(2);

        set.Remove(member).ShouldBeTrue();
        set.Has(member, ItemKeySet.Written).ShouldBeTrue("removal takes only membership");
        set.Contains(member).ShouldBeFalse();
        set.Count.ShouldBe(1);
        set.ResourceList().Keys.ShouldBe(["v1/Pod"]);
        set.Has(new ItemKey("v1/Pod", "shop", "web-1"), ItemKeySet.Claimed | ItemKeySet.Member).ShouldBeFalse();
    }

    [Theory]
    [InlineData(1)] // a run per entry
    [InlineData(7)] // runs of 7, the last one short
    [InlineData(100)]
    [InlineData(100_000)] // one run, sorted in memory
    public void A_type_with_more_entries_than_a_run_is_sorted_in_runs_and_merged_to_the_same_list(int runLength)
    {
        using var spill = new MemoryStream();
        var set = new ItemKeySet(recordEntries: true, spill) { SortRunLength = runLength };
        var names = Enumerable.Range(0, 2_000).Select(i => $"item-{(i * 7919) % 2000:D4}").ToList();
        names.AddRange(["Zed", "zed", "émile", "\uFF21wide", "\U0001F600smile"]); // UTF-16 order, not UTF-8 byte order, for the last two
        foreach (var name in names)
        {
            set.Add(new ItemKey("v1/Secret", "ns", name)).ShouldBeTrue();
            set.Add(new ItemKey("v1/Other", "ns", name)).ShouldBeTrue(); // interleaved with another type
        }

        // Removed once, removed and added again, removed twice (added, removed, added, removed).
        set.Remove(new ItemKey("v1/Secret", "ns", "item-0003")).ShouldBeTrue();
        set.Remove(new ItemKey("v1/Secret", "ns", "item-0004")).ShouldBeTrue();
        set.Add(new ItemKey("v1/Secret", "ns", "item-0004")).ShouldBeTrue();
        set.Remove(new ItemKey("v1/Secret", "ns", "item-0005")).ShouldBeTrue();
        set.Add(new ItemKey("v1/Secret", "ns", "item-0005")).ShouldBeTrue();
        set.Remove(new ItemKey("v1/Secret", "ns", "item-0005")).ShouldBeTrue();
        long spilled = spill.Length;

        var expected = names.Where(n => n is not "item-0003" and not "item-0005").Select(n => "ns/" + n).Order(StringComparer.Ordinal).ToList();
        var secrets = set.ResourceList()["v1/Secret"];
        secrets.Count.ShouldBe(expected.Count);

        Utf8ListJson.Written(secrets).ShouldBe(expected);
        set.LastSortRuns.ShouldBe(Math.Max(1, (int)Math.Ceiling((names.Count + 2) / (double)runLength)));
        secrets.ShouldBe(expected);
        spill.Length.ShouldBe(spilled, "the runs written after the spill's end are cut off again");
        spill.Position.ShouldBe(spilled, "appending goes on at the end");

        set.Add(new ItemKey("v1/Secret", "ns", "after")).ShouldBeTrue();
        set.ResourceList()["v1/Secret"].ShouldBe(expected.Append("ns/after").Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_key_added_and_removed_twice_is_not_in_the_resource_list(bool spill)
    {
        using var spillStream = new MemoryStream();
        var set = new ItemKeySet(recordEntries: true, spill ? spillStream : null);
        var key = new ItemKey("v1/Pod", "ns", "twice");
        for (int i = 0; i < 2; i++)
        {
            set.Add(key).ShouldBeTrue();
            set.Remove(key).ShouldBeTrue();
        }

        set.Add(new ItemKey("v1/Pod", "ns", "kept")).ShouldBeTrue();
        set.Contains(key).ShouldBeFalse();
        set.ResourceList()["v1/Pod"].ShouldBe(["ns/kept"]);
    }

    [Theory]
    [InlineData(16)] // one key in memory a stripe: every key goes to the file as soon as it comes
    [InlineData(512)]
    public void With_a_key_file_every_answer_is_the_in_memory_set_s_and_memory_holds_at_most_the_latest_keys(int memoryKeys)
    {
        using var folder = new TempFolder();
        using var file = new KeyBucketFile(UnlinkedFile.Create(folder.Combine("keys"), bufferSize: 0), "the test's item table");
        var spilled = new ItemKeySet(recordEntries: true, new MemoryStream(), file, memoryKeys);
        var model = new ItemKeySet(recordEntries: true, new MemoryStream());
        var random = new Random(11);
        var keys = Enumerable.Range(0, 4_000).Select(i => new ItemKey(i % 3 == 0 ? "v1/Pod" : "v1/ConfigMap", "ns-" + (i % 7), "item-" + i)).ToList();
        byte[] marks = [ItemKeySet.Member, ItemKeySet.Claimed, ItemKeySet.Written];
        int maxInMemory = 0;
        for (int step = 0; step < 40_000; step++)
        {
            var key = keys[random.Next(keys.Count)];
            var mark = marks[random.Next(marks.Length)];
            switch (random.Next(5))
            {
                case 0:
                    spilled.Add(key).ShouldBe(model.Add(key), $"step {step}: add {key}");
                    break;
                case 1:
                    spilled.Remove(key).ShouldBe(model.Remove(key), $"step {step}: remove {key}");
                    break;
                case 2:
                    spilled.Mark(key, mark).ShouldBe(model.Mark(key, mark), $"step {step}: mark {key} with {mark}");
                    break;
                case 3:
                    spilled.Has(key, mark).ShouldBe(model.Has(key, mark), $"step {step}: has {key} {mark}");
                    break;
                default:
                    spilled.Contains(key).ShouldBe(model.Contains(key), $"step {step}: contains {key}");
                    break;
            }

            maxInMemory = Math.Max(maxInMemory, spilled.KeysInMemory);
        }

        maxInMemory.ShouldBeLessThan(memoryKeys);
        spilled.KeyFileBuckets.ShouldBeGreaterThanOrEqualTo(16, "each stripe has its buckets in the file");
        spilled.Count.ShouldBe(model.Count);
        foreach (var key in keys)
        {
            foreach (var mark in marks)
            {
                spilled.Has(key, mark).ShouldBe(model.Has(key, mark), $"{key} {mark}");
            }
        }

        var lists = spilled.ResourceList();
        var expected = model.ResourceList();
        lists.Keys.ShouldBe(expected.Keys);
        foreach (var (kind, entries) in expected)
        {
            string.Join(",", lists[kind]).ShouldBe(string.Join(",", entries), kind);
        }
    }

    [Fact]
    public void With_a_key_file_a_key_added_from_several_threads_at_once_is_added_once()
    {
        using var folder = new TempFolder();
        using var file = new KeyBucketFile(UnlinkedFile.Create(folder.Combine("keys"), bufferSize: 0), "the test's item table");
        var set = new ItemKeySet(keyFile: file, memoryKeys: 64);
        var keys = Enumerable.Range(0, 20_000).Select(i => new ItemKey("v1/Secret", "ns", "s-" + i)).ToArray();
        int added = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, worker =>
        {
            // Each worker in its own order.
            foreach (var key in keys.OrderBy(k => HashCode.Combine(k.Name, worker)))
            {
                if (set.Add(key))
                {
                    Interlocked.Increment(ref added);
                }
            }
        });

        added.ShouldBe(keys.Length);
        set.Count.ShouldBe(keys.Length);
        keys.ShouldAllBe(k => set.Contains(k));
        set.KeysInMemory.ShouldBeLessThan(64);
        set.KeyFileBuckets.ShouldBeGreaterThan(16);
    }
}
