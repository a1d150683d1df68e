using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class KeyBucketsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private KeyBucketFile NewFile(string name = "keys") => new(UnlinkedFile.Create(_folder.Combine(name), bufferSize: 0), "the test's key table");

    private static ulong[] Sorted(IEnumerable<(ulong Key, byte Marks)> changes) => [.. changes.Select(c => KeyBuckets.Entry(c.Key, c.Marks)).Order()];

    [Fact]
    public void Keys_written_in_sorted_batches_are_found_with_their_marks_across_bucket_splits()
    {
        using var file = NewFile();
        var table = new KeyBuckets(file);
        var random = new Random(42);
        var expected = new Dictionary<ulong, byte>();
        table.Find(12345).ShouldBe((byte)0, "an empty table reads nothing");
        file.Buckets.ShouldBe(0);

        for (int batch = 0; batch < 20; batch++)
        {
            var changes = new List<(ulong Key, byte Marks)>();
            for (int i = 0; i < 1_000; i++)
            {
                ulong key = (ulong)random.NextInt64() >> 4; // the low 60 bits are the table's
                byte marks = (byte)random.Next(1, 16);
                changes.Add((key, marks));
                expected[key] = marks;
            }

            table.Apply(Sorted(changes));
        }

        table.BucketCount.ShouldBeGreaterThan(20_000 / KeyBuckets.Capacity, "full buckets split");
        table.BucketCount.ShouldBeLessThan(20_000 / (KeyBuckets.Capacity / 2), "buckets stay more than half full on average: under 16 bytes a key on disk");
        file.Buckets.ShouldBe(table.BucketCount);
        foreach (var (key, marks) in expected)
        {
            table.Find(key).ShouldBe(marks);
        }

        for (int i = 0; i < 1_000; i++)
        {
            table.Find((ulong)random.NextInt64() >> 4).ShouldBe((byte)0);
        }
    }

    [Fact]
    public void An_entry_replaces_a_key_s_marks_and_an_entry_with_none_takes_it_out()
    {
        using var file = NewFile();
        var table = new KeyBuckets(file);
        var random = new Random(7);
        var keys = Enumerable.Range(0, 5_000).Select(_ => (ulong)random.NextInt64() >> 4).Distinct().ToList();
        table.Apply(Sorted(keys.Select(k => (k, (byte)1))));

        // Every other key out, every third one remarked, in one batch.
        var changes = keys.Select((k, i) => (k, i % 2 == 0 ? (byte)0 : i % 3 == 0 ? (byte)6 : (byte)1)).ToList();
        table.Apply(Sorted(changes));
        foreach (var (key, marks) in changes)
        {
            table.Find(key).ShouldBe(marks);
        }

        // Taking out a key that is not there changes nothing; a key taken out can come back.
        table.Apply(Sorted([(123456789UL, 0)]));
        table.Find(123456789).ShouldBe((byte)0);
        table.Apply(Sorted([(keys[0], 4)]));
        table.Find(keys[0]).ShouldBe((byte)4);
        table.Find(keys[2]).ShouldBe((byte)0);
    }

    [Fact]
    public void Tables_sharing_a_file_keep_their_keys_apart()
    {
        using var file = NewFile();
        var a = new KeyBuckets(file);
        var b = new KeyBuckets(file);
        var random = new Random(3);
        var keys = Enumerable.Range(0, 3_000).Select(_ => (ulong)random.NextInt64() >> 4).Distinct().ToList();
        for (int round = 0; round < 3; round++)
        {
            // Interleaved batches, so that the two tables' buckets alternate in the file.
            a.Apply(Sorted(keys.Skip(round * 1_000).Take(1_000).Select(k => (k, (byte)1))));
            b.Apply(Sorted(keys.Skip(round * 1_000).Take(500).Select(k => (k, (byte)2))));
        }

        file.Buckets.ShouldBe(a.BucketCount + b.BucketCount);
        keys.Count(k => a.Find(k) == 1).ShouldBe(keys.Count);
        keys.Count(k => b.Find(k) == 2).ShouldBe(1_500);
        keys.Count(k => b.Find(k) == 0).ShouldBe(keys.Count - 1_500);
    }

    [Fact]
    public void A_file_that_cannot_be_written_fails_with_an_error_naming_the_table_and_the_file()
    {
        var path = _folder.Combine("read-only");
        File.WriteAllBytes(path, new byte[KeyBucketFile.BucketBytes]);
        using var file = new KeyBucketFile(new FileStream(path, FileMode.Open, FileAccess.Read), "the test's key table");
        var table = new KeyBuckets(file);

        var e = Should.Throw<VeleroException>(() => table.Apply(Sorted([(1UL, 1)])));
        e.ErrorCode.ShouldBe(VeleroErrorCode.StorageFailure);
        e.Message.ShouldStartWith("the test's key table could not be written");
        e.Message.ShouldContain(path);
    }
}
