using Velero.Sdk.Collections;

namespace Velero.Sdk.Tests.Collections;

public sealed class ChunkedBufferStreamTests
{
    [Fact]
    public void Bytes_written_in_pieces_across_chunks_read_back_in_other_pieces()
    {
        var data = new byte[300_007];
        new Random(7).NextBytes(data);
        using var stream = new ChunkedBufferStream();
        for (int at = 0, n = 1; at < data.Length; at += n, n = (n * 7 % 70_001) + 1)
        {
            stream.Write(data, at, Math.Min(n, data.Length - at));
        }

        stream.Length.ShouldBe(data.Length);
        stream.Position.ShouldBe(data.Length);
        stream.ToArray().ShouldBe(data);

        stream.Position = 0;
        var read = new MemoryStream();
        var buffer = new byte[65_537 + 3];
        for (int n = 1; ; n = (n * 13 % buffer.Length) + 1)
        {
            int got = stream.Read(buffer, 0, n);
            if (got == 0)
            {
                break;
            }

            read.Write(buffer, 0, got);
        }

        read.ToArray().ShouldBe(data);
    }

    [Fact]
    public async Task Seeks_read_anywhere_and_copies_see_the_rest()
    {
        var data = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 31)).ToArray();
        using var stream = new ChunkedBufferStream();
        await stream.WriteAsync(data);

        stream.Seek(65_530, SeekOrigin.Begin).ShouldBe(65_530);
        var span = new byte[20];
        stream.Read(span).ShouldBe(20);
        span.ShouldBe(data[65_530..65_550]);
        stream.Seek(-10, SeekOrigin.End).ShouldBe(data.Length - 10);
        var rest = new MemoryStream();
        await stream.CopyToAsync(rest);
        rest.ToArray().ShouldBe(data[^10..]);
        stream.Read(span).ShouldBe(0, "at the end");
    }

    [Fact]
    public void Writes_only_append()
    {
        using var stream = new ChunkedBufferStream();
        stream.Write([1, 2, 3]);
        stream.Position = 1;

        Should.Throw<NotSupportedException>(() => stream.Write([9])).Message.ShouldBe("writes append at the end of the stream");
        Should.Throw<NotSupportedException>(() => stream.SetLength(1));
        stream.ToArray().ShouldBe(new byte[] { 1, 2, 3 });
    }
}
