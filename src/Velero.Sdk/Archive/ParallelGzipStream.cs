using System.Buffers;
using System.IO.Compression;

namespace Velero.Sdk.Archive;

/// <summary>
/// A write-only stream that gzips its input on several cores, as pigz does: the bytes are cut into chunks, each chunk is
/// deflated on one of a few dedicated threads (<see cref="CompressionThreads"/>) by its own compressor and ended with a sync flush (so the pieces join into one deflate
/// stream), and the pieces are written in order between one gzip header and one trailer (CRC-32 and size of the whole input).
/// The result is a single ordinary gzip member that every reader accepts.
/// </summary>
internal sealed class ParallelGzipStream : Stream
{
    private readonly Stream _destination;
    private readonly CompressionLevel _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<(byte[] Buffer, int Length, uint Crc, int InputLength)>> _inFlight = new();
    private readonly BoundedBufferPool _inputs;
    private readonly BoundedBufferPool _outputs;
    private byte[] _chunk;
    private int _filled;
    private bool _disposed;
    private bool _headerWritten;
    private uint _crc;
    private long _size;

    public ParallelGzipStream(Stream destination, CompressionLevel level, int parallelism, int chunkSize = 1 << 19)
    {
        _destination = destination;
        _level = level;
        _chunkSize = chunkSize;
        _maxInFlight = Math.Max(1, parallelism) * 2;

        // The stream's own bounded pools: the chunks in flight plus the one being filled, and their outputs.
        _inputs = new BoundedBufferPool(_maxInFlight + 1);
        _outputs = new BoundedBufferPool(_maxInFlight + 1);
        _chunk = _inputs.Rent(chunkSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, _chunkSize - _filled);
            buffer[..n].CopyTo(_chunk.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _chunkSize)
            {
                Submit();
                DrainAsync(force: false, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, _chunkSize - _filled);
            buffer[..n].Span.CopyTo(_chunk.AsSpan(_filled));
            _filled += n;
            buffer = buffer[n..];
            if (_filled == _chunkSize)
            {
                Submit();
                await DrainAsync(force: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Flushing only passes on what is already compressed; a partial chunk waits for more input or for disposal.</summary>
    public override void Flush() => _destination.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _destination.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            Submit(final: true);
            await DrainAsync(force: true, CancellationToken.None).ConfigureAwait(false);
            await _destination.WriteAsync(Trailer(), CancellationToken.None).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Submit(final: true);
            DrainAsync(force: true, CancellationToken.None).GetAwaiter().GetResult();
            _destination.Write(Trailer());
        }

        base.Dispose(disposing);
    }

    private void Submit(bool final = false)
    {
        var data = _chunk;
        int length = _filled;
        var level = _level;
        // Each chunk's CRC is computed with its compression, in parallel; the whole input's CRC is combined in order.
        _size += length;
        _inFlight.Enqueue(CompressionThreads.Shared.Run(() =>
        {
            // Deflate never grows data by more than a few bytes per 16 KB block, so this pooled buffer always suffices.
            var buffer = _outputs.Rent(length + (length / 256) + 1024);
            try
            {
                var crc = Crc32.Append(0, data.AsSpan(0, length));
                using var output = new MemoryStream(buffer, 0, buffer.Length, writable: true, publiclyVisible: true);
                var deflate = new DeflateStream(output, level, leaveOpen: true);
                deflate.Write(data, 0, length);
                if (final)
                {
                    deflate.Dispose(); // ends with the final block
                    if (length == 0)
                    {
                        // Nothing was compressed, so nothing was written: end the stream with an empty final block.
                        output.Write([0x03, 0x00]);
                    }

                    return (buffer, (int)output.Position, crc, length);
                }

                deflate.Flush(); // sync flush: byte-aligned, not final, so the next piece can follow
                int written = (int)output.Position;
                deflate.Dispose();
                return (buffer, written, crc, length);
            }
            catch
            {
                _outputs.Return(buffer);
                throw;
            }
            finally
            {
                _inputs.Return(data);
            }
        }));
        _chunk = final ? [] : _inputs.Rent(_chunkSize);
        _filled = 0;
    }

    private byte[] Trailer()
    {
        var trailer = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)_size);
        return trailer;
    }

    private async Task DrainAsync(bool force, CancellationToken cancellationToken)
    {
        if (!_headerWritten)
        {
            _headerWritten = true;
            // ID1 ID2 CM=deflate FLG=0 MTIME=0 XFL=0 OS=unknown, as Go's gzip writer
            await _destination.WriteAsync(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 }, cancellationToken).ConfigureAwait(false);
        }

        while (_inFlight.Count > 0 && (force || _inFlight.Count >= _maxInFlight || _inFlight.Peek().IsCompleted))
        {
            var (buffer, length, crc, inputLength) = await _inFlight.Dequeue().ConfigureAwait(false);
            _crc = Crc32.Combine(_crc, crc, inputLength);
            try
            {
                await _destination.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _outputs.Return(buffer);
            }
        }
    }
}
