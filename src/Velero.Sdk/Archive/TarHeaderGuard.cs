using System.Globalization;
using System.Text;

namespace Velero.Sdk.Archive;

/// <summary>
/// Follows the tar headers in the decompressed stream as it flows to <see cref="System.Formats.Tar.TarReader"/> and refuses
/// a PAX extended header or GNU long name/link larger than <see cref="MaxMetadataSize"/> before the tar reader sees its
/// header: the tar reader allocates such metadata whole (a 512-byte header announcing 1.5 GB makes it allocate over 4 GB).
/// </summary>
/// <remarks>
/// The guard tracks entry boundaries from each header's size field (or the <c>size</c> record of a preceding PAX header)
/// and stops at the end-of-archive block. If an archive is malformed enough to confuse it, the tar reader refuses it anyway.
/// </remarks>
internal sealed class TarHeaderGuard
{
    /// <summary>The largest PAX extended header or GNU long name accepted: 1 MiB (real ones are under a few KB).</summary>
    public const int MaxMetadataSize = 1024 * 1024;

    private const int BlockSize = 512;

    private readonly byte[] _header = new byte[BlockSize];
    private int _headerFill;
    private long _skip;
    private byte[]? _pax;
    private int _paxFill;
    private long _paxPadding;
    private long? _nextSize;
    private bool _stopped;

    public void Observe(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !_stopped)
        {
            if (_pax is not null)
            {
                var take = Math.Min(data.Length, _pax.Length - _paxFill);
                data[..take].CopyTo(_pax.AsSpan(_paxFill));
                _paxFill += take;
                data = data[take..];
                if (_paxFill == _pax.Length)
                {
                    _nextSize = FindPaxSize(_pax) ?? _nextSize;
                    _pax = null;
                    _skip = _paxPadding;
                }

                continue;
            }

            if (_skip > 0)
            {
                var n = (int)Math.Min(_skip, data.Length);
                _skip -= n;
                data = data[n..];
                continue;
            }

            var count = Math.Min(BlockSize - _headerFill, data.Length);
            data[..count].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += count;
            data = data[count..];
            if (_headerFill == BlockSize)
            {
                _headerFill = 0;
                OnHeader();
            }
        }
    }

    private void OnHeader()
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0))
        {
            // End-of-archive marker: what follows is padding.
            _stopped = true;
            return;
        }

        var type = (char)_header[156];
        var size = ParseSize(_header.AsSpan(124, 12));
        if (size < 0)
        {
            // Not a header we understand: leave the verdict to the tar reader.
            _stopped = true;
            return;
        }

        if (type is 'x' or 'g' or 'L' or 'K')
        {
            if (size > MaxMetadataSize)
            {
                var what = type switch
                {
                    'x' => "a PAX extended header",
                    'g' => "a PAX global header",
                    'L' => "a GNU long name",
                    _ => "a GNU long link name",
                };
                throw new ArchiveStreamException(
                    ArchiveStreamFailure.Limit,
                    string.Create(CultureInfo.InvariantCulture, $"{what} of {size} bytes exceeds the limit of {MaxMetadataSize} bytes"));
            }

            if (type == 'x' && size > 0)
            {
                _pax = new byte[size];
                _paxFill = 0;
                _paxPadding = Padded(size) - size;
                return;
            }

            _skip = Padded(size);
            return;
        }

        if (_nextSize is { } paxSize)
        {
            size = paxSize;
            _nextSize = null;
        }

        _skip = Padded(size);
    }

    private static long Padded(long size) => size > long.MaxValue - BlockSize ? long.MaxValue : (size + BlockSize - 1) / BlockSize * BlockSize;

    /// <summary>Reads a size field: octal digits, or base-256 when the high bit of the first byte is set; -1 when unreadable.</summary>
    private static long ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            long value = field[0] & 0x7F;
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8))
                {
                    return long.MaxValue;
                }

                value = (value << 8) | b;
            }

            return value;
        }

        var text = field.Trim((byte)0).Trim((byte)' ');
        long result = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                return b is 0 or (byte)' ' ? result : -1;
            }

            result = (result * 8) + (b - '0');
        }

        return result;
    }

    /// <summary>The value of the <c>size</c> record of a PAX header (<c>"&lt;len&gt; size=&lt;n&gt;\n"</c>), if any.</summary>
    private static long? FindPaxSize(byte[] pax)
    {
        var text = Encoding.UTF8.GetString(pax);
        var position = 0;
        while (position < text.Length)
        {
            var space = text.IndexOf(' ', position);
            if (space < 0 || !int.TryParse(text.AsSpan(position, space - position), NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
            {
                return null;
            }

            var end = Math.Min(text.Length, position + length);
            var record = text.AsSpan(space + 1, Math.Max(0, end - space - 1)).TrimEnd('\n');
            if (record.StartsWith("size=", StringComparison.Ordinal) &&
                long.TryParse(record[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }

            position = end;
        }

        return null;
    }
}
