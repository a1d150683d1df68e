namespace Velero.Sdk.Archive;

/// <summary>The archive's source as the gzip decoder reads it: counts compressed bytes and marks source failures.</summary>
internal sealed class CompressedInputStream(Stream source) : ReadStreamBase
{
    public long BytesRead { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        try
        {
            var read = source.Read(buffer);
            BytesRead += read;
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
            BytesRead += read;
            return read;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArchiveStreamException(ArchiveStreamFailure.Source, $"reading the archive failed: {e.Message}", e);
        }
    }
}
