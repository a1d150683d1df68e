using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Velero.Sdk.Collections;

/// <summary>
/// An append-only list of values in chunks of native memory that double from 4 values up to at most 48 KiB and then stay
/// that size: growing never copies what is held nor leaves a discarded large array behind, as <see cref="List{T}"/> does at
/// every doubling, and a list of a few values stays a few values (an archive index keeps one per directory). The values are
/// outside the GC heap: an archive index holds hundreds of thousands of them while the archive is read and then lets them
/// all go, which on the GC heap left that much free but committed space in its oldest generation for the rest of a restore.
/// <see cref="Dispose"/> frees them (a finalizer does, if not). Not thread-safe.
/// </summary>
internal sealed class ChunkedList<T> : IDisposable
    where T : unmanaged
{
    private const int FirstLength = 4;

    // The largest chunk: a power of two of values within 48 KiB (at least 16 values).
    private static readonly int MaxLength = (int)Math.Max(16, BitOperations.RoundUpToPowerOf2((uint)(48 * 1024 / Unsafe.SizeOf<T>()) + 1) / 2);

    // Chunks 0 .. Growing-1 have 4, 8, ... MaxLength values; later ones MaxLength.
    private static readonly int Growing = BitOperations.Log2((uint)(MaxLength / FirstLength)) + 1;
    private static readonly int GrowingTotal = FirstLength * ((1 << Growing) - 1);

    private readonly List<nint> _chunks = [];
    private int _capacity;

    public int Count { get; private set; }

    /// <summary>How many values the chunks held now can take.</summary>
    public int Capacity => Math.Max(0, _capacity);

    /// <summary>Empties the list, keeping its chunks for the values added next.</summary>
    public void Clear()
    {
        ObjectDisposedException.ThrowIf(_capacity < 0, this);
        Count = 0;
    }

    public ref T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var (chunk, offset) = Locate(index);
            return ref Chunk(chunk)[offset];
        }
    }

    public void Add(in T value)
    {
        ObjectDisposedException.ThrowIf(_capacity < 0, this);
        if (Count == _capacity)
        {
            var length = LengthOf(_chunks.Count);
            _chunks.Add(Marshal.AllocHGlobal(length * Unsafe.SizeOf<T>()));
            _capacity += length;
        }

        var (chunk, offset) = Locate(Count);
        Chunk(chunk)[offset] = value;
        Count++;
    }

    /// <summary>
    /// Sorts the values where they are (a heap sort: no second array, where <see cref="ToArray"/> and a sort leave a copy of
    /// the whole list behind, on the large-object heap past 85 KB). Not stable: give a total order.
    /// </summary>
    public void Sort(Comparison<T> comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        for (int start = (Count / 2) - 1; start >= 0; start--)
        {
            SiftDown(start, Count, comparison);
        }

        for (int end = Count - 1; end > 0; end--)
        {
            (this[0], this[end]) = (this[end], this[0]);
            SiftDown(0, end, comparison);
        }
    }

    private static int LengthOf(int chunk) => chunk < Growing ? FirstLength << chunk : MaxLength;

    private void SiftDown(int root, int end, Comparison<T> comparison)
    {
        while (true)
        {
            int child = (2 * root) + 1;
            if (child >= end)
            {
                return;
            }

            if (child + 1 < end && comparison(this[child], this[child + 1]) < 0)
            {
                child++;
            }

            if (comparison(this[root], this[child]) >= 0)
            {
                return;
            }

            (this[root], this[child]) = (this[child], this[root]);
            root = child;
        }
    }

    /// <summary>The values in one array (of exactly <see cref="Count"/>).</summary>
    public T[] ToArray()
    {
        var array = new T[Count];
        int done = 0;
        for (int c = 0; done < Count; c++)
        {
            var chunk = Chunk(c);
            int n = Math.Min(chunk.Length, Count - done);
            chunk[..n].CopyTo(array.AsSpan(done));
            done += n;
        }

        return array;
    }

    /// <summary>Frees the values' memory; the list is empty and unusable afterwards.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~ChunkedList() => Free();

    private void Free()
    {
        foreach (var chunk in _chunks)
        {
            Marshal.FreeHGlobal(chunk);
        }

        _chunks.Clear();
        Count = 0;
        _capacity = -1;
    }

    private Span<T> Chunk(int chunk) =>
        MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<T>(), _chunks[chunk]), LengthOf(chunk));

    private static (int Chunk, int Offset) Locate(int index)
    {
        if (index < GrowingTotal)
        {
            int k = BitOperations.Log2((uint)((index / FirstLength) + 1));
            return (k, index - (FirstLength * ((1 << k) - 1)));
        }

        int rest = index - GrowingTotal;
        return (Growing + (rest / MaxLength), rest % MaxLength);
    }
}
