namespace Velero.Sdk.Archive;

/// <summary>
/// A small pool of large byte arrays that keeps at most a fixed number of free arrays and sizes new ones to the request
/// (rounded up to a multiple of <see cref="Granularity"/>, not to a power of two). Unlike the shared array pool, which keeps
/// arrays per thread and per core and doubles sizes, what it holds is bounded and known: list pages and compression chunks
/// are large-object-heap arrays, and a backup's memory must not grow with the number of threads that touched them.
/// </summary>
internal sealed class BoundedBufferPool(int maxFree)
{
    public const int Granularity = 64 * 1024;

    private readonly object _gate = new();
    private readonly List<byte[]> _free = [];

    /// <summary>An array of at least <paramref name="minimumLength"/> bytes: the smallest free one that fits, or a new one.</summary>
    public byte[] Rent(int minimumLength)
    {
        lock (_gate)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
            {
                if (_free[i].Length >= minimumLength && (best < 0 || _free[i].Length < _free[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = _free[best];
                _free[best] = _free[^1];
                _free.RemoveAt(_free.Count - 1);
                return array;
            }
        }

        long rounded = ((long)Math.Max(1, minimumLength) + Granularity - 1) / Granularity * Granularity;
        return GC.AllocateUninitializedArray<byte>((int)Math.Min(rounded, Array.MaxLength));
    }

    /// <summary>Gives an array back; when the pool is full the smallest array (this one or a kept one) is left to the GC.</summary>
    public void Return(byte[] array)
    {
        lock (_gate)
        {
            if (_free.Count < maxFree)
            {
                _free.Add(array);
                return;
            }

            int smallest = 0;
            for (int i = 1; i < _free.Count; i++)
            {
                if (_free[i].Length < _free[smallest].Length)
                {
                    smallest = i;
                }
            }

            if (_free.Count > 0 && _free[smallest].Length < array.Length)
            {
                _free[smallest] = array;
            }
        }
    }
}
