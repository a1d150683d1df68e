using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Velero.Sdk.Archive;

/// <summary>
/// The 64-bit hash the backup's and restore's de-duplication sets keep of an item key or path: XXH3 (64-bit) over the
/// parts' UTF-16 code units, each part framed by its length, under a seed drawn at random once per process. Two different
/// keys share a hash with probability about 2^-64 per pair (about 2.4e-9 for a whole backup of 300,000 items), and which
/// names would share one cannot be worked out in advance without the seed.
/// </summary>
/// <remarks>
/// Two 32-bit <see cref="HashCode"/> passes under different salts, used before, are not independent: keys that differ the
/// same way collide in both (about five pairs among 300,000 item keys), so a set of such hashes took distinct items for one.
/// </remarks>
internal static class KeyHash
{
    private const int StackLimit = 512;
    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    /// <summary>The hash of one text.</summary>
    public static ulong Of(string text) => Of(text, null, null);

    /// <summary>The hash of up to three texts, each framed by its length (so ("ab", "c") and ("a", "bc") differ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Of(string first, string? second, string? third)
    {
        int length = Framed(first) + Framed(second) + Framed(third);
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            int at = 0;
            Put(buffer, ref at, first);
            Put(buffer, ref at, second);
            Put(buffer, ref at, third);
            return XxHash3.HashToUInt64(buffer[..at], Seed);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int Framed(string? text) => 4 + ((text?.Length ?? 0) * 2);

    private static void Put(Span<byte> buffer, ref int at, string? text)
    {
        // A missing part is framed as length -1, so it differs from an empty one and parts cannot shift places.
        BitConverter.TryWriteBytes(buffer[at..], text?.Length ?? -1);
        if (text is null)
        {
            at += 4;
            return;
        }

        MemoryMarshal.AsBytes(text.AsSpan()).CopyTo(buffer[(at + 4)..]);
        at += 4 + (text.Length * 2);
    }
}
