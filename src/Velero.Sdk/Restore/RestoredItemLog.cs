using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Restore;

/// <summary>
/// The items a restore handled, in the order handled: a 16-byte record each (name as UTF-8, kind and namespace as indexes
/// of tables of the few distinct values), each <see cref="RestoredItem"/> made when read. Records beyond the last few
/// thousand wait in a temporary file (unlinked at once where the system allows, so nothing is left behind; closed when the
/// log is collected), so a restore's memory does not grow by them. Safe to add to from several threads; a read sees the
/// items added before it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The log is RestoreResult.Items, read after the restore for as long as the caller keeps the result; its unlinked spill file is closed by the file handle's finalizer.")]
internal sealed class RestoredItemLog : IReadOnlyList<RestoredItem>
{
    // An entry whose name is the archive item's own refers to the archive reader's name log instead of copying the name.
    private const long SharedFlag = 1L << 62;
    private readonly Lock _gate = new();
    private readonly Utf8Log _names = new();
    private readonly Utf8Log? _shared;
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

    /// <param name="sharedNames">The archive reader's name log (complete and read-only), which items' names are taken from.</param>
    /// <param name="tempDirectory">Where the spill file is made (default: the system's temporary folder).</param>
    /// <param name="recordsInMemory">How many of the latest records are held in memory before they are written out.</param>
    public RestoredItemLog(Utf8Log? sharedNames = null, string? tempDirectory = null, int recordsInMemory = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(recordsInMemory, 1);
        _shared = sharedNames;
        _file = new RecordFile(Path.Combine(tempDirectory ?? Path.GetTempPath(), "velero-restored-items-" + Guid.NewGuid().ToString("N") + ".bin"));
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

    /// <summary>How many names the log holds copies of (the others are the archive's; for tests).</summary>
    internal int CopiedNames { get; private set; }

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

    /// <summary>
    /// Adds a handled item. When <paramref name="source"/> is the archive item and <paramref name="name"/> its own name
    /// (the same string), the name is not copied: the entry points at it in the reader's name log.
    /// </summary>
    public void Add(string apiVersion, string kind, string? @namespace, string name, RestoredItemAction action, Archive.BackupArchiveItem? source = null)
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

            long position;
            if (_shared is not null && source is { NamePosition: >= 0 } && ReferenceEquals(name, source.Name))
            {
                position = source.NamePosition | SharedFlag;
            }
            else
            {
                position = _names.Append(name);
                CopiedNames++;
            }

            if (_tailCount == _tail.Length)
            {
                Spill();
            }

            _tail[_tailCount++] = new Entry(position, k, ns, action);
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

    private int CompareEntries(Entry x, Entry y)
    {
        var xName = NameOf(x);
        var yName = NameOf(y);
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

    /// <summary>The bytes of one handled item's entry (for tests).</summary>
    internal static int EntryBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Entry>();

    private ReadOnlySpan<byte> NameOf(in Entry e) => (e.Name & SharedFlag) != 0 ? _shared!.Get(e.Name & ~SharedFlag) : _names.Get(e.Name);

    private RestoredItem Make(in Entry e)
    {
        var (apiVersion, kind) = _kinds[e.Kind];
        return new RestoredItem(apiVersion, kind, Namespace(e), Encoding.UTF8.GetString(NameOf(e)), e.Action);
    }

    /// <summary>The resource-list text of a record (<c>ns/name(action)</c>).</summary>
    private string Text(Entry e)
    {
        lock (_gate)
        {
            return ResourceListEntry.Text(Make(e));
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
    /// The UTF-8 of the resource-list entry of record <paramref name="e"/> (<c>ns/name(action)</c>) into
    /// <paramref name="buffer"/>, grown when short; returns its length.
    /// </summary>
    private int EntryUtf8(in Entry e, ref byte[] buffer)
    {
        lock (_gate)
        {
            var name = NameOf(e);
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

    /// <summary>The records of kind <paramref name="kind"/> (<paramref name="count"/> of them), sorted as the resource list is.</summary>
    private Entry[] SortedOfKind(int kind, int count)
    {
        lock (_gate)
        {
            var entries = new Entry[count];
            int filled = 0;
            Scan(e =>
            {
                if (e.Kind == kind && filled < count)
                {
                    entries[filled++] = e;
                }
            });
            Array.Sort(entries, CompareEntries);
            return entries;
        }
    }

    /// <summary>Writes the tail to the spill file; if the file cannot be made or written, records stay in memory instead.</summary>
    private void Spill()
    {
        if (!_spillFailed)
        {
            try
            {
                _file.Append(MemoryMarshal.AsBytes(_tail.AsSpan(0, _tailCount)));
                _spilled += _tailCount;
                _tailCount = 0;
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
        private Entry[]? _indexed; // kept only for reads by index

        public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer)
        {
            var buffer = new byte[256];
            foreach (var e in _indexed ?? log.SortedOfKind(kind, count))
            {
                int length = log.EntryUtf8(e, ref buffer);
                writer.WriteStringValue(buffer.AsSpan(0, length));
                Storage.SideFileJson.FlushWhenFull(writer);
            }
        }

        public int Count => count;

        public string this[int index] => log.Text((_indexed ??= log.SortedOfKind(kind, count))[index]);

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var e in _indexed ?? log.SortedOfKind(kind, count))
            {
                yield return log.Text(e);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
