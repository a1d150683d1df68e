using System.Collections;
using System.Text;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Restore;

/// <summary>
/// The items a restore handled, in the order handled: a 24-byte record each (name as UTF-8, kind and namespace as indexes
/// of tables of the few distinct values), each <see cref="RestoredItem"/> made when read. Safe to add to from several
/// threads; a read sees the items added before it.
/// </summary>
internal sealed class RestoredItemLog : IReadOnlyList<RestoredItem>
{
    // An entry whose name is the archive item's own refers to the archive reader's name log instead of copying the name.
    private const long SharedFlag = 1L << 62;
    private readonly Lock _gate = new();
    private readonly Utf8Log _names = new();
    private readonly Utf8Log? _shared;
    private readonly ChunkedList<Entry> _entries = new();
    private readonly List<(string ApiVersion, string Kind)> _kinds = [];
    private readonly Dictionary<(string ApiVersion, string Kind), int> _kindIndex = [];
    private readonly List<string> _namespaces = [];
    private readonly Dictionary<string, int> _namespaceIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<RestoredItemAction, int> _actions = [];

    /// <param name="sharedNames">The archive reader's name log (complete and read-only), which items' names are taken from.</param>
    public RestoredItemLog(Utf8Log? sharedNames = null) => _shared = sharedNames;

    /// <summary>How many names the log holds copies of (the others are the archive's; for tests).</summary>
    internal int CopiedNames { get; private set; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
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
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _entries.Count);
                var e = _entries[index];
                var (apiVersion, kind) = _kinds[e.Kind];
                return new RestoredItem(apiVersion, kind, e.Namespace < 0 ? null : _namespaces[e.Namespace], Encoding.UTF8.GetString(NameOf(e)), e.Action);
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

            _entries.Add(new Entry(position, k, ns, action));
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
            // Each type's positions go into an array of its exact size: no list grows (and leaves copies behind) per type.
            var counts = new int[_kinds.Count];
            for (int i = 0; i < _entries.Count; i++)
            {
                counts[_entries[i].Kind]++;
            }

            var groups = new int[_kinds.Count][];
            var filled = new int[_kinds.Count];
            for (int i = 0; i < _entries.Count; i++)
            {
                int k = _entries[i].Kind;
                (groups[k] ??= new int[counts[k]])[filled[k]++] = i;
            }

            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (int k = 0; k < groups.Length; k++)
            {
                if (groups[k] is not { } sorted)
                {
                    continue;
                }

                Array.Sort(sorted, CompareEntries);
                result[_kinds[k].ApiVersion + "/" + _kinds[k].Kind] = new EntryList(this, sorted);
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

    private int CompareEntries(int a, int b)
    {
        var x = _entries[a];
        var y = _entries[b];
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
    /// The UTF-8 of the resource-list entry of item <paramref name="index"/> (<c>ns/name(action)</c>) into
    /// <paramref name="buffer"/>, grown when short; returns its length.
    /// </summary>
    private int EntryUtf8(int index, ref byte[] buffer)
    {
        lock (_gate)
        {
            var e = _entries[index];
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

    private sealed class EntryList(RestoredItemLog log, int[] sorted) : IUtf8StringList
    {
        public void WriteJsonValues(System.Text.Json.Utf8JsonWriter writer)
        {
            var buffer = new byte[256];
            foreach (var i in sorted)
            {
                int length = log.EntryUtf8(i, ref buffer);
                writer.WriteStringValue(buffer.AsSpan(0, length));
                Storage.SideFileJson.FlushWhenFull(writer);
            }
        }

        public int Count => sorted.Length;

        public string this[int index] => ResourceListEntry.Text(log[sorted[index]]);

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var i in sorted)
            {
                yield return ResourceListEntry.Text(log[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
