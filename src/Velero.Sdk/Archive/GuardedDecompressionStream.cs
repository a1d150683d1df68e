using System.Globalization;
using System.IO.Compression;

namespace Velero.Sdk.Archive;

/// <summary>
/// The decompressed tar stream as the tar reader reads it: counts bytes, enforces the total size and compression ratio
/// limits on every read, and marks corrupt gzip data.
/// </summary>
internal sealed class GuardedDecompressionStream : ReadStreamBase
{
    private readonly CompressedInputStream _compressed;
    private readonly GZipStream _gzip;
    private readonly BackupArchiveReaderOptions _options;
    private readonly TarHeaderGuard _headers = new();

    public GuardedDecompressionStream(CompressedInputStream compressed, BackupArchiveReaderOptions options)
    {
        _compressed = compressed;
        _gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        _options = options;
    }

    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        Count(read);
        _headers.Observe(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _gzip.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(e);
        }

        Count(read);
        _headers.Observe(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    private static ArchiveStreamException Corrupt(InvalidDataException e) =>
        new(ArchiveStreamFailure.CorruptGzip, $"the gzip data is corrupt ({e.Message})", e);

    private void Count(int read)
    {
        BytesRead += read;
        if (BytesRead > _options.MaxTotalSize)
        {
            throw new ArchiveStreamException(
                ArchiveStreamFailure.Limit,
                string.Create(CultureInfo.InvariantCulture, $"the uncompressed archive exceeds the limit of {_options.MaxTotalSize} bytes"));
        }

        if (_options.MaxCompressionRatio > 0 && BytesRead > _options.CompressionRatioThreshold && _compressed.BytesRead > 0)
        {
            var ratio = (double)BytesRead / _compressed.BytesRead;
            if (ratio > _options.MaxCompressionRatio)
            {
                throw new ArchiveStreamException(
                    ArchiveStreamFailure.Limit,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"the compression ratio {ratio:0}:1 ({BytesRead} bytes from {_compressed.BytesRead}) exceeds the limit of {_options.MaxCompressionRatio}:1 (a decompression bomb?)"));
            }
        }
    }
}
