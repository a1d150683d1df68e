namespace Velero.Sdk.Archive;

/// <summary>
/// A set of 64-bit hashes in open-addressed tables (linear probing, at most three quarters full, removal by backward
/// shift): 11 to 21 bytes per entry, against 28 to 56 for a <see cref="HashSet{T}"/> of 128-bit values, for the sets a
/// backup keeps of every item (written paths, backed-up and claimed keys). The keys must already be uniformly distributed
/// (<see cref="KeyHash"/>). Not thread-safe.
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

    /// <summary>Adds a key; false if it was there.</summary>
    public bool Add(ulong key)
    {
        key = Normalize(key);
        ref var segment = ref _segments[SegmentOf(key)];
        segment ??= new Segment(_initialSize);
        if (!segment.Add(key))
        {
            return false;
        }

        Count++;
        return true;
    }

    public bool Contains(ulong key)
    {
        key = Normalize(key);
        return _segments[SegmentOf(key)] is { } segment && segment.Find(key) >= 0;
    }

    /// <summary>Removes a key; false if it was not there.</summary>
    public bool Remove(ulong key)
    {
        key = Normalize(key);
        if (_segments[SegmentOf(key)] is not { } segment || !segment.Remove(key))
        {
            return false;
        }

        Count--;
        return true;
    }

    private static int SegmentOf(ulong key) => (int)(key >> SegmentShift) & (SegmentCount - 1);

    // 0 marks an empty slot: a key of 0 is kept as 1 (the keys are hash bits, so this merges two of 2^64 values).
    private static ulong Normalize(ulong key) => key == 0 ? 1 : key;

    /// <summary>One open-addressed table: linear probing, at most three quarters full, removal by backward shift.</summary>
    private sealed class Segment(int size)
    {
        private int _count;

        public ulong[] Slots { get; private set; } = new ulong[size];

        private int Mask => Slots.Length - 1;

        public bool Add(ulong key)
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
                    return true;
                }

                if (slot == key)
                {
                    return false;
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

        public bool Remove(ulong key)
        {
            int i = Find(key);
            if (i < 0)
            {
                return false;
            }

            // Backward shift: move later keys of the probe run into the gap unless their home lies cyclically in (gap, them].
            var slots = Slots;
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
                    i = j;
                }
            }

            slots[i] = 0;
            _count--;
            return true;
        }

        private void Grow()
        {
            var old = Slots;
            var slots = new ulong[old.Length * 2];
            int mask = slots.Length - 1;
            foreach (var key in old)
            {
                if (key != 0)
                {
                    int i = (int)key & mask;
                    while (slots[i] != 0)
                    {
                        i = (i + 1) & mask;
                    }

                    slots[i] = key;
                }
            }

            Slots = slots;
        }
    }
}
