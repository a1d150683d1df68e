using System.Runtime.CompilerServices;

namespace Velero.Sdk.Archive;

/// <summary>
/// A set of 64-bit hashes in open-addressed tables (linear probing, at most three quarters full, removal by backward
/// shift), each key with up to eight marks: 12 to 24 bytes per key, against 28 to 56 for a <see cref="HashSet{T}"/> of
/// 128-bit values, for the tables a backup keeps of every item. One table answers several questions about a key (a backup's
/// item is claimed by a block, backed up, written) for the price of one entry. <see cref="Add"/>, <see cref="Contains"/>
/// and <see cref="Remove"/> use the first mark. The keys must already be uniformly distributed (<see cref="KeyHash"/>).
/// Not thread-safe.
/// </summary>
internal sealed class CompactHashSet
{
    // Keys are spread over 64 segments by six of their bits (above the low bits that pick slots, below the top bits that
    // pick an ItemKeySet stripe). Each segment is a small table that grows on its own: up to about 390,000 keys no array
    // exceeds 64 KiB, so growth never leaves a large array on the large-object heap, which only full collections reclaim.
    private const int SegmentShift = 50;
    private const int SegmentCount = 64;
    private readonly Segment?[] _segments = new Segment?[SegmentCount];
    private readonly int _initialSize;

    public CompactHashSet(int capacity = 256)
    {
        int perSegment = Math.Max(1, capacity / SegmentCount);
        int size = 8;
        while (size * 3 / 4 < perSegment)
        {
            size *= 2;
        }

        _initialSize = size;
    }

    public int Count { get; private set; }

    /// <summary>The number of slots (for tests and memory estimates).</summary>
    public int Capacity => _segments.Sum(s => s?.Slots.Length ?? 0);

    /// <summary>The size of the largest table in bytes (for tests: below 85,000 it is not a large object).</summary>
    public int LargestTableBytes => _segments.Max(s => s?.Slots.Length ?? 0) * sizeof(ulong);

    /// <summary>Adds a key (marks it with the first mark); false if it was there.</summary>
    public bool Add(ulong key) => Mark(key, 1);

    /// <summary>Whether the key is in the set (has the first mark).</summary>
    public bool Contains(ulong key) => (MarksOf(key) & 1) != 0;

    /// <summary>Removes a key (its first mark); false if it was not there.</summary>
    public bool Remove(ulong key) => Unmark(key, 1);

    /// <summary>The marks of a key: 0 when it has none.</summary>
    public byte MarksOf(ulong key)
    {
        key = Normalize(key);
        return _segments[SegmentOf(key)] is { } segment && segment.Find(key) is var i and >= 0 ? segment.Marks[i] : (byte)0;
    }

    /// <summary>Gives a key the marks in <paramref name="mark"/>; false if it had them all already.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Mark(ulong key, byte mark)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mark);
        key = Normalize(key);
        ref var segment = ref _segments[SegmentOf(key)];
        segment ??= new Segment(_initialSize);
        int i = segment.FindOrAdd(key, out bool added);
        if (added)
        {
            Count++;
        }

        byte before = segment.Marks[i];
        segment.Marks[i] = (byte)(before | mark);
        return (before & mark) != mark;
    }

    /// <summary>Takes the marks in <paramref name="mark"/> from a key, and the key out of the set when it has none left; false if it had none of them.</summary>
    public bool Unmark(ulong key, byte mark)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mark);
        key = Normalize(key);
        if (_segments[SegmentOf(key)] is not { } segment || segment.Find(key) is not (var i and >= 0) || (segment.Marks[i] & mark) == 0)
        {
            return false;
        }

        segment.Marks[i] &= (byte)~mark;
        if (segment.Marks[i] == 0)
        {
            segment.RemoveAt(i);
            Count--;
        }

        return true;
    }

    /// <summary>Copies every key and its marks (in no particular order); returns how many. The spans must hold <see cref="Count"/>.</summary>
    public int CopyTo(Span<ulong> keys, Span<byte> marks)
    {
        int n = 0;
        foreach (var segment in _segments)
        {
            if (segment is null)
            {
                continue;
            }

            var slots = segment.Slots;
            for (int i = 0; i < slots.Length; i++)
            {
                if (slots[i] != 0)
                {
                    keys[n] = slots[i];
                    marks[n++] = segment.Marks[i];
                }
            }
        }

        return n;
    }

    /// <summary>Takes every key out, keeping the tables' sizes (a set emptied and filled again over and over allocates once).</summary>
    public void Clear()
    {
        foreach (var segment in _segments)
        {
            segment?.Clear();
        }

        Count = 0;
    }

    private static int SegmentOf(ulong key) => (int)(key >> SegmentShift) & (SegmentCount - 1);

    // 0 marks an empty slot: a key of 0 is kept as 1 (the keys are hash bits, so this merges two of 2^64 values).
    private static ulong Normalize(ulong key) => key == 0 ? 1 : key;

    /// <summary>One open-addressed table: linear probing, at most three quarters full, removal by backward shift.</summary>
    private sealed class Segment(int size)
    {
        private int _count;

        public ulong[] Slots { get; private set; } = new ulong[size];

        public byte[] Marks { get; private set; } = new byte[size];

        private int Mask => Slots.Length - 1;

        /// <summary>The slot of <paramref name="key"/>, added (with no marks) if it was not there.</summary>
        public int FindOrAdd(ulong key, out bool added)
        {
            if ((_count + 1) * 4L > Slots.Length * 3L)
            {
                Grow();
            }

            var slots = Slots;
            int i = (int)key & Mask;
            while (true)
            {
                var slot = slots[i];
                if (slot == 0)
                {
                    slots[i] = key;
                    _count++;
                    added = true;
                    return i;
                }

                if (slot == key)
                {
                    added = false;
                    return i;
                }

                i = (i + 1) & Mask;
            }
        }

        public int Find(ulong key)
        {
            var slots = Slots;
            int i = (int)key & Mask;
            while (true)
            {
                var slot = slots[i];
                if (slot == key)
                {
                    return i;
                }

                if (slot == 0)
                {
                    return -1;
                }

                i = (i + 1) & Mask;
            }
        }

        public void Clear()
        {
            Array.Clear(Slots);
            Array.Clear(Marks);
            _count = 0;
        }

        public void RemoveAt(int i)
        {
            // Backward shift: move later keys of the probe run into the gap unless their home lies cyclically in (gap, them].
            var slots = Slots;
            var marks = Marks;
            int mask = Mask;
            int j = i;
            while (true)
            {
                j = (j + 1) & mask;
                var slot = slots[j];
                if (slot == 0)
                {
                    break;
                }

                int home = (int)slot & mask;
                bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
                if (!stays)
                {
                    slots[i] = slot;
                    marks[i] = marks[j];
                    i = j;
                }
            }

            slots[i] = 0;
            marks[i] = 0;
            _count--;
        }

        private void Grow()
        {
            var old = Slots;
            var oldMarks = Marks;
            var slots = new ulong[old.Length * 2];
            var marks = new byte[slots.Length];
            int mask = slots.Length - 1;
            for (int k = 0; k < old.Length; k++)
            {
                var key = old[k];
                if (key != 0)
                {
                    int i = (int)key & mask;
                    while (slots[i] != 0)
                    {
                        i = (i + 1) & mask;
                    }

                    slots[i] = key;
                    marks[i] = oldMarks[k];
                }
            }

            Slots = slots;
            Marks = marks;
        }
    }
}
