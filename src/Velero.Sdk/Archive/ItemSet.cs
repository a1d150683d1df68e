namespace Velero.Sdk.Archive;

/// <summary>The items of one group-resource in one layout (flat, or one version directory), by scope.</summary>
internal sealed class ItemSet
{
    private static readonly StringComparer Names = StringComparer.Ordinal;
    private bool _sealed;

    public Dictionary<string, BackupArchiveItem> Cluster { get; } = new(Names);

    public Dictionary<string, Dictionary<string, BackupArchiveItem>> Namespaces { get; } = new(Names);

    public BackupArchiveItem[] SortedCluster { get; private set; } = [];

    public string[] SortedNamespaces { get; private set; } = [];

    public Dictionary<string, BackupArchiveItem[]> SortedByNamespace { get; } = new(Names);

    public BackupArchiveItem[] All { get; private set; } = [];

    /// <summary>Adds an item; returns the item it replaces (same scope and name), if any.</summary>
    public BackupArchiveItem? Add(BackupArchiveItem item)
    {
        Dictionary<string, BackupArchiveItem> scope;
        if (item.Namespace is null)
        {
            scope = Cluster;
        }
        else if (!Namespaces.TryGetValue(item.Namespace, out scope!))
        {
            scope = new(Names);
            Namespaces.Add(item.Namespace, scope);
        }

        scope.TryGetValue(item.Name, out var replaced);
        scope[item.Name] = item;
        return replaced;
    }

    public BackupArchiveItem? Find(string? @namespace, string name)
    {
        if (_sealed)
        {
            // Sealed: the dictionaries are gone, the sorted views answer by binary search.
            var items = @namespace is null ? SortedCluster : SortedByNamespace.GetValueOrDefault(@namespace);
            if (items is null)
            {
                return null;
            }

            int lo = 0, hi = items.Length - 1;
            while (lo <= hi)
            {
                int mid = lo + ((hi - lo) / 2);
                int c = string.CompareOrdinal(items[mid].Name, name);
                if (c == 0)
                {
                    return items[mid];
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

        var scope = @namespace is null ? Cluster : Namespaces.GetValueOrDefault(@namespace);
        return scope?.GetValueOrDefault(name);
    }

    /// <summary>Builds the sorted views (names in byte order, as Velero's directory listing returns them).</summary>
    public void Seal()
    {
        SortedCluster = Sort(Cluster.Values);
        SortedNamespaces = Namespaces.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
        var all = new List<BackupArchiveItem>(SortedCluster);
        foreach (var ns in SortedNamespaces)
        {
            var items = Sort(Namespaces[ns].Values);
            SortedByNamespace[ns] = items;
            all.AddRange(items);
        }

        All = [.. all];

        // The sorted views hold every item: drop the dictionaries (about 30 bytes an item) once reading starts.
        Cluster.Clear();
        Cluster.TrimExcess();
        Namespaces.Clear();
        Namespaces.TrimExcess();
        _sealed = true;
    }

    private static BackupArchiveItem[] Sort(IEnumerable<BackupArchiveItem> items)
    {
        var array = items.ToArray();
        Array.Sort(array, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return array;
    }
}
