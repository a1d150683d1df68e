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
            var groups = new List<int>[_kinds.Count];
            for (int i = 0; i < _entries.Count; i++)
            {
                (groups[_entries[i].Kind] ??= []).Add(i);
            }

            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (int k = 0; k < groups.Length; k++)
            {
                if (groups[k] is not { } group)
                {
                    continue;
                }

                var sorted = group.ToArray();
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

    private ReadOnlySpan<byte> NameOf(in Entry e) => (e.Name & SharedFlag) != 0 ? _shared!.Get(e.Name & ~SharedFlag) : _names.Get(e.Name);

    private string? Namespace(in Entry e) => e.Namespace < 0 ? null : _namespaces[e.Namespace];

    private readonly record struct Entry(long Name, int Kind, int Namespace, RestoredItemAction Action);

    private sealed class EntryList(RestoredItemLog log, int[] sorted) : IReadOnlyList<string>
    {
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
