using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Restore;

/// <summary>
/// The items a restore handled, in the order handled: a 16-byte record each (the name's position, kind and namespace as
/// indexes of tables of the few distinct values) and the name as UTF-8, each <see cref="RestoredItem"/> made when read.
/// Records and names beyond the last few thousand wait in temporary files (unlinked at once where the system allows, so
/// nothing is left behind; closed when the log is collected), so a restore's memory does not grow by them. Safe to add to
/// from several threads; a read sees the items added before it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The log is RestoreResult.Items, read after the restore for as long as the caller keeps the result; its unlinked spill files (records and names) are closed by the file handles' finalizers.")]
internal sealed class RestoredItemLog : IReadOnlyList<RestoredItem>
{
    // A spilled entry's name is in the name file; the others' are in the in-memory log, which holds the tail's names only.
    private const long FileFlag = 1L << 62;
    private readonly Lock _gate = new();
    private Utf8Log _names = new();
    private readonly NameFile _nameFile;
    private byte[] _scratch = new byte[256];
    private Entry[] _tail;
    private int _tailCount;
    private int _spilled; // records in the file, before those of the tail
    private readonly RecordFile _file; // made on the first spill
    private bool _spillFailed; // from then on, records stay in memory (those spilled before are still read from the file)
    private readonly List<(string ApiVersion, string Kind)> _kinds = [];
    private readonly Dictionary<(string ApiVersion, string Kind), int> _kindIndex = [];
    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, int> _namespaceIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<RestoredItemAction, int> _actions = [];
    private readonly string _tempDirectory;

