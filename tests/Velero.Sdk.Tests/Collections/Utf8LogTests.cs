using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class Utf8LogTests
{
    [Fact]
    public void Strings_come_back_from_their_positions_in_the_order_appended()
    {
        var log = new Utf8Log();
        var values = Enumerable.Range(0, 30_000).Select(i => i % 7 == 0 ? $"ns-{i}/näme-{i}" : $"pod-{i:D7}").ToList();
        values.Add(string.Empty);
        values.AddRange([new string('a', 127), new string('b', 128), new string('c', 16_383), new string('d', 16_384)]); // length prefixes of 1, 2 and 3 bytes
        values.Add(new string('x', 100_000)); // longer than any chunk
        values.Add("\U0001F600 after the long one");
        var positions = values.Select(v => log.Append(v)).ToList();

        positions.Select(log.GetString).ShouldBe(values);
        log.Positions().ShouldBe(positions);

        // Ordinals: one per string, increasing in the order appended, all below the capacity (a bit apiece in a set that size).
        var ordinals = positions.Select(log.Ordinal).ToList();
        ordinals.ShouldBe(ordinals.Order().ToList());
        ordinals.Distinct().Count().ShouldBe(values.Count);
        ordinals.ShouldAllBe(o => o >= 0 && o < log.Capacity);
        log.Capacity.ShouldBeGreaterThanOrEqualTo(values.Sum(v => System.Text.Encoding.UTF8.GetByteCount(v) + 1));
    }

    [Fact]
    public void Ordinal_comparison_of_UTF8_agrees_with_string_CompareOrdinal()
    {
        string[] samples = ["", "a", "ab", "b", "web", "web-2", "we", "ß", "\uE000", "\U0001F600", "\U0001F600a", "Z", "z"];
        var log = new Utf8Log();
        var at = samples.ToDictionary(s => s, s => log.Append(s));
        foreach (var x in samples)
        {
            foreach (var y in samples)
            {
                Math.Sign(Utf8Log.CompareOrdinal(log.Get(at[x]), log.Get(at[y]))).ShouldBe(Math.Sign(string.CompareOrdinal(x, y)), $"{x} vs {y}");
                Math.Sign(Utf8Log.CompareOrdinal(log.Get(at[x]), y)).ShouldBe(Math.Sign(string.CompareOrdinal(x, y)), $"{x} vs {y} (string)");
            }
        }
    }
}
