using System.Text;

namespace Velero.Sdk.Collections;

/// <summary>
/// Strings as UTF-8, each after its length (as in <see cref="Utf8Log"/>), appended to a <see cref="RecordFile"/> in blocks
/// and read back by the position an append returned: names that must outlive a pass over them without staying in
/// memory. Appends are buffered until <see cref="Flush"/>; reads see what was flushed. Not thread-safe for appends; reads
/// (positional) may come from any number of threads.
/// </summary>
internal sealed class NameFile(RecordFile file)
{
    private const int BlockSize = 16 * 1024;
    private byte[] _pending = new byte[BlockSize];
    private int _pendingLength;

    /// <summary>The file the names are written to.</summary>
    public RecordFile File => file;

    /// <summary>Appends <paramref name="utf8"/>; returns its position in the file (valid once flushed).</summary>
    public long Append(ReadOnlySpan<byte> utf8)
    {
        long position = Reserve(utf8.Length);
        utf8.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += utf8.Length;
        return position;
    }

    /// <summary>Appends <paramref name="value"/> as UTF-8; returns its position in the file (valid once flushed).</summary>
    public long Append(ReadOnlySpan<char> value)
    {
        long position = Reserve(Encoding.UTF8.GetByteCount(value));
        _pendingLength += Encoding.UTF8.GetBytes(value, _pending.AsSpan(_pendingLength));
        return position;
    }

    /// <summary>Room for a string of <paramref name="length"/> UTF-8 bytes with its length written before it; returns its position.</summary>
    private long Reserve(int length)
    {
        int needed = Utf8Log.PrefixSize(length) + length;
        if (_pendingLength + needed > _pending.Length)
        {
            Flush();
            if (needed > _pending.Length)
            {
                _pending = new byte[needed];
            }
        }

        long position = file.Length + _pendingLength;
        _pendingLength += Utf8Log.WriteLength(_pending.AsSpan(_pendingLength), length);
        return position;
    }

    /// <summary>Writes the buffered names. If the write fails they are dropped (the file is as before) and the error is thrown.</summary>
    public void Flush()
    {
        int length = _pendingLength;
        _pendingLength = 0;
        file.Append(_pending.AsSpan(0, length));
    }

    /// <summary>Copies the string at <paramref name="position"/> into <paramref name="buffer"/> (grown when short); returns its length.</summary>
    public int Read(long position, ref byte[] buffer)
    {
        if (buffer.Length < 64)
        {
            buffer = new byte[64];
        }

        // One read covers the prefix and, for names of Kubernetes length, the whole string.
        int first = (int)Math.Min(buffer.Length, file.Length - position);
        file.Read(position, buffer.AsSpan(0, first));
        var (length, prefix) = Utf8Log.ReadLength(buffer.AsSpan(0, first));
        if (prefix == 0 || position + prefix + length > file.Length)
        {
            throw new InvalidDataException($"the name file \"{file.Path}\" has no string at {position}");
        }

        if (prefix + length <= first)
        {
            buffer.AsSpan(prefix, length).CopyTo(buffer);
            return length;
        }

        if (buffer.Length < length)
        {
            buffer = new byte[length];
        }

        file.Read(position + prefix, buffer.AsSpan(0, length));
        return length;
    }
}