    /// <param name="tempDirectory">Where the spill files are made (default: the system's temporary folder).</param>
    /// <param name="recordsInMemory">How many of the latest records (and their names) are held in memory before they are written out.</param>
    public RestoredItemLog(string? tempDirectory = null, int recordsInMemory = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsInMemory, 1);
        _tempDirectory = tempDirectory ?? Path.GetTempPath();
        string stem = Path.Combine(_tempDirectory, "velero-restored-items-" + Guid.NewGuid().ToString("N"));
        _file = new RecordFile(stem + ".bin");
        _nameFile = new NameFile(new RecordFile(stem + ".names"));
        _tail = new Entry[recordsInMemory];
    }

    /// <summary>How many records were written to the spill file (for tests).</summary>
    internal int SpilledRecords
    {
        get
        {
            lock (_gate)
            {
                return _spilled;
            }
        }
    }

    /// <summary>The bytes of names held in memory: the tail's (for tests).</summary>
    internal long NameBytesInMemory
    {
        get
        {
            lock (_gate)
            {
                return _names.Capacity;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spilled + _tailCount;
            }
        }
    }

    public RestoredItem this[int index]
    {
        get
        {
            lock (_gate)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _spilled + _tailCount);
                return Make(EntryAt(index));
            }
        }
    }

    /// <summary>Adds a handled item.</summary>
    public void Add(string apiVersion, string kind, string? @namespace, string name, RestoredItemAction action)
    {
        lock (_gate)
        {
            if (!_kindIndex.TryGetValue((apiVersion, kind), out var k))
            {
                if (_kinds.Count >= Entry.MaxKinds)
                {
                    throw new InvalidOperationException($"A restore handles at most {Entry.MaxKinds - 1:N0} kinds of items.");
                }

                _kindIndex[(apiVersion, kind)] = k = _kinds.Count;
                _kinds.Add((apiVersion, kind));
            }

            int ns = -1;
            if (@namespace is not null && !_namespaceIndex.TryGetValue(@namespace, out ns))
            {
                _namespaceIndex[@namespace] = ns = _namespaces.Count;
                _namespaces.Add(@namespace);
            }

            if (_tailCount == _tail.Length)
            {
                Spill();
            }

            _tail[_tailCount++] = new Entry(_names.Append(name), k, ns, action);
            _actions[action] = _actions.GetValueOrDefault(action) + 1;
        }
    }

    /// <summary>How many items were handled with <paramref name="action"/> (counted as added, no item made).</summary>
    public int CountOf(RestoredItemAction action)
    {
        lock (_gate)
        {
            return _actions.GetValueOrDefault(action);
        }
    }

    /// <summary>
    /// The restore's resource list: <c>apiVersion/Kind</c> → <c>ns/name(action)</c> entries sorted ordinally. The lists hold
    /// the items' positions only; each entry is composed when read.
    /// </summary>
    public Dictionary<string, IReadOnlyList<string>> ResourceList()
    {
        lock (_gate)
        {
            var counts = new int[_kinds.Count];
            Scan(e => counts[e.Kind]++);
            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (int k = 0; k < counts.Length; k++)
            {
                if (counts[k] > 0)
                {
                    result[_kinds[k].ApiVersion + "/" + _kinds[k].Kind] = new EntryList(this, k, counts[k]);
                }
            }

            return result;
        }
    }

    public IEnumerator<RestoredItem> GetEnumerator()
    {
        int count = Count;
        for (int i = 0; i < count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int CompareEntries(Entry x, ReadOnlySpan<byte> xName, Entry y, ReadOnlySpan<byte> yName)
    {
        if (!Ascii.IsValid(xName) || !Ascii.IsValid(yName))
        {
            return ResourceListEntry.Compare(Namespace(x), Encoding.UTF8.GetString(xName), x.Action, Namespace(y), Encoding.UTF8.GetString(yName), y.Action);
        }

        Span<char> xChars = xName.Length <= 256 ? stackalloc char[xName.Length] : new char[xName.Length];
        Span<char> yChars = yName.Length <= 256 ? stackalloc char[yName.Length] : new char[yName.Length];
        Ascii.ToUtf16(xName, xChars, out _);
        Ascii.ToUtf16(yName, yChars, out _);
        return ResourceListEntry.Compare(Namespace(x), xChars, x.Action, Namespace(y), yChars, y.Action);
    }

    /// <summary>Records whose names are in <paramref name="names"/>, in resource-list order.</summary>
    private Comparison<Entry> InListOrder(Utf8Log names) => (x, y) => CompareEntries(x, names.Get(x.Name), y, names.Get(y.Name));

    /// <summary>The bytes of one handled item's entry (for tests).</summary>
    internal static int EntryBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>();

    /// <summary>The name of record <paramref name="e"/>, from memory or the name file (under the gate; valid until the next call).</summary>
    private ReadOnlySpan<byte> NameOf(in Entry e)
    {
        if ((e.Name & FileFlag) == 0)
        {
            return _names.Get(e.Name);
        }

        int length = _nameFile.Read(e.Name & ~FileFlag, ref _scratch);
        return _scratch.AsSpan(0, length);
    }

    private RestoredItem Make(in Entry e)
    {
        var (apiVersion, kind) = _kinds[e.Kind];
        return new RestoredItem(apiVersion, kind, Namespace(e), Encoding.UTF8.GetString(NameOf(e)), e.Action);
    }

    /// <summary>The resource-list text of a record (<c>ns/name(action)</c>) whose name is <paramref name="name"/>.</summary>
    private string Text(Entry e, ReadOnlySpan<byte> name)
    {
        lock (_gate)
        {
            var (apiVersion, kind) = _kinds[e.Kind];
            return ResourceListEntry.Text(new RestoredItem(apiVersion, kind, Namespace(e), Encoding.UTF8.GetString(name), e.Action));
        }
    }

    private string? Namespace(in Entry e) => e.Namespace < 0 ? null : _namespaces[e.Namespace];

    /// <summary>
    /// A handled item in 16 bytes: its name's position, its namespace's index, and its kind's index (low 24 bits) with its
    /// action (high 8 bits).
    /// </summary>
    private readonly struct Entry
    {
        public const int MaxKinds = 1 << 24;
        private readonly long _name;
        private readonly int _namespace;
        private readonly int _kindAndAction;

        public Entry(long name, int kind, int @namespace, RestoredItemAction action)
        {
            _name = name;
            _namespace = @namespace;
            _kindAndAction = kind | ((int)(byte)action << 24);
        }

        public long Name => _name;

        public int Namespace => _namespace;

        public int Kind => _kindAndAction & (MaxKinds - 1);

        public RestoredItemAction Action => (RestoredItemAction)(byte)((uint)_kindAndAction >> 24);
    }

    /// <summary>
    /// The UTF-8 of the resource-list entry of record <paramref name="e"/> (<c>ns/name(action)</c>), whose name is
    /// <paramref name="name"/>, into <paramref name="buffer"/>, grown when short; returns its length.
    /// </summary>
    private int EntryUtf8(in Entry e, ReadOnlySpan<byte> name, ref byte[] buffer)
    {
        lock (_gate)
        {
            var ns = Namespace(e);
            var action = ResourceListEntry.ActionText(e.Action);
            int length = (ns is null ? 0 : Encoding.UTF8.GetByteCount(ns) + 1) + name.Length + action.Length + 2;
            if (buffer.Length < length)
            {
                buffer = new byte[Math.Max(length, buffer.Length * 2)];
            }

            int at = 0;
            if (ns is not null)
            {
                at += Encoding.UTF8.GetBytes(ns, buffer);
                buffer[at++] = (byte)'/';
            }

            name.CopyTo(buffer.AsSpan(at));
            at += name.Length;
            buffer[at++] = (byte)'(';
            at += Encoding.UTF8.GetBytes(action, buffer.AsSpan(at));
            buffer[at++] = (byte)')';
            return at;
        }
    }

    /// <summary>Record <paramref name="index"/>, from the tail or the spill file (under the gate).</summary>
    private Entry EntryAt(int index)
    {
        if (index >= _spilled)
        {
            return _tail[index - _spilled];
        }

        Span<Entry> one = stackalloc Entry[1];
        _file.Read((long)index * EntryBytes, MemoryMarshal.AsBytes(one));
        return one[0];
    }

    /// <summary>Every record in order, the spilled ones read back in blocks (under the gate).</summary>
    private void Scan(Action<Entry> visit)
    {
        if (_spilled > 0)
        {
            var block = new Entry[Math.Min(_spilled, 4096)];
            for (int at = 0; at < _spilled; at += block.Length)
            {
                int n = Math.Min(block.Length, _spilled - at);
                _file.Read((long)at * EntryBytes, MemoryMarshal.AsBytes(block.AsSpan(0, n)));
                for (int i = 0; i < n; i++)
                {
                    visit(block[i]);
                }
            }
        }

        for (int i = 0; i < _tailCount; i++)
        {
            visit(_tail[i]);
        }
    }

    /// <summary>
    /// The records of kind <paramref name="kind"/> (<paramref name="count"/> of them), sorted as the resource list is. Their
    /// names are read once into a log of this kind's alone for the sort, and the records returned point at them there.
    /// </summary>
    private (Entry[] Entries, Utf8Log Names) SortedOfKind(int kind, int count)
    {
        lock (_gate)
        {
            var entries = new Entry[count];
            var names = new Utf8Log();
            int filled = 0;
            Scan(e =>
            {
                if (e.Kind == kind && filled < count)
                {
                    entries[filled++] = new Entry(names.AppendUtf8(NameOf(e)), e.Kind, e.Namespace, e.Action);
                }
            });
            Array.Sort(entries, InListOrder(names));
            return (entries, names);
        }
    }

    /// <summary>
    /// How many of a type's records are sorted in memory at a time when its resource list is written: a type with more is
    /// sorted in runs of this many, written to a scratch file beside the spill files, and merged (8,192 records: about 130 KB
    /// of records and 200 KB of names, whatever the type's size).
    /// </summary>
    internal int SortRunLength { get; init; } = 8_192;

    /// <summary>How many sorted runs the last writing of a type's entries made (for tests; 1 when sorted in memory).</summary>
    internal int LastSortRuns { get; private set; }

    /// <summary>
    /// Gives the records of <paramref name="kind"/> (<paramref name="count"/> of them) to <paramref name="visit"/>, with
    /// their names, in resource-list order, holding at most <see cref="SortRunLength"/> of them in memory. Visits outside the gate.
    /// </summary>
    private void VisitSorted(int kind, int count, EntryVisitor visit)
    {
        FileStream? runs = null;
        if (count > SortRunLength)
        {
            try
            {
                runs = UnlinkedFile.Create(Path.Combine(_tempDirectory, "velero-restored-items-sort-" + Guid.NewGuid().ToString("N")), bufferSize: 1 << 16);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                runs = null; // sorted in memory instead, as a list this size was before
            }
        }

        if (runs is null)
        {
            var (entries, names) = SortedOfKind(kind, count);
            LastSortRuns = 1;
            foreach (var e in entries)
            {
                visit(e, names.Get(e.Name));
            }

            return;
        }

        using (runs)
        {
            var bounds = new List<(long Start, long End)>();
            lock (_gate)
            {
                var entries = new Entry[SortRunLength];
                var names = new Utf8Log();
                int held = 0;
                void WriteRun()
                {
                    Array.Sort(entries, 0, held, Comparer<Entry>.Create(InListOrder(names)));
                    long start = runs.Position;
                    Span<byte> head = stackalloc byte[9];
                    for (int i = 0; i < held; i++)
                    {
                        var name = names.Get(entries[i].Name);
                        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(head, entries[i].Namespace);
                        head[4] = (byte)entries[i].Action;
                        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(head[5..], name.Length);
                        runs.Write(head);
                        runs.Write(name);
                    }

                    bounds.Add((start, runs.Position));
                    names = new Utf8Log();
                    held = 0;
                }

                int taken = 0;
                Scan(e =>
                {
                    // The first count records of the kind: those the list was made for (later ones are in the next list).
                    if (e.Kind == kind && taken++ < count)
                    {
                        entries[held++] = new Entry(names.AppendUtf8(NameOf(e)), e.Kind, e.Namespace, e.Action);
                        if (held == entries.Length)
                        {
                            WriteRun();
                        }
                    }
                });
                if (held > 0)
                {
                    WriteRun();
                }

                runs.Flush();
            }

            LastSortRuns = bounds.Count;
            var queue = new PriorityQueue<RunReader, RunReader>(Comparer<RunReader>.Create((x, y) => CompareEntries(x.Current, x.Name, y.Current, y.Name)));
            foreach (var (start, end) in bounds)
            {
                var reader = new RunReader(runs, start, end, kind);
                if (reader.MoveNext())
                {
                    queue.Enqueue(reader, reader);
                }
            }

            while (queue.TryDequeue(out var reader, out _))
            {
                visit(reader.Current, reader.Name);
                if (reader.MoveNext())
                {
                    queue.Enqueue(reader, reader);
                }
            }
        }
    }

    private delegate void EntryVisitor(Entry entry, ReadOnlySpan<byte> name);

    /// <summary>One sorted run of a type's records in the scratch file (namespace, action, name length, name), read in blocks.</summary>
    private sealed class RunReader(Stream file, long start, long end, int kind)
    {
        private readonly RegionReader _region = new(file, start, end, "a sorted run of the restore's resource list");
        private byte[] _name = new byte[256];
        private int _length;

        public Entry Current { get; private set; }

        public ReadOnlySpan<byte> Name => _name.AsSpan(0, _length);

        public bool MoveNext()
        {
            if (_region.AtEnd)
            {
                return false;
            }

            Span<byte> head = stackalloc byte[9];
            _region.ReadExactly(head);
            int ns = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(head);
            var action = (RestoredItemAction)head[4];
            _length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(head[5..]);
            if (_name.Length < _length)
            {
                _name = new byte[Math.Max(_length, _name.Length * 2)];
            }

            _region.ReadExactly(_name.AsSpan(0, _length));
            Current = new Entry(0, kind, ns, action);
            return true;
        }
    }

    /// <summary>Writes the tail to the spill file; if the file cannot be made or written, records stay in memory instead.</summary>
    private void Spill()
    {
        if (!_spillFailed)
        {
            try
            {
                // The names first; then the records, pointing at them there. The in-memory names are then all unused.
                var spilled = new Entry[_tailCount];
                for (int i = 0; i < _tailCount; i++)
                {
                    var e = _tail[i];
                    spilled[i] = new Entry(_nameFile.Append(_names.Get(e.Name)) | FileFlag, e.Kind, e.Namespace, e.Action);
                }

                _nameFile.Flush();
                _file.Append(MemoryMarshal.AsBytes(spilled.AsSpan()));
                _spilled += _tailCount;
                _tailCount = 0;
                _names = new Utf8Log();
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Nothing is lost: from here on the records are kept in memory, as before there was a file.
                _spillFailed = true;
            }
        }

        Array.Resize(ref _tail, _tail.Length * 2);
    }

    /// <summary>One type's resource-list entries; sorted when written or read (not kept, so the lists of a large restore are not all held at once).</summary>
    private sealed class EntryList(RestoredItemLog log, int kind, int count) : IUtf8StringList
    {
        private (Entry[] Entries, Utf8Log Names)? _indexed; // kept only for reads by index

        /// <summary>Writes the entries as they come out of the sort: never more than a run of them in memory.</summary>
        public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer)
        {
            var buffer = new byte[256];
            if (_indexed is { } indexed)
            {
                foreach (var e in indexed.Entries)
                {
                    Write(e, indexed.Names.Get(e.Name));
                }

                return;
            }

            log.VisitSorted(kind, count, Write);

            void Write(Entry e, ReadOnlySpan<byte> name)
            {
                int length = log.EntryUtf8(e, name, ref buffer);
                writer.WriteStringValue(buffer.AsSpan(0, length));
                Storage.SideFileJson.FlushWhenFull(writer);
            }
        }

        public int Count => count;

        public string this[int index]
        {
            get
            {
                var (entries, names) = _indexed ??= log.SortedOfKind(kind, count);
                return log.Text(entries[index], names.Get(entries[index].Name));
            }
        }

        public IEnumerator<string> GetEnumerator()
        {
            var (entries, names) = _indexed ?? log.SortedOfKind(kind, count);
            foreach (var e in entries)
            {
                yield return log.Text(e, names.Get(e.Name));
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
