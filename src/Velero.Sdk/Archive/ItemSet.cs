using System.Buffers.Binary;
using System.Collections;
using System.Runtime.InteropServices;
using System.Text;
using Velero.Sdk.Collections;

namespace Velero.Sdk.Archive;

/// <summary>
/// The items of one group-resource in one layout (flat, or one version directory), by scope. Each item is a 20-byte record
/// (its place and size in the reader's data file, its name's position in the reader's name file); its name goes to the
/// name file as it is read. A directory's latest records wait in memory while the archive is read, and each time a
/// directory holds <see cref="StagedRecords"/> of them they go, in the order read, to the reader's record file: an index
/// holds a few KB per directory, however many items the archive has. When the set is sealed, each directory's records are
/// read back, sorted by name (its names read back for the sort) and written to the record file again, in order. The
/// <see cref="BackupArchiveItem"/> objects are made when asked for, so an open index of hundreds of thousands of items
/// holds no record, name, object or string per item.
/// </summary>
internal sealed class ItemSet(RecordFile file, NameFile nameFile, Func<int, long> reserveOrdinals, Func<string?, BackupArchiveItem.Scope> scopeOf)
{
    // The name's position in the name file; the top bit marks a file name that is the name plus ".json" (every item Velero
    // writes). While a directory is sorted, the position of its entry in the sort's own name log instead.
    private const long JsonFlag = long.MinValue;
    private static readonly StringComparer Ordinal = StringComparer.Ordinal;

    private readonly RecordFile _file = file;
    private readonly NameFile _nameFile = nameFile;
    private Builder? _clusterBuilder;
    private Dictionary<string, Builder>? _namespaceBuilders = new(Ordinal);
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
        var record = new Record(offset, _nameFile.Append(name) | (json ? JsonFlag : 0), checked((int)length));
        Builder scope;
        if (@namespace is null)
        {
            scope = _clusterBuilder ??= new();
        }
        else if (!_namespaceBuilders!.TryGetValue(@namespace, out scope!))
        {
            scope = new();
            _namespaceBuilders.Add(@namespace, scope);
        }

