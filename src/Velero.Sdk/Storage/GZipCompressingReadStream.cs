using System.IO.Compression;

namespace Velero.Sdk.Storage;

/// <summary>
/// A read-only stream that yields the gzip compression of another stream as it is read, so a large source (a log) can be
/// uploaded compressed without buffering it whole.
/// </summary>
internal sealed class GZipCompressingReadStream : Stream
{
    private readonly Stream _source;
    private readonly MemoryStream _sink = new();
    private readonly GZipStream _gzip;
    private readonly byte[] _input = new byte[64 * 1024];
    private int _sinkPosition;
    private bool _completed;

    public GZipCompressingReadStream(Stream source, CompressionLevel level)
    {
        _source = source;
        _gzip = new GZipStream(_sink, level, leaveOpen: true);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryDrain(buffer, out var copied))
            {
                return copied;
            }

            if (_completed)
            {
                return 0;
            }

            Feed(_source.Read(_input, 0, _input.Length));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryDrain(buffer.Span, out var copied))
            {
                return copied;
            }

            if (_completed)
            {
                return 0;
            }

            Feed(await _source.ReadAsync(_input, cancellationToken).ConfigureAwait(false));
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _sink.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool TryDrain(Span<byte> buffer, out int copied)
    {
        var available = (int)_sink.Length - _sinkPosition;
        if (available <= 0 || buffer.IsEmpty)
        {
            copied = 0;
            return buffer.IsEmpty;
        }

        copied = Math.Min(available, buffer.Length);
        _sink.GetBuffer().AsSpan(_sinkPosition, copied).CopyTo(buffer);
        _sinkPosition += copied;
        return true;
    }

    private void Feed(int read)
    {
        _sink.SetLength(0);
        _sinkPosition = 0;
        if (read == 0)
        {
            _gzip.Dispose();
            _completed = true;
        }
        else
        {
            _gzip.Write(_input, 0, read);
        }
    }
}
