using System.Text;

namespace Velero.Sdk.Backup;

/// <summary>
/// A thread-safe set of <see cref="ItemKey"/>s kept compact for backups of hundreds of thousands of items: a key is held as
/// a 64-bit keyed hash of its parts (<see cref="Archive.KeyHash"/>; 12 to 24 bytes, against a few hundred for the strings),
/// in lock-striped open-addressed tables, with up to three marks per key in the same entry (membership, <see cref="Claimed"/>,
/// <see cref="Written"/>), so a backup keeps one table entry per item for its three questions about it. When <c>recordEntries</c> is set, the resource-list entries of the keys are also
/// kept, as UTF-8 in large shared chunks; or, given a spill stream, appended to it as they come (kind, added or removed,
/// entry) and read back one type at a time when <see cref="ResourceList"/>'s lists are read, so that a backup holds no
/// per-item entry while it runs and one type's entries while its resource list is written.
/// </summary>
internal sealed class ItemKeySet
{
    private const int Stripes = 16;
    private readonly Archive.CompactHashSet[] _sets = [.. Enumerable.Range(0, Stripes).Select(_ => new Archive.CompactHashSet())];
    private readonly Dictionary<string, EntryLog>? _entries;
    private readonly Stream? _spill;
    private readonly Dictionary<string, int> _spillKinds = new(StringComparer.Ordinal);
    private readonly List<string> _spillKindNames = [];
    private readonly List<int> _spillCounts = [];
    private int _count;

    public ItemKeySet(bool recordEntries = false, Stream? entrySpill = null)
    {
        _entries = recordEntries ? new Dictionary<string, EntryLog>(StringComparer.Ordinal) : null;
        _spill = recordEntries ? entrySpill : null;
    }

    /// <summary>A second mark a key can carry beside its membership: an item claimed by an item block.</summary>
    public const byte Claimed = 2;

    /// <summary>A third mark: an item written to the archive, under the key its written name gives.</summary>
    public const byte Written = 4;

    /// <summary>The mark of membership (<see cref="Add"/>, <see cref="Contains"/>, <see cref="Remove"/>): a backup's item backed up.</summary>
    public const byte Member = 1;

    /// <summary>The number of keys in the set (with <see cref="Add"/>'s mark; the other marks are not counted).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds a key; false if it was there.</summary>
    public bool Add(in ItemKey key)
    {
        if (!Mark(key, Member))
        {
            return false;
        }

        Interlocked.Increment(ref _count);
        if (_spill is not null)
        {
            Spill(key, added: true);
        }
        else if (_entries is not null)
        {
            lock (_entries)
            {
                if (!_entries.TryGetValue(key.ApiVersionKind, out var log))
                {
                    _entries[key.ApiVersionKind] = log = new EntryLog();
                }

                log.Append(key.ListEntry);
            }
        }

        return true;
    }

    public bool Contains(in ItemKey key) => Has(key, Member);

    /// <summary>Removes a key; false if it was not there. Its other marks stay.</summary>
    public bool Remove(in ItemKey key)
    {
        var hash = Hash(key);
        var set = StripeOf(hash);
        lock (set)
        {
            if (!set.Unmark(hash, Member))
            {
                return false;
            }
        }

        Interlocked.Decrement(ref _count);
        if (_spill is not null)
        {
            Spill(key, added: false);
        }
        else if (_entries is not null)
        {
            lock (_entries)
            {
                _entries[key.ApiVersionKind].Removed.Add(key.ListEntry);
            }
        }

        return true;
    }

    /// <summary>
    /// Gives a key another mark (<see cref="Claimed"/>, <see cref="Written"/>) in the same table entry as its membership;
    /// false if it had the mark. A key with only such marks is not in the set's <see cref="Count"/> or resource list.
    /// </summary>
    public bool Mark(in ItemKey key, byte mark)
    {
        var hash = Hash(key);
        var set = StripeOf(hash);
        lock (set)
        {
            return set.Mark(hash, mark);
        }
    }

    /// <summary>Whether a key has <paramref name="mark"/>.</summary>
    public bool Has(in ItemKey key, byte mark)
    {
        var hash = Hash(key);
        var set = StripeOf(hash);
        lock (set)
        {
            return (set.MarksOf(hash) & mark) != 0;
        }
    }

    /// <summary>
    /// The resource list: <c>apiVersion/Kind</c> → the sorted <c>ns/name</c> entries of the keys in the set. The lists read
    /// their entries from the set's UTF-8 chunks on demand (8 bytes per entry), so the list of a backup of hundreds of
    /// thousands of items is never held as strings.
    /// </summary>
    public SortedDictionary<string, IReadOnlyList<string>> ResourceList()
    {
        var map = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (_entries is null)
        {
            return map;
        }

        if (_spill is not null)
        {
            // Each type's list is read from the spill when it is enumerated, and only that type's entries: writing the
            // resource list holds one type's entries at a time, not the whole backup's.
            lock (_spillKinds)
            {
                long end = _spill.Position;
                for (int kind = 0; kind < _spillKindNames.Count; kind++)
                {
                    if (_spillCounts[kind] > 0)
                    {
                        map[_spillKindNames[kind]] = new SpilledEntryList(this, kind, end, _spillCounts[kind]);
                    }
                }
            }

            return map;
        }

        lock (_entries)
        {
            foreach (var (apiVersionKind, log) in _entries)
            {
                var list = log.Read();
                if (list.Count > 0)
                {
                    map[apiVersionKind] = list;
                }
            }
        }

        return map;
    }

