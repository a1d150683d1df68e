using Microsoft.Win32.SafeHandles;

namespace Velero.Sdk.Collections;

/// <summary>
/// An append-only file of records (an archive reader's index, a restore's handled items), made at <paramref name="path"/>
/// on the first append as an <see cref="UnlinkedFile"/> (nothing is left behind), read back by position from any number
/// of threads.
/// </summary>
internal sealed class RecordFile(string path) : IDisposable
{
    private FileStream? _file;
    private SafeFileHandle? _handle;

    /// <summary>Where the file is made.</summary>
    public string Path => path;

    /// <summary>The bytes appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>Appends <paramref name="bytes"/> at the end (one writer at a time, before any read).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        _handle ??= Create();
        RandomAccess.Write(_handle, bytes, Length);
        Length += bytes.Length;
    }

    /// <summary>Fills <paramref name="destination"/> from position <paramref name="at"/>.</summary>
    public void Read(long at, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(at + destination.Length, Length);
        var handle = _handle ?? throw new InvalidOperationException("the record file is empty");
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, at);
            if (read == 0)
            {
                throw new IOException($"the record file \"{path}\" ended early");
            }

            destination = destination[read..];
            at += read;
        }
    }

    public void Dispose() => _file?.Dispose();

    private SafeFileHandle Create()
    {
        _file = UnlinkedFile.Create(path, bufferSize: 0);
        return _file.SafeFileHandle;
    }
}
