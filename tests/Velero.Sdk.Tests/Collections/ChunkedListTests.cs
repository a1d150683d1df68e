using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class ChunkedListTests
{
    private readonly record struct Triple(long A, long B, long C);

    [Fact]
    public void Values_are_found_by_index_across_growing_and_full_chunks()
    {
        var list = new ChunkedList<Triple>();
        for (int i = 0; i < 20_000; i++)
        {
            list.Add(new Triple(i, -i, i * 3L));
            list.Count.ShouldBe(i + 1);
        }

        for (int i = 0; i < 20_000; i++)
        {
            list[i].ShouldBe(new Triple(i, -i, i * 3L));
        }

        list.ToArray().ShouldBe(Enumerable.Range(0, 20_000).Select(i => new Triple(i, -i, i * 3L)));
        list[7] = new Triple(1, 2, 3);
        list[7].ShouldBe(new Triple(1, 2, 3), "the indexer returns a reference into the list");
        Should.Throw<ArgumentOutOfRangeException>(() => list[20_000]);
        Should.Throw<ArgumentOutOfRangeException>(() => list[-1]);
    }

    [Fact]
    public void A_list_of_a_few_values_takes_a_few_values_of_memory()
    {
        // An archive index keeps one list per directory: thousands of namespaces must not cost a full chunk each.
        var lists = new ChunkedList<Triple>[1_000];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < lists.Length; i++)
        {
            lists[i] = new ChunkedList<Triple>();
            lists[i].Add(new Triple(i, i, i));
        }

        long perList = (GC.GetAllocatedBytesForCurrentThread() - before) / lists.Length;
        perList.ShouldBeLessThan(400);
        lists.Select(l => l[0].A).ShouldBe(Enumerable.Range(0, lists.Length).Select(i => (long)i));
    }
}
