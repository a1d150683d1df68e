using System.IO.Compression;

namespace Velero.Sdk.Archive;

/// <summary>
/// A write-only stream that gzips its input on several cores: the bytes are cut into chunks, each chunk is compressed as its
/// own gzip member on the thread pool, and the members are written in order. Concatenated gzip members are one valid gzip
/// stream (RFC 1952); Go's gzip reader (so Velero), GNU gzip, Python and .NET read them as one.
/// </summary>
internal sealed class ParallelGzipStream : Stream
{
    private readonly Stream _destination;
    private readonly CompressionLevel _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<byte[]>> _inFlight = new();
    private byte[] _chunk;
    private int _filled;
    private bool _disposed;

    public ParallelGzipStream(Stream destination, CompressionLevel level, int parallelism, int chunkSize = 1 << 20)
    {
        _destination = destination;
        _level = level;
        _chunkSize = chunkSize;
        _maxInFlight = Math.Max(1, parallelism) * 2;
        _chunk = new byte[chunkSize];
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
            if (_filled > 0)
            {
                Submit();
            }

            await DrainAsync(force: true, CancellationToken.None).ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            if (_filled > 0)
            {
                Submit();
            }

            DrainAsync(force: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private void Submit()
    {
        var data = _chunk;
        int length = _filled;
        var level = _level;
        _inFlight.Enqueue(Task.Run(() =>
        {
            using var output = new MemoryStream(length / 3);
            using (var gzip = new GZipStream(output, level, leaveOpen: true))
            {
                gzip.Write(data, 0, length);
            }

            return output.ToArray();
        }));
        _chunk = new byte[_chunkSize];
        _filled = 0;
    }

    private async Task DrainAsync(bool force, CancellationToken cancellationToken)
    {
        while (_inFlight.Count > 0 && (force || _inFlight.Count >= _maxInFlight || _inFlight.Peek().IsCompleted))
        {
            var member = await _inFlight.Dequeue().ConfigureAwait(false);
            await _destination.WriteAsync(member, cancellationToken).ConfigureAwait(false);
        }
    }
}
