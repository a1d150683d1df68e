namespace Velero.Sdk.Archive;

/// <summary>
/// A set of 64-bit hashes in one open-addressed array (linear probing, at most three quarters full, removal by backward
/// shift): 11 to 21 bytes per entry, against 28 to 56 for a <see cref="HashSet{T}"/> of 128-bit values, for the sets a
/// backup keeps of every item (written paths, backed-up and claimed keys). The keys must already be uniformly distributed
/// (<see cref="KeyHash"/>). Not thread-safe.
/// </summary>
internal sealed class CompactHashSet
{
    private ulong[] _slots;
    private int _mask;

    public CompactHashSet(int capacity = 256)
    {
        int size = 16;
        while (size * 3 / 4 < capacity)
        {
            size *= 2;
        }

        _slots = new ulong[size];
        _mask = size - 1;
    }

    public int Count { get; private set; }

    /// <summary>The number of slots (for tests and memory estimates).</summary>
    public int Capacity => _slots.Length;

    /// <summary>Adds a key; false if it was there.</summary>
    public bool Add(ulong key)
    {
        key = Normalize(key);
        if ((Count + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }

        int i = (int)key & _mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                _slots[i] = key;
                Count++;
                return true;
            }

            if (slot == key)
            {
                return false;
            }

            i = (i + 1) & _mask;
        }
    }

    public bool Contains(ulong key) => Find(Normalize(key)) >= 0;

    /// <summary>Removes a key; false if it was not there.</summary>
    public bool Remove(ulong key)
    {
        int i = Find(Normalize(key));
        if (i < 0)
        {
            return false;
        }

        // Backward shift: move later keys of the probe run into the gap unless their home lies cyclically in (gap, them].
        int j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            var slot = _slots[j];
            if (slot == 0)
            {
                break;
            }

            int home = (int)slot & _mask;
            bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays)
            {
                _slots[i] = slot;
                i = j;
            }
        }

        _slots[i] = 0;
        Count--;
        return true;
    }

    // 0 marks an empty slot: a key of 0 is kept as 1 (the keys are hash bits, so this merges two of 2^64 values).
    private static ulong Normalize(ulong key) => key == 0 ? 1 : key;

    private int Find(ulong key)
    {
        int i = (int)key & _mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == key)
            {
                return i;
            }

            if (slot == 0)
            {
                return -1;
            }

            i = (i + 1) & _mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new ulong[old.Length * 2];
        _mask = _slots.Length - 1;
        foreach (var key in old)
        {
            if (key != 0)
            {
                int i = (int)key & _mask;
                while (_slots[i] != 0)
                {
                    i = (i + 1) & _mask;
                }

                _slots[i] = key;
            }
        }
    }
}
