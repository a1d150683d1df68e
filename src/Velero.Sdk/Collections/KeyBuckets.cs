using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Velero.Sdk.Collections;

/// <summary>
/// A scratch file of 4 KiB key buckets shared by several <see cref="KeyBuckets"/> tables: it hands out bucket numbers
/// and reads and writes buckets at their places (positional I/O, safe from several threads at once). The file is private
/// and unlinked (<see cref="UnlinkedFile"/>); the system's page cache, not the process, holds what is read often.
/// </summary>
internal sealed class KeyBucketFile : IDisposable
{
    /// <summary>The size of a bucket in bytes: one page.</summary>
    public const int BucketBytes = 4096;

    private readonly FileStream _file;
    private readonly string _what;
    private int _buckets;

    /// <summary>Keeps buckets in <paramref name="file"/> (opened for reading and writing; closed by <see cref="Dispose"/>); <paramref name="what"/> names it in errors.</summary>
    public KeyBucketFile(FileStream file, string what)
    {
        _file = file;
        _what = what;
    }

    /// <summary>The number of buckets handed out.</summary>
    public int Buckets => Volatile.Read(ref _buckets);

    /// <summary>A new bucket's number (its place in the file is number × <see cref="BucketBytes"/>).</summary>
    public int Allocate() => Interlocked.Increment(ref _buckets) - 1;

