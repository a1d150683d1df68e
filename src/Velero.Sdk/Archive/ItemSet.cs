namespace Velero.Sdk.Archive;

/// <summary>The items of one group-resource in one layout (flat, or one version directory), by scope.</summary>
internal sealed class ItemSet
{
    private static readonly StringComparer Names = StringComparer.Ordinal;

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
    }

    private static BackupArchiveItem[] Sort(IEnumerable<BackupArchiveItem> items)
    {
        var array = items.ToArray();
        Array.Sort(array, (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return array;
    }
}
