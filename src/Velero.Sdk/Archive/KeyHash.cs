namespace Velero.Sdk.Archive;

/// <summary>
/// The 64-bit hash the backup's and restore's de-duplication sets keep of an item key or path: two 32-bit hashes of the
/// bytes under independent salts, with the process's random hash seed (so names chosen to collide cannot be computed in
/// advance), at a fraction of the cost of a cryptographic hash.
/// </summary>
internal static class KeyHash
{
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var high = default(HashCode);
        high.Add(0x5bd1e995);
        high.AddBytes(bytes);
        var low = default(HashCode);
        low.Add(0x27d4eb2d);
        low.AddBytes(bytes);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    /// <summary>The hash of a string's UTF-8 bytes.</summary>
    public static ulong Of(string text)
    {
        int max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = max > 1024 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        try
        {
            int n = System.Text.Encoding.UTF8.GetBytes(text, buffer);
            return Of(buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
