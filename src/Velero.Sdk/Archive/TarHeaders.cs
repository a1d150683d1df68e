using System.Formats.Tar;
using System.Runtime.CompilerServices;

namespace Velero.Sdk.Archive;

/// <summary>
/// The tar headers of backup entries (regular files, mode 0755, uid and gid 0, no user or group names), byte for byte as
/// <see cref="TarWriter"/> writes them: a USTAR header is formatted directly for the usual short ASCII paths; other paths
/// (a directory prefix, long or non-ASCII names that need PAX) are formatted by <see cref="TarWriter"/> itself.
/// </summary>
internal static class TarHeaders
{
    public const int BlockSize = 512;

    private static readonly UnixFileMode EntryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Zeros for padding (at most one block is ever needed).</summary>
    public static byte[] Zeros { get; } = new byte[BlockSize];

    /// <summary>The end-of-archive marker: two zero blocks.</summary>
    public static byte[] EndOfArchive { get; } = new byte[2 * BlockSize];

    /// <summary>How many zero bytes follow <paramref name="length"/> bytes of data to fill their last block.</summary>
    public static int Padding(long length) => (int)((BlockSize - (length % BlockSize)) % BlockSize);

    /// <summary>The header bytes of an entry at <paramref name="path"/> holding <paramref name="size"/> bytes (data and padding not included).</summary>
    public static byte[] Header(string path, long size, DateTimeOffset modified)
    {
        var header = new byte[BlockSize];
        return TryWriteUstar(path, size, modified, header) ? header : WithTarWriter(path, size, modified);
    }

    /// <summary>
    /// The header of an entry at <paramref name="path"/> in <paramref name="block"/> (one block) when a USTAR header serves,
    /// so no array is made for it; otherwise a new array with the PAX header <see cref="TarWriter"/> writes.
    /// </summary>
    public static ReadOnlyMemory<byte> Header(string path, long size, DateTimeOffset modified, Memory<byte> block) =>
        TryWriteUstar(path, size, modified, block.Span) ? block[..BlockSize] : WithTarWriter(path, size, modified);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryWriteUstar(string path, long size, DateTimeOffset modified, Span<byte> block)
    {
        long mtime = modified.ToUnixTimeSeconds();
        if (path.Length <= 100 && IsPlainAscii(path) && size < (1L << 33) && mtime is >= 0 and < (1L << 33))
        {
            Ustar(path, size, mtime, block[..BlockSize]);
            return true;
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsPlainAscii(string path)
    {
        foreach (var c in path)
        {
            if (c is >= (char)0x80 or '\0')
            {
                return false;
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Ustar(string path, long size, long mtime, Span<byte> h)
    {
        var span = h;
        span.Clear();
        for (int i = 0; i < path.Length; i++)
        {
            h[i] = (byte)path[i];
        }

        Octal((long)EntryMode, span.Slice(100, 8));
        Octal(0, span.Slice(108, 8)); // uid
        Octal(0, span.Slice(116, 8)); // gid
        Octal(size, span.Slice(124, 12));

        Octal(mtime, span.Slice(136, 12));
        h[156] = (byte)'0';
        "ustar\0"u8.CopyTo(span[257..]);
        "00"u8.CopyTo(span[263..]);

        int checksum = 8 * ' ';
        foreach (var b in h)
        {
            checksum += b;
        }

        // Six octal digits, NUL, space.
        var field = span.Slice(148, 8);
        for (int i = 5; i >= 0; i--)
        {
            field[i] = (byte)('0' + (checksum & 7));
            checksum >>= 3;
        }

        field[6] = 0;
        field[7] = (byte)' ';
    }

    /// <summary>Right-aligned octal digits padded with '0', ending in NUL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Octal(long value, Span<byte> field)
    {
        for (int i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[^1] = 0;
    }

    private static byte[] WithTarWriter(string path, long size, DateTimeOffset modified)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            TarEntry entry = BackupArchiveWriter.FitsUstar(path)
                ? new UstarTarEntry(TarEntryType.RegularFile, path)
                : new PaxTarEntry(TarEntryType.RegularFile, path);
            entry.Mode = EntryMode;
            entry.ModificationTime = modified;
            entry.DataStream = new ZeroStream(size);
            writer.WriteEntry(entry);
            long headerLength = output.Length - size - Padding(size);
            return output.GetBuffer().AsSpan(0, (int)headerLength).ToArray();
        }
    }
}
