namespace Velero.Sdk.Collections;

/// <summary>A fixed number of bits, each set at most once, safe to set from several threads.</summary>
internal sealed class AtomicBitSet
{
    private readonly long[] _words;

    public AtomicBitSet(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        _words = new long[(length + 63) / 64];
    }

    /// <summary>The number of bits.</summary>
    public long Length { get; }

    /// <summary>Sets bit <paramref name="index"/>; true if this call set it, false if it was set already.</summary>
    public bool TrySet(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        long bit = 1L << (int)(index & 63);
        return (Interlocked.Or(ref _words[index >> 6], bit) & bit) == 0;
    }

    /// <summary>Whether bit <paramref name="index"/> is set.</summary>
    public bool IsSet(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return (Volatile.Read(ref _words[index >> 6]) & (1L << (int)(index & 63))) != 0;
    }
}
