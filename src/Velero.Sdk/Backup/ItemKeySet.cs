using System.Text;

namespace Velero.Sdk.Backup;

/// <summary>
/// A thread-safe set of <see cref="ItemKey"/>s kept compact for backups of hundreds of thousands of items: a key is held as
/// a 64-bit keyed hash of its parts (<see cref="Archive.KeyHash"/>; 12 to 24 bytes, against a few hundred for the strings),
/// in lock-striped open-addressed tables, with up to three marks per key in the same entry (membership, <see cref="Claimed"/>,
/// <see cref="Written"/>), so a backup keeps one table entry per item for its three questions about it. Given a key file,
/// only each stripe's latest keys stay in memory and the rest wait in the file's buckets (<see cref="Collections.KeyBuckets"/>),
/// so the table does not grow in memory with the backup. When <c>recordEntries</c> is set, the resource-list entries of the keys are also
/// kept, as UTF-8 in large shared chunks; or, given a spill stream, appended to it as they come (kind, added or removed,
/// entry) and read back one type at a time when <see cref="ResourceList"/>'s lists are read, so that a backup holds no
/// per-item entry while it runs and one type's entries while its resource list is written.
/// </summary>
internal sealed class ItemKeySet
{
    private const int Stripes = 16;

    // With a key file, every key held in memory carries this mark too, so a key whose other marks are all taken stays
    // in memory (with none) until the next flush takes it out of the file as well.
    private const byte Held = 0x80;
    private readonly Stripe[] _stripes;
    private readonly Dictionary<string, EntryLog>? _entries;
    private readonly Stream? _spill;
    private readonly Dictionary<string, int> _spillKinds = new(StringComparer.Ordinal);
    private readonly List<string> _spillKindNames = [];
    private readonly List<int> _spillCounts = [];
    private int _count;