    private void Spill(in ItemKey key, bool added)
    {
        lock (_spillKinds)
        {
            if (!_spillKinds.TryGetValue(key.ApiVersionKind, out var kind))
            {
                kind = _spillKindNames.Count;
                _spillKinds.Add(key.ApiVersionKind, kind);
                _spillKindNames.Add(key.ApiVersionKind);
                _spillCounts.Add(0);
            }

            _spillCounts[kind] += added ? 1 : -1;

            // As BinaryReader reads it back (ReadSpilled): 7-bit encoded kind, a boolean, a 7-bit encoded byte count, UTF-8.
            var entry = key.ListEntry;
            int bytes = Encoding.UTF8.GetByteCount(entry);
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(bytes + 11);
            try
            {
                int n = Write7Bit(buffer, 0, kind);
                buffer[n++] = added ? (byte)1 : (byte)0;
                n = Write7Bit(buffer, n, bytes);
                n += Encoding.UTF8.GetBytes(entry, buffer.AsSpan(n));
                _spill!.Write(buffer, 0, n);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>The entries of one type spilled before <paramref name="end"/>, those removed since left out, sorted.</summary>
    private IReadOnlyList<string> ReadSpilled(int kind, long end, int count)
    {
        // Entries go from the spill into the log as the UTF-8 they are: no string per entry.
        var log = new EntryLog();
        lock (_spillKinds)
        {
            long resume = _spill!.Position;
            _spill.Position = 0;
            using var reader = new BinaryReader(_spill, Encoding.UTF8, leaveOpen: true);
            var buffer = new byte[256];
            while (_spill.Position < end)
            {
                int recordKind = reader.Read7BitEncodedInt();
                bool added = reader.ReadBoolean();
                int length = reader.Read7BitEncodedInt();
                if (recordKind != kind)
                {
                    _spill.Seek(length, SeekOrigin.Current);
                    continue;
                }

                if (buffer.Length < length)
                {
                    buffer = new byte[Math.Max(length, buffer.Length * 2)];
                }

                _spill.ReadExactly(buffer, 0, length);
                if (added)
                {
                    log.AppendUtf8(buffer.AsSpan(0, length));
                }
                else
                {
                    log.Removed.Add(Encoding.UTF8.GetString(buffer, 0, length));
                }
            }

            _spill.Position = resume;
        }

        return log.Read(count);
    }

    private static int Write7Bit(byte[] buffer, int at, int value)
    {
        uint v = (uint)value;
        while (v >= 0x80)
        {
            buffer[at++] = (byte)(v | 0x80);
            v >>= 7;
        }

        buffer[at++] = (byte)v;
        return at;
    }

    private Archive.CompactHashSet StripeOf(ulong hash) => _sets[(int)(hash >> 60) & (Stripes - 1)];

    private static ulong Hash(in ItemKey key) => Archive.KeyHash.Of(key.ApiVersionKind, key.Namespace, key.Name);

    /// <summary>
    /// One type's resource-list entries, read from the spill when first used and held weakly afterwards (the upload enumerates
    /// each list once; a later use reads them again if the collector took them).
    /// </summary>
    private sealed class SpilledEntryList(ItemKeySet set, int kind, long end, int count) : Collections.IUtf8StringList
    {
        private readonly WeakReference<IReadOnlyList<string>?> _read = new(null);

        public int Count => count;

        public string this[int index] => Entries()[index];

        public IEnumerator<string> GetEnumerator() => Entries().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer) => ((Collections.IUtf8StringList)Entries()).WriteJsonValues(writer);

        private IReadOnlyList<string> Entries()
        {
            if (!_read.TryGetTarget(out var entries) || entries is null)
            {
                entries = set.ReadSpilled(kind, end, count);
                _read.SetTarget(entries);
            }

            return entries;
        }
    }

    /// <summary>The entries of one <c>apiVersion/Kind</c> in the order added, as UTF-8, and those removed since.</summary>
    private sealed class EntryLog
    {
        private readonly Collections.Utf8Log _log = new();

        public List<string> Removed { get; } = [];

        public void Append(string entry) => _log.Append(entry);

        public void AppendUtf8(ReadOnlySpan<byte> entry) => _log.AppendUtf8(entry);

        /// <summary>The entries not removed, sorted ordinally, each decoded when read; <paramref name="count"/> is how many are expected.</summary>
        public IReadOnlyList<string> Read(int count = 0)
        {
            var removed = Removed.Count == 0 ? null : new HashSet<string>(Removed, StringComparer.Ordinal);
            var positions = new List<long>(count);
            foreach (var position in _log.Positions())
            {
                if (removed is null || !removed.Remove(_log.GetString(position)))
                {
                    positions.Add(position);
                }
            }

            // Sorted where they are: no second array (for a type of 100,000 entries, 800 KB on the large-object heap).
            positions.Sort((a, b) => Collections.Utf8Log.CompareOrdinal(_log.Get(a), _log.Get(b)));
            return new EntryList(_log, positions);
        }

        private sealed class EntryList(Collections.Utf8Log log, List<long> positions) : Collections.IUtf8StringList
        {
            public int Count => positions.Count;

            public string this[int index] => log.GetString(positions[index]);

            public IEnumerator<string> GetEnumerator()
            {
                foreach (var p in positions)
                {
                    yield return log.GetString(p);
                }
            }

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

            public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer)
            {
                foreach (var p in positions)
                {
                    writer.WriteStringValue(log.Get(p));
                    Storage.SideFileJson.FlushWhenFull(writer);
                }
            }
        }
    }
}
