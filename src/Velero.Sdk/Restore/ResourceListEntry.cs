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

    /// <summary>Ordinal comparison of the entry texts of two items, given by their parts.</summary>
    public static int Compare(string? xNamespace, ReadOnlySpan<char> xName, RestoredItemAction xAction, string? yNamespace, ReadOnlySpan<char> yName, RestoredItemAction yAction)
    {
        var a = new Chars(xNamespace, xName, ActionText(xAction));
        var b = new Chars(yNamespace, yName, ActionText(yAction));
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

    /// <summary>The action as the entry writes it: <c>created</c>, <c>updated</c>, ...</summary>
    public static string ActionText(RestoredItemAction action) =>
        (uint)action < (uint)Actions.Length ? Actions[(int)action] : action.ToString().ToLowerInvariant();

    /// <summary>The entry's UTF-16 code units in order, then -1.</summary>
    private ref struct Chars(string? @namespace, ReadOnlySpan<char> name, string action)
    {
        private readonly ReadOnlySpan<char> _name = name;
        private int _part = @namespace is null ? 2 : 0;
        private int _at;

        public int Next()
        {
            while (true)
            {
                var part = _part switch
                {
                    0 => @namespace.AsSpan(),
                    1 => "/",
                    2 => _name,
                    3 => "(",
                    4 => action,
                    5 => ")",
                    _ => default,
                };
                if (_part > 5)
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
}
