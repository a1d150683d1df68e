using System.Text.Json.Nodes;
using Velero.Sdk.Testing.Discovery;

namespace Velero.Sdk.Testing.Storage;

/// <summary>What a mutation decided, under the store lock.</summary>
internal enum MutationKind
{
    /// <summary>Leave the object as it is.</summary>
    None,

    /// <summary>Store <see cref="Mutation.Object"/> (create or replace).</summary>
    Put,

    /// <summary>Remove the object.</summary>
    Delete,
}

/// <summary>The outcome of a mutation function.</summary>
internal readonly record struct Mutation(MutationKind Kind, JsonObject? Object = null, PreparedObject? Prepared = null)
{
    public static Mutation None => new(MutationKind.None);

    public static Mutation Put(JsonObject obj) => new(MutationKind.Put, obj);

    /// <summary>Store an object serialized before the lock was taken (a create: its resourceVersion slot is filled in).</summary>
    public static Mutation Put(PreparedObject prepared) => new(MutationKind.Put, null, prepared);

    public static Mutation Delete => new(MutationKind.Delete);

    /// <summary>Remove the object, whose last version is <paramref name="last"/> (an update that cleared the last finalizer).</summary>
    public static Mutation DeleteAs(JsonObject last) => new(MutationKind.Delete, last);
}

/// <summary>A committed change, as watches see it.</summary>
internal sealed record WatchEvent(long ResourceVersion, string Type, string StorageKey, StoredObject Object, StoredObject? Previous);

/// <summary>One page of a list.</summary>
internal sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? ContinueStart, long? RemainingItemCount);

