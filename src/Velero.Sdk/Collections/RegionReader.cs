namespace Velero.Sdk.Collections;

/// <summary>
/// Reads one region of a stream (<c>[start, end)</c>) through a buffer of its own, setting the stream's position for each
/// fill: several readers can take turns on one stream, as the sorted runs of a merge do. Not thread-safe.
/// </summary>
internal sealed class RegionReader(Stream stream, long start, long end, string what, int bufferSize = 16 * 1024)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private long _position = start;
    private int _at;
    private int _filled;

    /// <summary>Whether the region has been read to its end.</summary>
    public bool AtEnd => _at == _filled && _position >= end;

    public byte ReadByte()
    {
        if (_at == _filled)
        {
            Fill();
        }

        return _buffer[_at++];
    }

    /// <summary>Fills <paramref name="destination"/>; the region ending first is an <see cref="EndOfStreamException"/> naming <c>what</c>.</summary>
    public void ReadExactly(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_at == _filled)
            {
                Fill();
            }

            int n = Math.Min(destination.Length, _filled - _at);
            _buffer.AsSpan(_at, n).CopyTo(destination);
            _at += n;
            destination = destination[n..];
        }
    }

    private void Fill()
    {
        int want = (int)Math.Min(_buffer.Length, end - _position);
        if (want <= 0)
        {
            throw new EndOfStreamException($"{what} ended early");
        }

        stream.Position = _position;
        stream.ReadExactly(_buffer, 0, want);
        _position += want;
        _at = 0;
        _filled = want;
    }
}
