namespace Velero.Sdk.Restore;

/// <summary>
/// The resource-list entry of a restored item, <c>ns/name(action)</c> (or <c>name(action)</c> for a cluster-scoped one),
/// compared ordinally without being composed.
/// </summary>
internal static class ResourceListEntry
{
    // Indexed by value: the actions are 0, 1, 2, ...
    private static readonly string[] Actions = Enum.GetValues<RestoredItemAction>().Order().Select(a => a.ToString().ToLowerInvariant()).ToArray();

    public static string Text(RestoredItem item) =>
        (item.Namespace is null ? item.Name : item.Namespace + "/" + item.Name) + "(" + ActionText(item.Action) + ")";

    /// <summary>Ordinal comparison of the two entries' texts.</summary>
    public static int Compare(RestoredItem? x, RestoredItem? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var a = new Chars(x);
        var b = new Chars(y);
        while (true)
        {
            int ca = a.Next();
            int cb = b.Next();
            if (ca != cb || ca < 0)
            {
                return ca - cb;
            }
        }
    }

    private static string ActionText(RestoredItemAction action) =>
        (uint)action < (uint)Actions.Length ? Actions[(int)action] : action.ToString().ToLowerInvariant();

    /// <summary>The entry's UTF-16 code units in order, then -1.</summary>
    private struct Chars(RestoredItem item)
    {
        private int _part = item.Namespace is null ? 2 : 0;
        private int _at;

        public int Next()
        {
            while (true)
            {
                string? part = _part switch
                {
                    0 => item.Namespace,
                    1 => "/",
                    2 => item.Name,
                    3 => "(",
                    4 => ActionText(item.Action),
                    5 => ")",
                    _ => null,
                };
                if (part is null)
                {
                    return -1;
                }

                if (_at < part.Length)
                {
                    return part[_at++];
                }

                _part++;
                _at = 0;
            }
        }
    }

    /// <summary>Items sorted by their entries; each entry composed when read.</summary>
    public sealed class List(RestoredItem[] sorted) : IReadOnlyList<string>
    {
        public int Count => sorted.Length;

        public string this[int index] => Text(sorted[index]);

        public IEnumerator<string> GetEnumerator()
        {
            foreach (var item in sorted)
            {
                yield return Text(item);
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
