using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class RegionReaderTests
{
    [Fact]
    public void Readers_of_regions_of_one_stream_take_turns_and_each_reads_its_own_bytes_only()
    {
        var bytes = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();
        using var stream = new MemoryStream(bytes);
        var first = new RegionReader(stream, 100, 5_100, "first", bufferSize: 64);
        var second = new RegionReader(stream, 6_000, 6_003, "second", bufferSize: 64);
        var a = new byte[5_000];
        a.AsSpan(0, 1).Fill(first.ReadByte());
        second.ReadByte().ShouldBe(bytes[6_000]);
        first.ReadExactly(a.AsSpan(1)); // the other reader moved the stream in between
        a.ShouldBe(bytes[100..5_100]);
        first.AtEnd.ShouldBeTrue();
        second.AtEnd.ShouldBeFalse();
        var b = new byte[2];
        second.ReadExactly(b);
        b.ShouldBe(bytes[6_001..6_003]);
        second.AtEnd.ShouldBeTrue();

        var e = Should.Throw<EndOfStreamException>(() => second.ReadByte());
        e.Message.ShouldBe("second ended early");
        var past = new RegionReader(stream, 9_990, 10_020, "a region past the stream's end");
        Should.Throw<EndOfStreamException>(() => past.ReadExactly(new byte[30]));
    }
}
