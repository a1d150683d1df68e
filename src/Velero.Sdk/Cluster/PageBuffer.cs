namespace Velero.Sdk.Cluster;

/// <summary>
/// A list page's bytes in a pooled array, shared by the items sliced from it and returned to the pool when the last of them
/// is done (<see cref="Release"/>), so list pages are not a fresh large-object allocation each.
/// </summary>
internal sealed class PageBuffer
{
    private const int MaxPooledLength = 1 << 26;

    // A list holds at most ResourceLister.MaxPooledPages at a time (the one being read, those the workers still hold), so
    // with one backup running the pool hands the same arrays round and the large-object heap sees no new ones.
    private static readonly Archive.BoundedBufferPool Pool = new(maxFree: 4);
    private int _references = 1;
    private Action? _returned;

    private PageBuffer(byte[] array, int length)
    {
        Array = array;
        Length = length;
    }

    /// <summary>The pooled array; only the first <see cref="Length"/> bytes are the page.</summary>
    public byte[] Array { get; }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    /// <summary>Adds <paramref name="count"/> holders (each calls <see cref="Release"/> once).</summary>
    public void AddReferences(int count) => Interlocked.Add(ref _references, count);

    /// <summary>Drops one holder; the last one returns the array to the pool (nothing may read it afterwards).</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Return(Array);
            _returned?.Invoke();
        }
    }

    /// <summary>Sets what runs once the array has gone back to the pool (the last <see cref="Release"/>).</summary>
    public void OnReturned(Action action) => _returned = action;

    /// <summary>
    /// Reads a whole body into a pooled array: of the announced length when known, else of <paramref name="expectedLength"/>
    /// (a page's byte budget with room to spare; a longer body doubles it).
    /// </summary>
    public static async Task<PageBuffer> ReadAsync(Stream body, long? announcedLength, int expectedLength, CancellationToken cancellationToken)
    {
        // One byte more than announced, so the end of the body is seen without growing.
        var buffer = Pool.Rent(announcedLength is >= 0 and < int.MaxValue ? (int)announcedLength.Value + 1 : Math.Max(expectedLength, 4096));
        int filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var bigger = Pool.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    Return(buffer);
                    buffer = bigger;
                }

                int read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch
        {
            Return(buffer);
            throw;
        }

        return new PageBuffer(buffer, filled);
    }

    private static void Return(byte[] array)
    {
        // Arrays larger than the pool keeps were allocated for the call alone: the GC takes them.
        if (array.Length <= MaxPooledLength)
        {
            Pool.Return(array);
        }
    }
}
