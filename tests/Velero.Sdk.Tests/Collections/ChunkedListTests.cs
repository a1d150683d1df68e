using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class ChunkedListTests
{
    private readonly record struct Triple(long A, long B, long C);

    [Fact]
    public void Clear_empties_the_list_and_keeps_its_chunks_for_the_values_added_next()
    {
        using var list = new ChunkedList<Triple>();
        for (int i = 0; i < 508; i++)
        {
            list.Add(new Triple(i, i, i));
        }

        list.Capacity.ShouldBe(508, "chunks of 4, 8, ... 256 values");
        list.Clear();
        list.Count.ShouldBe(0);
        list.Capacity.ShouldBe(508);
        Should.Throw<ArgumentOutOfRangeException>(() => list[0]);
        for (int i = 0; i < 600; i++)
        {
            list.Add(new Triple(-i, i, 0));
        }

        list.ToArray().ShouldBe(Enumerable.Range(0, 600).Select(i => new Triple(-i, i, 0)));
        list.Dispose();
        Should.Throw<ObjectDisposedException>(list.Clear);
    }

    [Fact]
    public void Values_are_found_by_index_across_growing_and_full_chunks()
    {
        using var list = new ChunkedList<Triple>();
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

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(4_093)] // just past the growing chunks
    [InlineData(30_000)] // many full chunks
    public void Sorting_in_place_gives_the_order_a_sorted_array_has(int count)
    {
        var random = new Random(count);
        var values = Enumerable.Range(0, count).Select(i => new Triple(random.Next(50), random.Next(), i)).ToArray();
        var list = new ChunkedList<Triple>();
        foreach (var v in values)
        {
            list.Add(v);
        }

        // Ties on A (only 50 values) are broken by C: a total order, as the archive index gives (name, then position).
        Comparison<Triple> order = (x, y) => x.A != y.A ? x.A.CompareTo(y.A) : x.C.CompareTo(y.C);
        Array.Sort(values, order);
        list.Sort(order);

        list.ToArray().ShouldBe(values);
    }

    [Fact]
    public void Sorting_in_place_allocates_no_copy_of_the_list()
    {
        var list = new ChunkedList<Triple>();
        for (int i = 0; i < 50_000; i++)
        {
            list.Add(new Triple(50_000 - i, 0, 0));
        }

        Comparison<Triple> order = (x, y) => x.A.CompareTo(y.A);
        list.Sort(order); // once, so that nothing first-time is counted
        list.Add(new Triple(-1, 0, 0));
        long before = GC.GetAllocatedBytesForCurrentThread();
        list.Sort(order);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.ShouldBeLessThan(1_000, "a copy would be 50,001 x 24 bytes");
        list[0].A.ShouldBe(-1);
        list[50_000].A.ShouldBe(50_000);
    }

    [Fact]
    public void The_values_live_outside_the_GC_heap_and_are_freed_on_dispose()
    {
        var list = new ChunkedList<Triple>();
        list.Add(new Triple(0, 0, 0)); // first-time work not counted
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < 100_000; i++)
        {
            list.Add(new Triple(i, i, i));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        allocated.ShouldBeLessThan(4_000, "100,000 values of 24 bytes (2.4 MB) are not on the GC heap; only the chunk table grows");
        list[99_999].ShouldBe(new Triple(99_999, 99_999, 99_999));

        list.Dispose();
        list.Count.ShouldBe(0);
        Should.Throw<ObjectDisposedException>(() => list.Add(new Triple(1, 1, 1)));
        Should.Throw<ArgumentOutOfRangeException>(() => list[0]);
        list.Dispose(); // twice is harmless
    }
}
