using System.Buffers.Binary;

namespace Velero.Sdk.Archive;

/// <summary>
/// The archive's source as the gzip decoder reads it: counts compressed bytes, keeps the last eight (the gzip trailer
/// once the source is read to its end) and marks source failures.
/// </summary>
internal sealed class CompressedInputStream(Stream source) : ReadStreamBase
{
    private readonly byte[] _tail = new byte[8];
    private int _tailLength;

    public long BytesRead { get; private set; }

    /// <summary>The ISIZE field of the gzip trailer (uncompressed size modulo 2^32), if at least eight bytes were read.</summary>
    public uint? TrailerSize => _tailLength == _tail.Length ? BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(4)) : null;

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = source.Read(buffer);
            Track(buffer[..read]);
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArchiveStreamException(ArchiveStreamFailure.Source, $"reading the archive failed: {e.Message}", e);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            Track(buffer.Span[..read]);
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArchiveStreamException(ArchiveStreamFailure.Source, $"reading the archive failed: {e.Message}", e);
        }
    }

    private void Track(ReadOnlySpan<byte> read)
    {
        BytesRead += read.Length;
        if (read.Length >= _tail.Length)
        {
            read[^_tail.Length..].CopyTo(_tail);
            _tailLength = _tail.Length;
            return;
        }

        // Shift the kept bytes left and append the new ones.
        var keep = Math.Min(_tailLength, _tail.Length - read.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        read.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + read.Length;
    }
}
