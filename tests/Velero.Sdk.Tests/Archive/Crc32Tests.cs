using System.Text;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public sealed class Crc32Tests
{
    [Fact]
    public void The_check_value_of_gzips_CRC_32()
    {
        Crc32.Append(0, "123456789"u8).ShouldBe(0xCBF43926u);
        Crc32.Append(Crc32.Append(0, "1234"u8), "56789"u8).ShouldBe(0xCBF43926u);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    [InlineData(5, 9)]
    [InlineData(1000, 1)]
    [InlineData(4096, 524_288)]
    [InlineData(777, 1_000_003)]
    public void Combining_the_CRCs_of_two_runs_gives_the_CRC_of_both(int first, int second)
    {
        var bytes = new byte[first + second];
        new Random(first ^ second).NextBytes(bytes);
        var a = bytes.AsSpan(0, first);
        var b = bytes.AsSpan(first);

        Crc32.Combine(Crc32.Append(0, a), Crc32.Append(0, b), second).ShouldBe(Crc32.Append(0, bytes));
    }

    [Fact]
    public void Combining_many_chunks_in_order_matches_one_pass()
    {
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"item-{i};")));
        uint combined = 0;
        for (int at = 0; at < text.Length; at += 3_001)
        {
            var chunk = text.AsSpan(at, Math.Min(3_001, text.Length - at));
            combined = Crc32.Combine(combined, Crc32.Append(0, chunk), chunk.Length);
        }

        combined.ShouldBe(Crc32.Append(0, text));
    }
}