    /// <summary>
    /// A set with its entries recorded (<paramref name="recordEntries"/>), spilled to <paramref name="entrySpill"/> when
    /// given, and, given a <paramref name="keyFile"/>, its keys kept there beyond the latest <paramref name="memoryKeys"/>.
    /// </summary>
    public ItemKeySet(bool recordEntries = false, Stream? entrySpill = null, Collections.KeyBucketFile? keyFile = null, int memoryKeys = DefaultMemoryKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKeys, Stripes);
        _entries = recordEntries ? new Dictionary<string, EntryLog>(StringComparer.Ordinal) : null;
        _spill = recordEntries ? entrySpill : null;
        _stripes = [.. Enumerable.Range(0, Stripes).Select(_ => new Stripe(keyFile is null ? null : new Collections.KeyBuckets(keyFile), memoryKeys / Stripes))];
    }

    /// <summary>
    /// How many keys a set with a key file holds in memory at most, by default (32,768: about 0.7 MB of tables). Past
    /// that, each stripe's keys go to the file in one sorted batch, and a key not in memory is looked up there (one 4 KiB
    /// read, from the system's page cache).
    /// </summary>
    public const int DefaultMemoryKeys = 32_768;

    /// <summary>The keys held in memory now (for tests).</summary>
    internal int KeysInMemory => _stripes.Sum(s => s.Keys.Count);

    /// <summary>The buckets the key file holds for this set (for tests).</summary>
    internal int KeyFileBuckets => _stripes.Sum(s => s.File?.BucketCount ?? 0);

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
        var stripe = StripeOf(hash);
        lock (stripe)
        {
            if (!stripe.Unmark(hash, Member))
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
        var stripe = StripeOf(hash);
        lock (stripe)
        {
            return stripe.Mark(hash, mark);
        }
    }

    /// <summary>Whether a key has <paramref name="mark"/>.</summary>
    public bool Has(in ItemKey key, byte mark)
    {
        var hash = Hash(key);
        var stripe = StripeOf(hash);
        lock (stripe)
        {
            return (stripe.MarksOf(hash) & mark) != 0;
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

            // As BinaryReader reads it back (VisitSpilled): 7-bit encoded kind, a boolean, a 7-bit encoded byte count, UTF-8.
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

    /// <summary>
    /// How many entries of one type are sorted in memory at a time when its resource list is read from the spill: a type
    /// with more is sorted in runs of this many, written after the spill's end, and merged (8,192 entries: about 64 KB of
    /// positions and 200 KB of names, whatever the type's size).
    /// </summary>
    internal int SortRunLength { get; init; } = 8_192;

    /// <summary>How many sorted runs the last reading of a type's entries made (for tests).</summary>
    internal int LastSortRuns { get; private set; }

    /// <summary>
    /// Visits the entries of one type spilled before <paramref name="end"/>, sorted ordinally, those removed since left out
    /// (as many times as they were removed). Holds at most <see cref="SortRunLength"/> entries in memory.
    /// </summary>
    private void VisitSpilled(int kind, long end, Utf8Visitor visit)
    {
        lock (_spillKinds)
        {
            var spill = _spill!;
            long resume = spill.Position;
            long runsStart = spill.Length;
            long runsEnd = runsStart;
            var runs = new List<(long Start, long End)>();
            var removed = new Removals();
            var log = new Collections.Utf8Log();
            var positions = new long[SortRunLength];
            int held = 0;
            var order = new Utf8Order(log);
            try
            {
                spill.Position = 0;
                using (var reader = new BinaryReader(spill, Encoding.UTF8, leaveOpen: true))
                {
                    var buffer = new byte[256];
                    while (spill.Position < end)
                    {
                        int recordKind = reader.Read7BitEncodedInt();
                        bool added = reader.ReadBoolean();
                        int length = reader.Read7BitEncodedInt();
                        if (recordKind != kind)
                        {
                            spill.Seek(length, SeekOrigin.Current);
                            continue;
                        }

                        if (buffer.Length < length)
                        {
                            buffer = new byte[Math.Max(length, buffer.Length * 2)];
                        }

                        spill.ReadExactly(buffer, 0, length);
                        if (!added)
                        {
                            removed.Add(Encoding.UTF8.GetString(buffer, 0, length));
                            continue;
                        }

                        positions[held++] = log.AppendUtf8(buffer.AsSpan(0, length));
                        if (held == positions.Length)
                        {
                            // A full run: sorted, appended after the spill's end, and the reading goes on where it was.
                            Array.Sort(positions, 0, held, order);
                            long readAt = spill.Position;
                            spill.Position = runsEnd;
                            for (int i = 0; i < held; i++)
                            {
                                WriteEntry(spill, log.Get(positions[i]));
                            }

                            runs.Add((runsEnd, spill.Position));
                            runsEnd = spill.Position;
                            spill.Position = readAt;
                            log = new Collections.Utf8Log();
                            order = new Utf8Order(log);
                            held = 0;
                        }
                    }
                }

                Array.Sort(positions, 0, held, order);
                LastSortRuns = runs.Count + (held > 0 ? 1 : 0);
                if (runs.Count == 0)
                {
                    for (int i = 0; i < held; i++)
                    {
                        Emit(log.Get(positions[i]), removed, visit);
                    }

                    return;
                }

                spill.Flush();
                Merge(spill, runs, log, positions.AsSpan(0, held), removed, visit);
            }
            finally
            {
                if (spill.Length > runsStart)
                {
                    spill.SetLength(runsStart);
                }

                spill.Position = resume;
            }
        }
    }

    /// <summary>Merges the sorted runs written to <paramref name="spill"/> with the last run, still in memory.</summary>
    private static void Merge(Stream spill, List<(long Start, long End)> runs, Collections.Utf8Log lastLog, ReadOnlySpan<long> last, Removals removed, Utf8Visitor visit)
    {
        var readers = new List<RunReader>(runs.Count);
        foreach (var (start, end) in runs)
        {
            readers.Add(new RunReader(spill, start, end));
        }

        var queue = new PriorityQueue<RunReader, RunReader>(RunReaderOrder.Instance);
        foreach (var r in readers)
        {
            if (r.MoveNext())
            {
                queue.Enqueue(r, r);
            }
        }

        int next = 0;
        while (queue.Count > 0 || next < last.Length)
        {
            // The smallest of the runs' heads and the in-memory run's next entry.
            if (queue.Count == 0 || (next < last.Length && Collections.Utf8Log.CompareOrdinal(lastLog.Get(last[next]), queue.Peek().Current) <= 0))
            {
                Emit(lastLog.Get(last[next++]), removed, visit);
                continue;
            }

            var reader = queue.Dequeue();
            Emit(reader.Current, removed, visit);
            if (reader.MoveNext())
            {
                queue.Enqueue(reader, reader);
            }
        }
    }

    private static void Emit(ReadOnlySpan<byte> entry, Removals removed, Utf8Visitor visit)
    {
        if (removed.IsEmpty || !removed.Take(Encoding.UTF8.GetString(entry)))
        {
            visit(entry);
        }
    }

    private static void WriteEntry(Stream stream, ReadOnlySpan<byte> entry)
    {
        Span<byte> prefix = stackalloc byte[5];
        stream.Write(prefix[..Write7Bit(prefix, 0, entry.Length)]);
        stream.Write(entry);
    }

    /// <summary>
    /// Entries removed from the set, each with how many times: each removal takes one addition of the same entry out of a
    /// resource list (a key can be added, removed and added again).
    /// </summary>
    private sealed class Removals
    {
        private Dictionary<string, int>? _times;

        public bool IsEmpty => _times is null || _times.Count == 0;

        public void Add(string entry)
        {
            _times ??= new Dictionary<string, int>(StringComparer.Ordinal);
            _times[entry] = _times.GetValueOrDefault(entry) + 1;
        }

        /// <summary>True (and one removal used up) when <paramref name="entry"/> has a removal left.</summary>
        public bool Take(string entry)
        {
            if (_times is null || !_times.TryGetValue(entry, out var times))
            {
                return false;
            }

            if (times == 1)
            {
                _times.Remove(entry);
            }
            else
            {
                _times[entry] = times - 1;
            }

            return true;
        }
    }

    /// <summary>What a sorted type's entries are given to, one at a time, as UTF-8.</summary>
    private delegate void Utf8Visitor(ReadOnlySpan<byte> entry);

    /// <summary>Positions in a <see cref="Collections.Utf8Log"/>, in the ordinal order of the strings there.</summary>
    private sealed class Utf8Order(Collections.Utf8Log log) : IComparer<long>
    {
        public int Compare(long x, long y) => Collections.Utf8Log.CompareOrdinal(log.Get(x), log.Get(y));
    }

    /// <summary>One sorted run in the spill, read through a small buffer of its own.</summary>
    private sealed class RunReader(Stream spill, long start, long end)
    {
        private readonly Collections.RegionReader _region = new(spill, start, end, "a sorted run of the resource-list spill");
        private byte[] _current = new byte[256];
        private int _length;

        public ReadOnlySpan<byte> Current => _current.AsSpan(0, _length);

        public bool MoveNext()
        {
            if (_region.AtEnd)
            {
                return false;
            }

            int length = 0;
            int shift = 0;
            while (true)
            {
                byte b = _region.ReadByte();
                length |= (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80)
                {
                    break;
                }
            }

            if (_current.Length < length)
            {
                _current = new byte[Math.Max(length, _current.Length * 2)];
            }

            _region.ReadExactly(_current.AsSpan(0, length));
            _length = length;
            return true;
        }
    }

    /// <summary>Run readers by their current entry, in ordinal order.</summary>
    private sealed class RunReaderOrder : IComparer<RunReader>
    {
        public static readonly RunReaderOrder Instance = new();

        public int Compare(RunReader? x, RunReader? y) => Collections.Utf8Log.CompareOrdinal(x!.Current, y!.Current);
    }

    private static int Write7Bit(Span<byte> buffer, int at, int value)
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

    private Stripe StripeOf(ulong hash) => _stripes[(int)(hash >> 60) & (Stripes - 1)];

    // 0 is kept as 1, as the in-memory table does, so that the memory and the key file agree on every key.
    private static ulong Hash(in ItemKey key) => Archive.KeyHash.Of(key.ApiVersionKind, key.Namespace, key.Name) is var h and not 0 ? h : 1;

    /// <summary>
    /// One lock stripe: the keys whose top four bits are its number. Without a key file they are all in <see cref="Keys"/>;
    /// with one, <see cref="Keys"/> holds the latest (each with <see cref="Held"/> and its marks in full, a key read from the
    /// file taking its marks along) and the file holds the rest, the stripe's number standing for the key bits it drops.
    /// Callers hold the stripe's lock.
    /// </summary>
    private sealed class Stripe(Collections.KeyBuckets? file, int memoryKeys)
    {
        public Archive.CompactHashSet Keys { get; } = new();

        public Collections.KeyBuckets? File => file;

        public byte MarksOf(ulong hash)
        {
            byte held = Keys.MarksOf(hash);
            return file is null || held != 0 ? held : file.Find(hash);
        }

        public bool Mark(ulong hash, byte mark)
        {
            if (file is null || Keys.MarksOf(hash) != 0)
            {
                return Keys.Mark(hash, mark);
            }

            byte stored = file.Find(hash);
            Hold(hash, (byte)(stored | mark));
            return (stored & mark) != mark;
        }

        public bool Unmark(ulong hash, byte mark)
        {
            if (file is null || Keys.MarksOf(hash) != 0)
            {
                return Keys.Unmark(hash, mark);
            }

            byte stored = file.Find(hash);
            if ((stored & mark) == 0)
            {
                return false;
            }

            Hold(hash, (byte)(stored & ~mark));
            return true;
        }

        private void Hold(ulong hash, byte marks)
        {
            Keys.Mark(hash, (byte)(Held | marks));
            if (Keys.Count >= memoryKeys)
            {
                Flush();
            }
        }

        /// <summary>Writes the keys in memory to the file in key order (a key with no marks left is taken out of it) and empties the memory.</summary>
        private void Flush()
        {
            int count = Keys.Count;
            var keys = System.Buffers.ArrayPool<ulong>.Shared.Rent(count);
            var marks = System.Buffers.ArrayPool<byte>.Shared.Rent(count);
            try
            {
                int n = Keys.CopyTo(keys, marks);
                for (int i = 0; i < n; i++)
                {
                    keys[i] = Collections.KeyBuckets.Entry(keys[i], (byte)(marks[i] & ~Held));
                }

                Array.Sort(keys, 0, n);
                file!.Apply(keys.AsSpan(0, n));
                Keys.Clear();
            }
            finally
            {
                System.Buffers.ArrayPool<ulong>.Shared.Return(keys);
                System.Buffers.ArrayPool<byte>.Shared.Return(marks);
            }
        }
    }

    /// <summary>
    /// One type's resource-list entries, read from the spill when first used and held weakly afterwards (the upload enumerates
    /// each list once; a later use reads them again if the collector took them).
    /// </summary>
    private sealed class SpilledEntryList(ItemKeySet set, int kind, long end, int count) : Collections.IUtf8StringList
    {
        private readonly WeakReference<List<string>?> _read = new(null);

        public int Count => count;

        public string this[int index] => Entries()[index];

        public IEnumerator<string> GetEnumerator() => Entries().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Writes the entries as they come out of the sort: never more than a run of them in memory.</summary>
        public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer) => set.VisitSpilled(kind, end, entry =>
        {
            writer.WriteStringValue(entry);
            Storage.SideFileJson.FlushWhenFull(writer);
        });

        private List<string> Entries()
        {
            if (!_read.TryGetTarget(out var entries) || entries is null)
            {
                var read = new List<string>(count);
                set.VisitSpilled(kind, end, entry => read.Add(Encoding.UTF8.GetString(entry)));
                _read.SetTarget(entries = read);
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

        /// <summary>The entries not removed (each removal takes one addition), sorted ordinally, each decoded when read.</summary>
        public IReadOnlyList<string> Read()
        {
            var removed = new Removals();
            foreach (var entry in Removed)
            {
                removed.Add(entry);
            }

            var positions = new List<long>();
            foreach (var position in _log.Positions())
            {
                if (removed.IsEmpty || !removed.Take(_log.GetString(position)))
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
