using System.Runtime.CompilerServices;
using System.Text;

namespace Velero.Sdk.Collections;

/// <summary>
/// Strings kept as UTF-8, each after its length (7-bit encoded: one byte up to 127, two up to 16,383), in chunks of 1 to 64 KiB (small-object heap, never copied to grow), each found again by the
/// position <see cref="Append"/> returned. Holds hundreds of thousands of names in about their UTF-8 length each, instead
/// of a string object apiece. Not thread-safe.
/// </summary>
internal sealed class Utf8Log
{
    private const int FirstChunkSize = 1 << 10;
    private const int ChunkSize = 1 << 16;
    private readonly List<byte[]> _chunks = [];
    private readonly List<int> _filled = [];
    private readonly List<long> _starts = [];

    /// <summary>The bytes of all chunks: every <see cref="Ordinal"/> is below it.</summary>
    public long Capacity { get; private set; }

    /// <summary>Appends <paramref name="value"/>; returns its position.</summary>
    public long Append(ReadOnlySpan<char> value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        var (chunk, used, start) = Reserve(length);
        Encoding.UTF8.GetBytes(value, chunk.AsSpan(start));
        return ((long)(_chunks.Count - 1) << 32) | (uint)used;
    }

    /// <summary>Appends a string given as its UTF-8 bytes (not checked); returns its position.</summary>
    public long AppendUtf8(ReadOnlySpan<byte> utf8)
    {
        var (chunk, used, start) = Reserve(utf8.Length);
        utf8.CopyTo(chunk.AsSpan(start));
        return ((long)(_chunks.Count - 1) << 32) | (uint)used;
    }

    /// <summary>Room for a string of <paramref name="length"/> UTF-8 bytes, its length written: the chunk, where the entry starts, where its bytes start.</summary>
    private (byte[] Chunk, int Used, int Start) Reserve(int length)
    {
        int prefix = PrefixSize(length);
        int needed = prefix + length;
        if (_chunks.Count == 0 || _chunks[^1].Length - _filled[^1] < needed)
        {
            // Chunks double from 1 KiB, so a log of a few names stays small.
            int size = _chunks.Count == 0 ? FirstChunkSize : Math.Min(ChunkSize, _chunks[^1].Length * 2);
            _chunks.Add(new byte[Math.Max(size, needed)]);
            _filled.Add(0);
            _starts.Add(Capacity);
            Capacity += _chunks[^1].Length;
        }

        var chunk = _chunks[^1];
        int used = _filled[^1];
        int at = used + WriteLength(chunk.AsSpan(used), length);
        _filled[^1] = used + needed;
        return (chunk, used, at);
    }

    /// <summary>Writes <paramref name="length"/> as the prefix of a string (7 bits a byte); returns the bytes written.</summary>
    internal static int WriteLength(Span<byte> destination, int length)
    {
        int at = 0;
        uint v = (uint)length;
        while (v >= 0x80)
        {
            destination[at++] = (byte)(v | 0x80);
            v >>= 7;
        }

        destination[at++] = (byte)v;
        return at;
    }

    /// <summary>
    /// Reads a string's length prefix from the start of <paramref name="source"/>: the length, and the prefix's size (0 when
    /// <paramref name="source"/> ends inside the prefix).
    /// </summary>
    internal static (int Length, int PrefixSize) ReadLength(ReadOnlySpan<byte> source)
    {
        int length = 0, shift = 0, at = 0;
        while (at < source.Length && shift < 35)
        {
            byte b = source[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0)
            {
                return (length, at);
            }
        }

        return (0, 0);
    }

    internal static int PrefixSize(int length)
    {
        int size = 1;
        for (uint v = (uint)length; v >= 0x80; v >>= 7)
        {
            size++;
        }

        return size;
    }

    /// <summary>The length written at <paramref name="at"/>, and where the string's bytes start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int Length, int Start) ReadPrefix(byte[] chunk, int at)
    {
        var (length, prefix) = ReadLength(chunk.AsSpan(at));
        return (length, at + prefix);
    }

    /// <summary>The UTF-8 bytes of the string at <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> Get(long position)
    {
        var chunk = _chunks[(int)(position >> 32)];
        var (length, start) = ReadPrefix(chunk, (int)position);
        return chunk.AsSpan(start, length);
    }

    /// <summary>
    /// A position as a number below <see cref="Capacity"/>, distinct for each string: its place in the chunks laid end to end
    /// (for a bit per string, in a set of <see cref="Capacity"/> bits).
    /// </summary>
    public long Ordinal(long position) => _starts[(int)(position >> 32)] + (uint)position;

    /// <summary>The string at <paramref name="position"/>.</summary>
    public string GetString(long position) => Encoding.UTF8.GetString(Get(position));

    /// <summary>Every position, in the order appended.</summary>
    public IEnumerable<long> Positions()
    {
        for (int c = 0; c < _chunks.Count; c++)
        {
            var chunk = _chunks[c];
            int end = _filled[c];
            int pos = 0;
            while (pos < end)
            {
                yield return ((long)c << 32) | (uint)pos;
                var (length, start) = ReadPrefix(chunk, pos);
                pos = start + length;
            }
        }
    }

    /// <summary>
    /// The ordinal order of the strings (<see cref="string.CompareOrdinal(string, string)"/>) from their UTF-8: byte order when
    /// both are ASCII (Kubernetes names and namespaces always are), else decoded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CompareOrdinal(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        if (Ascii.IsValid(x) && Ascii.IsValid(y))
        {
            return x.SequenceCompareTo(y);
        }

        return string.CompareOrdinal(Encoding.UTF8.GetString(x), Encoding.UTF8.GetString(y));
    }

    /// <summary>The ordinal order of <paramref name="utf8"/> against <paramref name="value"/>.</summary>
    public static int CompareOrdinal(ReadOnlySpan<byte> utf8, string value)
    {
        if (Ascii.IsValid(utf8) && Ascii.IsValid(value))
        {
            int n = Math.Min(utf8.Length, value.Length);
            for (int i = 0; i < n; i++)
            {
                int c = utf8[i] - value[i];
                if (c != 0)
                {
                    return c;
                }
            }

            return utf8.Length - value.Length;
        }

        return string.CompareOrdinal(Encoding.UTF8.GetString(utf8), value);
    }
}
