using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public sealed class CompactHashSetTests
{
    [Fact]
    public void Adds_finds_and_removes_as_a_hash_set_does_through_growth_and_long_probe_runs()
    {
        var set = new CompactHashSet(capacity: 4);
        var reference = new HashSet<ulong>();
        var random = new Random(7);

        // Keys that share their low bits land in one probe run; removals in its middle must keep the rest findable.
        ulong Key(int i) => i % 3 == 0 ? ((ulong)random.Next(1, 50) << 40) | 5UL : (ulong)random.NextInt64(1, long.MaxValue);
        for (int round = 0; round < 20_000; round++)
        {
            var key = Key(round);
            switch (random.Next(3))
            {
                case 0:
                case 1:
                    set.Add(key).ShouldBe(reference.Add(key));
                    break;
                default:
                    var victim = reference.Count > 0 && random.Next(2) == 0 ? reference.ElementAt(random.Next(reference.Count)) : key;
                    set.Remove(victim).ShouldBe(reference.Remove(victim));
                    break;
            }

            set.Count.ShouldBe(reference.Count);
        }

        foreach (var key in reference)
        {
            set.Contains(key).ShouldBeTrue();
        }

        set.Contains(12345).ShouldBe(reference.Contains(12345));
        set.Capacity.ShouldBeLessThanOrEqualTo(Math.Max(16, reference.Count * 4));
    }

    [Fact]
    public void Zero_is_a_key_like_any_other()
    {
        var set = new CompactHashSet();
        set.Contains(0).ShouldBeFalse();
        set.Add(0).ShouldBeTrue();
        set.Add(0).ShouldBeFalse();
        set.Contains(0).ShouldBeTrue();
        set.Remove(0).ShouldBeTrue();
        set.Count.ShouldBe(0);
    }

    [Fact]
    public void A_million_keys_take_at_most_21_bytes_each()
    {
        var set = new CompactHashSet();
        var random = new Random(1);
        for (int i = 0; i < 1_000_000; i++)
        {
            set.Add((ulong)random.NextInt64());
        }

        set.Count.ShouldBeInRange(999_999, 1_000_000); // two random 64-bit keys may collide
        (set.Capacity * 8.0 / set.Count).ShouldBeLessThanOrEqualTo(21.4);
    }

    [Fact]
    public void Three_hundred_thousand_keys_stay_in_tables_below_the_large_object_threshold()
    {
        // Tables that grow past 85,000 bytes live on the large-object heap, where each discarded smaller table stays until a
        // full collection: the sets of a large backup would grow the process by their own size again in garbage.
        var set = new CompactHashSet();
        var random = new Random(2);
        for (int i = 0; i < 300_000; i++)
        {
            set.Add((ulong)random.NextInt64());
            if (i % 50_000 == 0)
            {
                set.LargestTableBytes.ShouldBeLessThan(85_000);
            }
        }

        set.LargestTableBytes.ShouldBeLessThan(85_000);
        set.Count.ShouldBeInRange(299_999, 300_000);
    }

    [Fact]
    public void Marks_are_kept_per_key_through_growth_and_backward_shifts_and_a_key_leaves_with_its_last_mark()
    {
        var set = new CompactHashSet(capacity: 4);
        var reference = new Dictionary<ulong, byte>();
        var random = new Random(11);
        for (int round = 0; round < 30_000; round++)
        {
            // A third of the keys share their low bits, so removals shift marks along long probe runs.
            ulong key = round % 3 == 0 ? ((ulong)random.Next(1, 60) << 40) | 9UL : (ulong)random.Next(1, 4_000) * 0x9E3779B97F4A7C15UL;
            byte mark = (byte)(1 << random.Next(3));
            byte had = reference.GetValueOrDefault(key);
            if (random.Next(3) < 2)
            {
                set.Mark(key, mark).ShouldBe((had & mark) == 0);
                reference[key] = (byte)(had | mark);
            }
            else
            {
                set.Unmark(key, mark).ShouldBe((had & mark) != 0);
                if ((byte)(had & ~mark) == 0)
                {
                    reference.Remove(key);
                }
                else
                {
                    reference[key] = (byte)(had & ~mark);
                }
            }

            set.Count.ShouldBe(reference.Count);
        }

        foreach (var (key, marks) in reference)
        {
            set.MarksOf(key).ShouldBe(marks);
            set.Contains(key).ShouldBe((marks & 1) != 0);
        }

        set.MarksOf(0xDEAD_0000_0000_0001).ShouldBe((byte)0);
    }
}
