namespace Velero.Sdk.Collections;

/// <summary>
/// A seekable in-memory stream kept in 64 KiB chunks: it grows by a chunk at a time (never copying what it holds, never
/// on the large-object heap), for a side file written once and then read, such as the gzipped resource list of a big
/// backup. Writes append at the end; reads and seeks go anywhere within it.
/// </summary>
internal sealed class ChunkedBufferStream : Stream
{
    private const int ChunkSize = 64 * 1024;
    private readonly List<byte[]> _chunks = [];
    private long _length;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length && _position < _length)
        {
            var chunk = _chunks[(int)(_position / ChunkSize)];
            int at = (int)(_position % ChunkSize);
            int n = (int)Math.Min(Math.Min(ChunkSize - at, buffer.Length - done), _length - _position);
            chunk.AsSpan(at, n).CopyTo(buffer[done..]);
            done += n;
            _position += n;
        }

        return done;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_position != _length)
        {
            throw new NotSupportedException("writes append at the end of the stream");
        }

        while (!buffer.IsEmpty)
        {
            int at = (int)(_length % ChunkSize);
            if (at == 0 && _length / ChunkSize == _chunks.Count)
            {
                _chunks.Add(new byte[ChunkSize]);
            }

            int n = Math.Min(ChunkSize - at, buffer.Length);
            buffer[..n].CopyTo(_chunks[^1].AsSpan(at));
            buffer = buffer[n..];
            _length += n;
        }

        _position = _length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void SetLength(long value) => throw new NotSupportedException("the stream only grows by writing");

    /// <summary>All the bytes, in one array.</summary>
    public byte[] ToArray()
    {
        var all = new byte[_length];
        long saved = _position;
        _position = 0;
        ReadExactly(all);
        _position = saved;
        return all;
    }
}
