namespace Velero.Sdk.Collections;

/// <summary>
/// An append-only list of values in fixed chunks of at most 48 KiB (small-object heap): growing never copies what is held nor
/// leaves a discarded large array behind, as <see cref="List{T}"/> does at every doubling. Not thread-safe.
/// </summary>
internal sealed class ChunkedList<T>
    where T : struct
{
    private static readonly int ChunkLength = Math.Max(16, (48 * 1024) / Math.Max(1, System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
    private readonly List<T[]> _chunks = [];

    public int Count { get; private set; }

    public ref T this[int index] => ref _chunks[index / ChunkLength][index % ChunkLength];

    public void Add(in T value)
    {
        if (Count == _chunks.Count * ChunkLength)
        {
            _chunks.Add(new T[ChunkLength]);
        }

        _chunks[Count / ChunkLength][Count % ChunkLength] = value;
        Count++;
    }

    /// <summary>The values in one array (of exactly <see cref="Count"/>).</summary>
    public T[] ToArray()
    {
        var array = new T[Count];
        int done = 0;
        foreach (var chunk in _chunks)
        {
            int n = Math.Min(chunk.Length, Count - done);
            chunk.AsSpan(0, n).CopyTo(array.AsSpan(done));
            done += n;
        }

        return array;
    }
}
