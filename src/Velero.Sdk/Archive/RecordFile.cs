using Microsoft.Win32.SafeHandles;

namespace Velero.Sdk.Archive;

/// <summary>
/// An append-only file of an archive reader's index records, in its private folder (unlinked at once where the system
/// allows, so nothing is left behind), read back by position from any number of threads. Made on the first append.
/// </summary>
internal sealed class RecordFile(string directory) : IDisposable
{
    private FileStream? _file;
    private SafeFileHandle? _handle;

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
                throw new IOException("the archive reader's record file ended early");
            }

            destination = destination[read..];
            at += read;
        }
    }

    public void Dispose() => _file?.Dispose();

    private SafeFileHandle Create()
    {
        _file = Collections.UnlinkedFile.Create(Path.Combine(directory, "index.records"), bufferSize: 0);
        return _file.SafeFileHandle;
    }
}