    public void Read(int bucket, Span<ulong> into)
    {
        try
        {
            int read = RandomAccess.Read(Handle, MemoryMarshal.AsBytes(into), Offset(bucket));
            if (read != BucketBytes)
            {
                throw new IOException($"bucket {bucket} ends early ({read} of {BucketBytes} bytes)");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Failure("read", e);
        }
    }

    public void Write(int bucket, ReadOnlySpan<ulong> from)
    {
        try
        {
            RandomAccess.Write(Handle, MemoryMarshal.AsBytes(from), Offset(bucket));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw Failure("written", e);
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _file.Dispose();

    private SafeFileHandle Handle => _file.SafeFileHandle;

    private static long Offset(int bucket) => (long)bucket * BucketBytes;

    private VeleroException Failure(string done, Exception e) =>
        new(VeleroErrorCode.StorageFailure, $"{_what} could not be {done} ({_file.Name}): {e.Message}", e);
}

/// <summary>
/// A table of 60-bit keys, each with up to four bits of marks, kept in a <see cref="KeyBucketFile"/> by extendible hashing:
/// a directory in memory (4 bytes per bucket, or a few times that) maps the keys' top bits to 4 KiB buckets of up to 511
/// entries, and a full bucket splits in two. A lookup reads one bucket; <see cref="Apply"/> writes a batch of changes
/// sorted by key, reading and writing each bucket it touches once. Not thread-safe: one owner at a time.
/// </summary>
internal sealed class KeyBuckets
{
    /// <summary>The most entries a bucket holds (its first word is its header: entry count and depth).</summary>
    public const int Capacity = KeyBucketFile.BucketBytes / sizeof(ulong) - 1;

    private const ulong KeyBits = ~0xFUL;
    private const int MaxDepth = 24;
    private readonly KeyBucketFile _file;
    private readonly ulong[] _bucket = new ulong[KeyBucketFile.BucketBytes / sizeof(ulong)];
    private int[] _directory = [];
    private int _depth;

    public KeyBuckets(KeyBucketFile file) => _file = file;

    /// <summary>The buckets this table has (for tests).</summary>
    public int BucketCount { get; private set; }

    /// <summary>
    /// An entry: the key's low 60 bits above its marks (the key's top four bits are the caller's to keep: they are lost).
    /// An entry is never 0 while it has a mark.
    /// </summary>
    public static ulong Entry(ulong key, byte marks) => (key << 4) | (uint)(marks & 0xF);

    /// <summary>The marks of the key (its low 60 bits) in the table: 0 when it is not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte Find(ulong key)
    {
        if (BucketCount == 0)
        {
            return 0;
        }

        ulong wanted = key << 4;
        _file.Read(_directory[Slot(wanted)], _bucket);
        int at = IndexOf(_bucket, wanted);
        return at < 0 ? (byte)0 : (byte)(_bucket[at] & 0xF);
    }

    /// <summary>
    /// Sets the marks of many keys at once: each of <paramref name="entries"/> (from <see cref="Entry"/>, sorted ascending, one
    /// per key) replaces the key's marks, and an entry with no marks takes the key out.
    /// </summary>
    public void Apply(ReadOnlySpan<ulong> entries)
    {
        if (BucketCount == 0)
        {
            _directory = [_file.Allocate()];
            BucketCount = 1;
            _bucket.AsSpan().Clear();
            _file.Write(_directory[0], _bucket);
        }

        int loaded = -1;
        bool dirty = false;
        foreach (var entry in entries)
        {
            ulong key = entry & KeyBits;
            while (true)
            {
                int bucket = _directory[Slot(key)];
                if (bucket != loaded)
                {
                    if (dirty)
                    {
                        _file.Write(loaded, _bucket);
                    }

                    _file.Read(bucket, _bucket);
                    loaded = bucket;
                    dirty = false;
                }

                int count = Count(_bucket);
                int at = IndexOf(_bucket, key);
                if (at >= 0)
                {
                    if ((entry & 0xF) == 0)
                    {
                        // Out: the last entry takes its place.
                        _bucket[at] = _bucket[count];
                        _bucket[count] = 0;
                        SetCount(_bucket, count - 1);
                    }
                    else
                    {
                        _bucket[at] = entry;
                    }

                    dirty = true;
                    break;
                }

                if ((entry & 0xF) == 0)
                {
                    break;
                }

                if (count < Capacity)
                {
                    _bucket[count + 1] = entry;
                    SetCount(_bucket, count + 1);
                    dirty = true;
                    break;
                }

                Split(bucket);
                loaded = -1;
                dirty = false;
            }
        }

        if (dirty)
        {
            _file.Write(loaded, _bucket);
        }
    }

    /// <summary>Splits the full bucket in <see cref="_bucket"/> (number <paramref name="bucket"/>) by the next bit of its keys, and writes both halves.</summary>
    private void Split(int bucket)
    {
        int depth = Depth(_bucket);
        if (depth == MaxDepth)
        {
            // Keys spread evenly (hashes) never come near: 2^24 buckets hold billions of them.
            throw new InvalidOperationException("the key buckets' directory would exceed 2^24 slots: the keys are not spread evenly");
        }

        if (depth == _depth)
        {
            // The directory doubles: each slot becomes two with the same bucket.
            var doubled = new int[Math.Max(2, _directory.Length * 2)];
            for (int i = 0; i < doubled.Length; i++)
            {
                doubled[i] = _directory[i >> 1];
            }

            _directory = doubled;
            _depth++;
        }

        int sibling = _file.Allocate();
        BucketCount++;
        var high = ArrayPool<ulong>.Shared.Rent(_bucket.Length);
        try
        {
            var upper = high.AsSpan(0, _bucket.Length);
            upper.Clear();
            int count = Count(_bucket);
            int kept = 0;
            int moved = 0;
            ulong bit = 1UL << (63 - depth);
            for (int i = 1; i <= count; i++)
            {
                var entry = _bucket[i];
                if ((entry & bit) != 0)
                {
                    upper[++moved] = entry;
                }
                else
                {
                    _bucket[++kept] = entry;
                }
            }

            _bucket.AsSpan(kept + 1, count - kept).Clear();
            _bucket[0] = Header(kept, depth + 1);
            upper[0] = Header(moved, depth + 1);

            // The directory's slots of the bucket whose next bit is set go to the sibling.
            int shift = _depth - (depth + 1);
            for (int i = 0; i < _directory.Length; i++)
            {
                if (_directory[i] == bucket && ((i >> shift) & 1) != 0)
                {
                    _directory[i] = sibling;
                }
            }

            _file.Write(bucket, _bucket);
            _file.Write(sibling, upper);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(high);
        }
    }

    private int Slot(ulong key) => _depth == 0 ? 0 : (int)(key >> (64 - _depth));

    private static int Count(ulong[] bucket) => (int)(bucket[0] & 0xFFFF);

    private static int Depth(ulong[] bucket) => (int)((bucket[0] >> 16) & 0xFF);

    private static void SetCount(ulong[] bucket, int count) => bucket[0] = Header(count, Depth(bucket));

    private static ulong Header(int count, int depth) => (uint)count | ((ulong)(uint)depth << 16);

    /// <summary>The place of the entry whose key bits are <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int IndexOf(ulong[] bucket, ulong key)
    {
        int count = Count(bucket);
        var entries = bucket.AsSpan(1, count);
        int i = 0;
        if (Vector.IsHardwareAccelerated && count >= Vector<ulong>.Count)
        {
            var wanted = new Vector<ulong>(key);
            var mask = new Vector<ulong>(KeyBits);
            var words = MemoryMarshal.Cast<ulong, Vector<ulong>>(entries);
            for (int v = 0; v < words.Length; v++)
            {
                if (Vector.EqualsAny(words[v] & mask, wanted))
                {
                    for (int j = v * Vector<ulong>.Count; ; j++)
                    {
                        if ((entries[j] & KeyBits) == key)
                        {
                            return j + 1;
                        }
                    }
                }
            }

            i = words.Length * Vector<ulong>.Count;
        }

        for (; i < entries.Length; i++)
        {
            if ((entries[i] & KeyBits) == key)
            {
                return i + 1;
            }
        }

        return -1;
    }
}