/// <summary>
/// The object store: every object of every resource, one global resourceVersion counter, and a bounded event
/// history that watches and consistent continue pages replay from. One lock guards writes and the short
/// critical sections of reads; response bodies are written outside it from cached bytes.
/// </summary>
internal sealed class ObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ResourceTable> _tables = new(StringComparer.Ordinal);
    private readonly List<WatchEvent> _history = [];
    private readonly List<Watcher> _watchers = [];
    private readonly Dictionary<string, Action<WatchEvent>> _observers = new(StringComparer.Ordinal);
    private readonly int _historyLimit;
    private int _historyHead;
    private long _rv;
    private long _compactedRv;

    public ObjectStore(int historyLimit, long initialResourceVersion)
    {
        _historyLimit = Math.Max(1, historyLimit);
        _rv = initialResourceVersion;
        _compactedRv = initialResourceVersion;
    }

    public long CurrentResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _rv;
            }
        }
    }

    /// <summary>The newest resourceVersion that history no longer covers.</summary>
    public long CompactedResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _compactedRv;
            }
        }
    }

    public StoredObject? Get(string storageKey, string key)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(storageKey, out var t) && t.Items.TryGetValue(key, out var o) ? o : null;
        }
    }

    public int Count(string storageKey)
    {
        lock (_gate)
        {
            return _tables.TryGetValue(storageKey, out var t) ? t.Items.Count : 0;
        }
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the current version of one object under the store lock and commits
    /// what it returns. The returned object is the stored version (for a delete: the last version, with the
    /// deletion's resourceVersion), or the current one for <see cref="MutationKind.None"/>.
    /// </summary>
    public StoredObject? Mutate(ResourceType type, string ns, string name, Func<StoredObject?, Mutation> decide, bool dryRun)
    {
        var key = StoredObject.KeyOf(ns, name);
        lock (_gate)
        {
            var table = Table(type.StorageKey);
            table.Items.TryGetValue(key, out var current);
            var m = decide(current);
            switch (m.Kind)
            {
                case MutationKind.Put:
                    {
                        var rv = dryRun ? (current?.ResourceVersion ?? 0) : _rv + 1;
                        var prepared = m.Prepared ?? PreparedObject.Prepare(m.Object!, type.IsCustom, withResourceVersion: !dryRun || current is not null);
                        var stored = prepared.Complete(rv);
                        if (dryRun)
                        {
                            return stored;
                        }

                        _rv = rv;
                        table.Items[key] = stored;
                        table.LastChange = rv;
                        if (current is null)
                        {
                            table.Sorted = null;
                        }

                        Emit(new WatchEvent(rv, current is null ? "ADDED" : "MODIFIED", type.StorageKey, stored, current));
                        return stored;
                    }

                case MutationKind.Delete:
                    {
                        if (current is null)
                        {
                            return null;
                        }

                        if (dryRun)
                        {
                            return current;
                        }

                        var rv = _rv + 1;
                        var stored = m.Object is { } last
                            ? PreparedObject.Prepare(last, type.IsCustom, withResourceVersion: true).Complete(rv)
                            : current.WithResourceVersion(rv);
                        _rv = rv;
                        table.Items.Remove(key);
                        table.Sorted = null;
                        table.LastChange = rv;
                        Emit(new WatchEvent(rv, "DELETED", type.StorageKey, stored, current));
                        return stored;
                    }

                default:
                    return current;
            }
        }
    }

    /// <summary>Every stored object of one resource, in no particular order (no sorting: for scans that need no order).</summary>
    public StoredObject[] Unordered(string storageKey)
    {
        lock (_gate)
        {
            return [.. Table(storageKey).Items.Values];
        }
    }

    /// <summary>Every stored object of one resource (optionally one namespace), in key order.</summary>
    public IReadOnlyList<StoredObject> Snapshot(string storageKey, string? ns)
    {
        lock (_gate)
        {
            var sorted = Sorted(Table(storageKey));
            var (from, to) = Range(sorted, ns);
            return sorted[from..to];
        }
    }

    /// <summary>Lists one page. <paramref name="snapshotRv"/> asks for the state at that resourceVersion (a continue page).</summary>
    public ListPage List(string storageKey, string? ns, string? startAfterKey, long? snapshotRv, int limit, Func<StoredObject, bool>? predicate)
    {
        lock (_gate)
        {
            if (snapshotRv is { } srv && srv < _compactedRv)
            {
                throw new SnapshotExpiredException(srv, _compactedRv);
            }

            var table = Table(storageKey);
            StoredObject[] sorted;
            if (snapshotRv is { } at && table.LastChange > at)
            {
                sorted = Reconstruct(storageKey, table, at);
            }
            else
            {
                sorted = Sorted(table);
            }

            var (from, to) = Range(sorted, ns);
            if (startAfterKey is not null)
            {
                var lo = from;
                var hi = to;
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    if (string.CompareOrdinal(sorted[mid].Key, startAfterKey) <= 0)
                    {
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                from = lo;
            }

            var items = new List<StoredObject>(Math.Min(limit, to - from));
            var i = from;
            for (; i < to && items.Count < limit; i++)
            {
                if (predicate is null || predicate(sorted[i]))
                {
                    items.Add(sorted[i]);
                }
            }

            string? next = null;
            long? remaining = null;
            if (i < to && items.Count == limit)
            {
                // A real server only offers a continue token when something is left to list.
                var more = predicate is null || AnyMatch(sorted, i, to, predicate);
                if (more)
                {
                    next = items[^1].Key;
                    remaining = predicate is null ? to - i : null;
                }
            }

            return new ListPage(items, snapshotRv ?? _rv, next, remaining);
        }
    }

    private static bool AnyMatch(StoredObject[] sorted, int from, int to, Func<StoredObject, bool> predicate)
    {
        for (var i = from; i < to; i++)
        {
            if (predicate(sorted[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Registers a watcher and replays history after <paramref name="fromRv"/> (null: no replay).</summary>
    public void AddWatcher(Watcher watcher, long? fromRv)
    {
        lock (_gate)
        {
            if (fromRv is { } rv)
            {
                if (rv < _compactedRv)
                {
                    throw new SnapshotExpiredException(rv, _compactedRv);
                }

                for (var i = FirstAfter(rv); i < _history.Count; i++)
                {
                    var e = _history[i];
                    if (e.StorageKey == watcher.StorageKey)
                    {
                        watcher.Offer(e);
                    }
                }
            }

            watcher.StartResourceVersion = _rv;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Registers a watcher and returns, atomically, the current objects it starts from.</summary>
    public IReadOnlyList<StoredObject> AddWatcherWithSnapshot(Watcher watcher, string? ns)
    {
        lock (_gate)
        {
            var sorted = Sorted(Table(watcher.StorageKey));
            var (from, to) = Range(sorted, ns);
            watcher.StartResourceVersion = _rv;
            _watchers.Add(watcher);
            return sorted[from..to];
        }
    }

    public void RemoveWatcher(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Ends every open watch (a dropped connection, as clients see it).</summary>
    public int DropWatchers()
    {
        Watcher[] all;
        lock (_gate)
        {
            all = [.. _watchers];
            _watchers.Clear();
        }

        foreach (var w in all)
        {
            w.Drop();
        }

        return all.Length;
    }

    /// <summary>Forgets all history: older continue tokens and watch resourceVersions then answer 410.</summary>
    /// <summary>
    /// Calls <paramref name="observer"/> under the store lock with every committed change of one resource, after calling it
    /// with an ADDED event for each object already stored (so an index built from the events starts complete).
    /// </summary>
    public void Observe(string storageKey, Action<WatchEvent> observer)
    {
        lock (_gate)
        {
            foreach (var o in Table(storageKey).Items.Values)
            {
                observer(new WatchEvent(o.ResourceVersion, "ADDED", storageKey, o, null));
            }

            _observers[storageKey] = _observers.TryGetValue(storageKey, out var existing) ? existing + observer : observer;
        }
    }

    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _historyHead = 0;
            _compactedRv = _rv;
        }
    }

    private void Emit(WatchEvent e)
    {
        if (_observers.TryGetValue(e.StorageKey, out var observer))
        {
            observer(e);
        }

        _history.Add(e);
        if (_history.Count - _historyHead > _historyLimit)
        {
            _compactedRv = _history[_historyHead].ResourceVersion;
            _historyHead++;
            if (_historyHead > 4096 && _historyHead > _history.Count / 2)
            {
                _history.RemoveRange(0, _historyHead);
                _historyHead = 0;
            }
        }

        foreach (var w in _watchers)
        {
            if (w.StorageKey == e.StorageKey)
            {
                w.Offer(e);
            }
        }
    }

    private int FirstAfter(long rv)
    {
        var lo = _historyHead;
        var hi = _history.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_history[mid].ResourceVersion <= rv)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private StoredObject[] Reconstruct(string storageKey, ResourceTable table, long at)
    {
        var state = new Dictionary<string, StoredObject>(table.Items, StringComparer.Ordinal);
        for (var i = _history.Count - 1; i >= _historyHead && _history[i].ResourceVersion > at; i--)
        {
            var e = _history[i];
            if (e.StorageKey != storageKey)
            {
                continue;
            }

            if (e.Type == "ADDED" || e.Previous is null)
            {
                state.Remove(e.Object.Key);
            }
            else
            {
                state[e.Previous.Key] = e.Previous;
            }
        }

        var sorted = state.Values.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return sorted;
    }

    private static (int From, int To) Range(StoredObject[] sorted, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            return (0, sorted.Length);
        }

        var prefix = ns + "/";
        var from = LowerBound(sorted, prefix);
        var to = LowerBound(sorted, ns + "0"); // '0' is the character after '/'
        return (from, to);
    }

    private static int LowerBound(StoredObject[] sorted, string key)
    {
        var lo = 0;
        var hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid].Key, key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static StoredObject[] Sorted(ResourceTable table)
    {
        if (table.Sorted is null)
        {
            var sorted = table.Items.Values.ToArray();
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
            table.Sorted = sorted;
        }
        else if (table.SortedVersion != table.LastChange)
        {
            // Only modifications happened since the sort: refresh entries in place.
            var s = table.Sorted;
            for (var i = 0; i < s.Length; i++)
            {
                s[i] = table.Items[s[i].Key];
            }
        }

        table.SortedVersion = table.LastChange;
        return table.Sorted;
    }

    private ResourceTable Table(string storageKey)
    {
        if (!_tables.TryGetValue(storageKey, out var t))
        {
            _tables[storageKey] = t = new ResourceTable();
        }

        return t;
    }

    private sealed class ResourceTable
    {
        public Dictionary<string, StoredObject> Items { get; } = new(StringComparer.Ordinal);

        public StoredObject[]? Sorted { get; set; }

        public long SortedVersion { get; set; } = -1;

        public long LastChange { get; set; }
    }
}

/// <summary>A snapshot or watch start that history no longer covers.</summary>
internal sealed class SnapshotExpiredException(long requested, long oldest) : Exception($"too old resource version: {requested} ({oldest})")
{
    public long Requested { get; } = requested;

    public long Oldest { get; } = oldest;
}