        scope.Latest.Add(record);
        if (scope.Latest.Count >= StagedRecords && scope.Latest.Count == scope.Latest.Capacity)
        {
            Stage(scope);
        }
    }

    /// <summary>
    /// How many of a directory's records wait in memory, at least, before they go to the record file while the archive is
    /// read: the list's chunks hold 508 records (10 KB) when they reach this.
    /// </summary>
    internal const int StagedRecords = 500;

    /// <summary>Writes a directory's records in memory to the record file, in order, and empties its list (keeping the chunks).</summary>
    private void Stage(Builder scope)
    {
        var latest = scope.Latest;
        (scope.Staged ??= []).Add((Append(latest, latest.Count), latest.Count));
        latest.Clear();
    }

    /// <summary>Appends the first <paramref name="count"/> of <paramref name="records"/> to the record file, in blocks from the pool; returns where they start.</summary>
    private long Append(ChunkedList<Record> records, int count)
    {
        long start = _file.Length;
        var block = System.Buffers.ArrayPool<Record>.Shared.Rent(Math.Clamp(count, 1, 1024));
        try
        {
            for (int at = 0; at < count; at += block.Length)
            {
                int n = Math.Min(block.Length, count - at);
                for (int i = 0; i < n; i++)
                {
                    block[i] = records[at + i];
                }

                _file.Append(MemoryMarshal.AsBytes(block.AsSpan(0, n)));
            }
        }
        finally
        {
            System.Buffers.ArrayPool<Record>.Shared.Return(block);
        }

        return start;
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

        var buffer = new byte[256];
        int lo = 0, hi = part.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            int length = _nameFile.Read(part.RecordAt(mid).Name & ~JsonFlag, ref buffer);
            int c = Utf8Log.CompareOrdinal(buffer.AsSpan(0, length), name);
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
            _clusterBuilder.Latest.Dispose();
        }

        SortedNamespaces = [.. _namespaceBuilders!.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).Order(Ordinal)];
        foreach (var ns in SortedNamespaces)
        {
            var part = Build(ns, _namespaceBuilders![ns], duplicate);
            _byNamespace[ns] = part;
            parts.Add(part);
        }

        foreach (var builder in _namespaceBuilders!.Values)
        {
            builder.Latest.Dispose(); // the records are in the record file now
        }

        All = parts.Count == 1 ? parts[0] : new Concatenation([.. parts]);
        _clusterBuilder = null;
        _namespaceBuilders = null;
    }

    private Part Build(string? @namespace, Builder builder, Action<BackupArchiveItem> duplicate)
    {
        if (builder.Staged is null)
        {
            return Build(@namespace, builder.Latest, duplicate);
        }

        // The directory's records staged in the record file, in the order read, then those still in memory: one directory's
        // records in memory for its sort.
        using var records = new ChunkedList<Record>();
        var block = new Record[1024];
        foreach (var (start, count) in builder.Staged)
        {
            for (int at = 0; at < count; at += block.Length)
            {
                int n = Math.Min(block.Length, count - at);
                _file.Read(start + ((long)at * RecordBytes), MemoryMarshal.AsBytes(block.AsSpan(0, n)));
                for (int i = 0; i < n; i++)
                {
                    records.Add(block[i]);
                }
            }
        }

        for (int i = 0; i < builder.Latest.Count; i++)
        {
            records.Add(builder.Latest[i]);
        }

        return Build(@namespace, records, duplicate);
    }

    private Part Build(string? @namespace, ChunkedList<Record> records, Action<BackupArchiveItem> duplicate)
    {
        // The directory's names, read back from the name file into a log of its own for the sort: each entry is the name's
        // position in the file (8 bytes) and then the name. The log is this directory's alone and dropped when it is sorted.
        int count = records.Count;
        var names = new Utf8Log();
        var buffer = new byte[256];
        var entry = new byte[264];
        for (int i = 0; i < count; i++)
        {
            ref var record = ref records[i];
            long position = record.Name & ~JsonFlag;
            int length = _nameFile.Read(position, ref buffer);
            if (entry.Length < length + 8)
            {
                entry = new byte[length + 8];
            }

            BinaryPrimitives.WriteInt64LittleEndian(entry, position);
            buffer.AsSpan(0, length).CopyTo(entry.AsSpan(8));
            record = record with { Name = names.AppendUtf8(entry.AsSpan(0, length + 8)) | (record.Name & JsonFlag) };
        }

        // By name, then in the order added (the sort's log is appended in that order): the last of equal names wins.
        // Sorted where the records are, with no second copy of the directory's records.
        records.Sort((a, b) =>
        {
            long x = a.Name & ~JsonFlag, y = b.Name & ~JsonFlag;
            int c = x == y ? 0 : Utf8Log.CompareOrdinal(names.Get(x)[8..], names.Get(y)[8..]);
            return c != 0 ? c : x.CompareTo(y);
        });

        // The kept records, pointing at their names in the name file again, go to the record file and leave memory.
        var scope = scopeOf(@namespace);
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            var record = records[i];
            var local = names.Get(record.Name & ~JsonFlag);
            if (i + 1 < count && local[8..].SequenceEqual(names.Get(records[i + 1].Name & ~JsonFlag)[8..]))
            {
                var later = records[i + 1];
                var laterName = Encoding.UTF8.GetString(names.Get(later.Name & ~JsonFlag)[8..]);
                duplicate(new(scope, laterName, json: (later.Name & JsonFlag) != 0, later.Offset, later.Length));
                continue;
            }

            records[kept++] = record with { Name = BinaryPrimitives.ReadInt64LittleEndian(local) | (record.Name & JsonFlag) };
        }

        return new Part(this, scope, Append(records, kept), kept, reserveOrdinals(kept));
    }

    private BackupArchiveItem Make(BackupArchiveItem.Scope scope, in Record record, long ordinal, ref byte[] buffer)
    {
        int length = _nameFile.Read(record.Name & ~JsonFlag, ref buffer);
        return new(scope, Encoding.UTF8.GetString(buffer, 0, length), json: (record.Name & JsonFlag) != 0, record.Offset, record.Length, ordinal);
    }

    /// <summary>An item in 20 bytes: its data's place in the reader's data file, its name's position, its size (the reader refuses entries past <see cref="Array.MaxLength"/>).</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
    private readonly record struct Record(long Offset, long Name, int Length);

    /// <summary>One directory's records while the archive is read: the latest in memory, the earlier ones staged in the record file.</summary>
    private sealed class Builder
    {
        public ChunkedList<Record> Latest { get; } = new();

        /// <summary>The staged runs (where in the record file, how many records), in the order read.</summary>
        public List<(long Start, int Count)>? Staged { get; set; }

        public int Count => Latest.Count + (Staged?.Sum(s => s.Count) ?? 0);
    }

    /// <summary>The bytes of one item's record (for tests).</summary>
    internal static int RecordBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<Record>();

    /// <summary>
    /// One directory's items: its sorted records in the record file (and their names in the name file), read back as asked
    /// for; the items' ordinals run from <paramref name="firstOrdinal"/>.
    /// </summary>
    private sealed class Part(ItemSet set, BackupArchiveItem.Scope scope, long start, int count, long firstOrdinal) : IReadOnlyList<BackupArchiveItem>
    {
        public Record RecordAt(int index)
        {
            Span<Record> one = stackalloc Record[1];
            set._file.Read(start + ((long)index * RecordBytes), MemoryMarshal.AsBytes(one));
            return one[0];
        }

        public int Count => count;

        public BackupArchiveItem this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                var buffer = new byte[256];
                return set.Make(scope, RecordAt(index), firstOrdinal + index, ref buffer);
            }
        }

        public IEnumerator<BackupArchiveItem> GetEnumerator()
        {
            var buffer = new byte[256];
            var block = new Record[Math.Clamp(count, 1, 1024)];
            for (int at = 0; at < count; at += block.Length)
            {
                int n = Math.Min(block.Length, count - at);
                set._file.Read(start + ((long)at * RecordBytes), MemoryMarshal.AsBytes(block.AsSpan(0, n)));
                for (int i = 0; i < n; i++)
                {
                    yield return set.Make(scope, block[i], firstOrdinal + at + i, ref buffer);
                }
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

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
