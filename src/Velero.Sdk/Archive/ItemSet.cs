using System.Collections;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Archive;

/// <summary>
/// The items of one group-resource in one layout (flat, or one version directory), by scope. Each item is a 20-byte record
/// (its place and size in the reader's data file, its name as UTF-8 in the reader's name log); the
/// <see cref="BackupArchiveItem"/> objects are made when asked for, so an index of hundreds of thousands of items holds no
/// object or string per item.
/// </summary>
internal sealed class ItemSet(Utf8Log names, Func<string?, BackupArchiveItem.Scope> scopeOf)
{
    // The name's position in the log; the top bit marks a file name that is the name plus ".json" (every item Velero writes).
    private const long JsonFlag = long.MinValue;
    private static readonly StringComparer Ordinal = StringComparer.Ordinal;

    private readonly Utf8Log _names = names;
    private ChunkedList<Record>? _clusterBuilder;
    private Dictionary<string, ChunkedList<Record>>? _namespaceBuilders = new(Ordinal);
    private Part? _cluster;
    private readonly Dictionary<string, Part> _byNamespace = new(Ordinal);

    public string[] SortedNamespaces { get; private set; } = [];

    /// <summary>Every item: cluster-scoped ones first, then by namespace; each group sorted by name.</summary>
    public IReadOnlyList<BackupArchiveItem> All { get; private set; } = [];

    /// <summary>Adds an item (while indexing). A later item of the same scope and name replaces an earlier one at <see cref="Seal"/>.</summary>
    public void Add(string? @namespace, string fileName, long offset, long length)
    {
        bool json = fileName.EndsWith(".json", StringComparison.Ordinal);
        var name = json ? fileName.AsSpan(0, fileName.Length - 5) : fileName.AsSpan();
        var record = new Record(offset, _names.Append(name) | (json ? JsonFlag : 0), checked((int)length));
        ChunkedList<Record> scope;
        if (@namespace is null)
        {
            scope = _clusterBuilder ??= new();
        }
        else if (!_namespaceBuilders!.TryGetValue(@namespace, out scope!))
        {
            scope = new();
            _namespaceBuilders.Add(@namespace, scope);
        }

        scope.Add(record);
    }

    /// <summary>The items of <paramref name="namespace"/> (<see langword="null"/>: cluster-scoped), sorted by name.</summary>
    public IReadOnlyList<BackupArchiveItem> Scope(string? @namespace) =>
        (@namespace is null ? _cluster : _byNamespace.GetValueOrDefault(@namespace)) ?? (IReadOnlyList<BackupArchiveItem>)[];

    public BackupArchiveItem? Find(string? @namespace, string name)
    {
        var part = @namespace is null ? _cluster : _byNamespace.GetValueOrDefault(@namespace);
        if (part is null)
        {
            return null;
        }

        int lo = 0, hi = part.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            int c = Utf8Log.CompareOrdinal(_names.Get(part.RecordAt(mid).Name & ~JsonFlag), name);
            if (c == 0)
            {
                return part[mid];
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return null;
    }

    /// <summary>
    /// Sorts each scope by name (ordinal, as Velero's directory listing returns them) and keeps the last of items with the
    /// same name, reporting each one replaced to <paramref name="duplicate"/>.
    /// </summary>
    public void Seal(Action<BackupArchiveItem> duplicate)
    {
        var parts = new List<Part>();
        if (_clusterBuilder is not null)
        {
            _cluster = Build(null, _clusterBuilder, duplicate);
            parts.Add(_cluster);
        }

        SortedNamespaces = [.. _namespaceBuilders!.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).Order(Ordinal)];
        foreach (var ns in SortedNamespaces)
        {
            var part = Build(ns, _namespaceBuilders![ns], duplicate);
            _byNamespace[ns] = part;
            parts.Add(part);
        }

        All = parts.Count == 1 ? parts[0] : new Concatenation([.. parts]);
        _clusterBuilder = null;
        _namespaceBuilders = null;
    }

    private Part Build(string? @namespace, ChunkedList<Record> records, Action<BackupArchiveItem> duplicate)
    {
        // By name, then in the order added (names are appended to the log in that order): the last of equal names wins.
        // Sorted where the records are: a sorted copy would leave the whole scope's records behind as garbage.
        records.Sort((a, b) =>
        {
            long x = a.Name & ~JsonFlag, y = b.Name & ~JsonFlag;
            int c = x == y ? 0 : Utf8Log.CompareOrdinal(_names.Get(x), _names.Get(y));
            return c != 0 ? c : x.CompareTo(y);
        });
        var scope = scopeOf(@namespace);
        int kept = 0;
        int count = records.Count;
        for (int i = 0; i < count; i++)
        {
            if (i + 1 < count && _names.Get(records[i].Name & ~JsonFlag).SequenceEqual(_names.Get(records[i + 1].Name & ~JsonFlag)))
            {
                duplicate(Make(scope, records[i + 1]));
                continue;
            }

            records[kept++] = records[i];
        }

        records.Truncate(kept);
        records.TrimExcess(); // a scope's last chunk holds up to 2,047 unused records otherwise
        return new Part(this, scope, records);
    }

    private BackupArchiveItem Make(BackupArchiveItem.Scope scope, in Record record) =>
        new(scope, _names.GetString(record.Name & ~JsonFlag), json: (record.Name & JsonFlag) != 0, record.Offset, record.Length, record.Name & ~JsonFlag);

    /// <summary>An item in 20 bytes: its data's place in the reader's data file, its name's position, its size (the reader refuses entries past <see cref="Array.MaxLength"/>).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Record(long Offset, long Name, int Length);

    /// <summary>The bytes of one item's record (for tests).</summary>
    internal static int RecordBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Record>();

    /// <summary>The sorted items of one scope, made on access.</summary>
    private sealed class Part(ItemSet set, BackupArchiveItem.Scope scope, ChunkedList<Record> records) : IReadOnlyList<BackupArchiveItem>
    {
        public ref Record RecordAt(int index) => ref records[index];

        public int Count => records.Count;

        public BackupArchiveItem this[int index] => set.Make(scope, records[index]);

        public IEnumerator<BackupArchiveItem> GetEnumerator()
        {
            for (int i = 0; i < records.Count; i++)
            {
                yield return set.Make(scope, records[i]);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>Scopes one after the other.</summary>
    private sealed class Concatenation(Part[] parts) : IReadOnlyList<BackupArchiveItem>
    {
        private readonly int[] _starts = Starts(parts);

        public int Count => _starts[^1];

        public BackupArchiveItem this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
                int p = Array.BinarySearch(_starts, index);
                p = p >= 0 ? p : ~p - 1; // no part is empty, so the starts are distinct
                return parts[p][index - _starts[p]];
            }
        }

        public IEnumerator<BackupArchiveItem> GetEnumerator() => parts.SelectMany(p => p).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static int[] Starts(Part[] parts)
        {
            var starts = new int[parts.Length + 1];
            for (int i = 0; i < parts.Length; i++)
            {
                starts[i + 1] = starts[i] + parts[i].Count;
            }

            return starts;
        }
    }
}
