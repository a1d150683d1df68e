using System.Diagnostics;
using System.IO.Compression;
using Velero.Sdk.Archive;

namespace Velero.Sdk.Tests.Archive;

public class ParallelGzipStreamTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(14_000)]
    [InlineData(200_000)]
    public async Task Writes_one_gzip_member_that_decompresses_to_the_input(int size)
    {
        var input = new byte[size];
        new Random(size).NextBytes(input);
        for (int i = 0; i < size; i += 3)
        {
            input[i] = (byte)'a'; // compressible parts too
        }

        var output = new MemoryStream();
        await using (var gz = new ParallelGzipStream(output, CompressionLevel.Optimal, parallelism: 3, chunkSize: 4096))
        {
            // Uneven writes, sync and async.
            int pos = 0;
            var rng = new Random(1);
            while (pos < size)
            {
                int n = Math.Min(size - pos, rng.Next(1, 9000));
                if (rng.Next(2) == 0)
                {
                    gz.Write(input, pos, n);
                }
                else
                {
                    await gz.WriteAsync(input.AsMemory(pos, n));
                }

                pos += n;
            }
        }

        var bytes = output.ToArray();
        bytes[0].ShouldBe((byte)0x1f);
        bytes[1].ShouldBe((byte)0x8b);

        // .NET's gzip reader gets the input back.
        using (var back = new MemoryStream())
        {
            using (var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
            {
                gz.CopyTo(back);
            }

            back.ToArray().ShouldBe(input);
        }

        // One member: the deflate stream ends exactly where the 8-byte trailer starts, and the trailer holds CRC and size.
        var body = new MemoryStream(bytes, 10, bytes.Length - 10);
        using (var deflate = new DeflateStream(body, CompressionMode.Decompress, leaveOpen: true))
        {
            deflate.CopyTo(Stream.Null);
        }

        BitConverter.ToUInt32(bytes, bytes.Length - 4).ShouldBe((uint)size);

        // GNU gzip checks the CRC and the length.
        var file = Path.Combine(Path.GetTempPath(), $"pgz-{Guid.NewGuid():N}.gz");
        await File.WriteAllBytesAsync(file, bytes);
        try
        {
            using var gzip = Process.Start(new ProcessStartInfo("gzip", ["-t", file]) { RedirectStandardError = true })!;
            var err = await gzip.StandardError.ReadToEndAsync();
            await gzip.WaitForExitAsync();
            gzip.ExitCode.ShouldBe(0, err);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
