using System.Runtime.InteropServices;

namespace Velero.Sdk.Archive;

/// <summary>
/// The 64-bit hash the backup's and restore's de-duplication sets keep of an item key or path: two 32-bit hashes of the
/// text under independent salts, with the process's random hash seed (so names chosen to collide cannot be computed in
/// advance), at a fraction of the cost of a cryptographic hash.
/// </summary>
internal static class KeyHash
{
    /// <summary>The hash of one text.</summary>
    public static ulong Of(string text) => Of(text, null, null);

    /// <summary>The hash of up to three texts, each framed by its length (so ("ab", "c") and ("a", "bc") differ).</summary>
    public static ulong Of(string first, string? second, string? third)
    {
        var high = default(HashCode);
        high.Add(0x5bd1e995);
        var low = default(HashCode);
        low.Add(0x27d4eb2d);
        Add(ref high, ref low, first);
        Add(ref high, ref low, second);
        Add(ref high, ref low, third);
        return ((ulong)(uint)high.ToHashCode() << 32) | (uint)low.ToHashCode();
    }

    private static void Add(ref HashCode high, ref HashCode low, string? text)
    {
        if (text is null)
        {
            return;
        }

        var bytes = MemoryMarshal.AsBytes(text.AsSpan());
        high.Add(text.Length);
        high.AddBytes(bytes);
        low.Add(text.Length);
        low.AddBytes(bytes);
    }
}
