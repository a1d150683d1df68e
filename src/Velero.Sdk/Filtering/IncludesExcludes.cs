namespace Velero.Sdk.Filtering;

/// <summary>
/// An include list and an exclude list of glob patterns, matched as Velero matches them: an item is
/// included when no exclude entry matches it and the include list is empty, contains <c>*</c>, or has an
/// entry that matches it. Entries are globs (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>{a,b}</c>) with no separators,
/// so <c>*</c> also matches dots. Immutable and thread-safe.
/// </summary>
public sealed class IncludesExcludes
{
    private readonly string[] _includes;
    private readonly string[] _excludes;

    /// <summary>An instance that includes everything.</summary>
    public static IncludesExcludes Everything { get; } = new(null, null);

    /// <summary>Creates the lists. Duplicates collapse; entries are kept sorted (ordinal), as Velero keeps them.</summary>
    /// <param name="includes">Patterns to include; empty or <c>null</c> means everything.</param>
    /// <param name="excludes">Patterns to exclude.</param>
    public IncludesExcludes(IEnumerable<string>? includes, IEnumerable<string>? excludes)
    {
        _includes = Normalize(includes);
        _excludes = Normalize(excludes);
    }

    /// <summary>The include entries, sorted.</summary>
    public IReadOnlyList<string> Includes => _includes;

    /// <summary>The exclude entries, sorted.</summary>
    public IReadOnlyList<string> Excludes => _excludes;

    /// <summary>True when the include list is empty or exactly <c>*</c> and nothing is excluded.</summary>
    public bool IncludeEverything =>
        _excludes.Length == 0 && (_includes.Length == 0 || (_includes.Length == 1 && _includes[0] == "*"));

    /// <summary>True when the include list contains the bare <c>*</c>.</summary>
    public bool IncludesAll => Array.IndexOf(_includes, "*") >= 0;

    /// <summary>True when the exclude list contains the bare <c>*</c>.</summary>
    public bool ExcludesAll => Array.IndexOf(_excludes, "*") >= 0;

    /// <summary>Whether <paramref name="item"/> is included: not excluded, and the includes are empty, contain <c>*</c> or match it.</summary>
    public bool ShouldInclude(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (MatchesAny(_excludes, item))
        {
            return false;
        }

        return _includes.Length == 0 || IncludesAll || MatchesAny(_includes, item);
    }

    /// <summary>Whether any include entry matches <paramref name="item"/> as a glob (the bare <c>*</c> matches everything).</summary>
    public bool IncludesMatch(string item) => MatchesAny(_includes, item);

    /// <summary>Whether any exclude entry matches <paramref name="item"/> as a glob.</summary>
    public bool ExcludesMatch(string item) => MatchesAny(_excludes, item);

    /// <summary>
    /// Velero's glob-list match: entries are tried in sorted order; an entry that is not a valid glob ends the
    /// scan with "no match".
    /// </summary>
    internal static bool MatchesAny(string[] patterns, string item)
    {
        foreach (var pattern in patterns)
        {
            if (!Glob.TryCompile(pattern, out var glob))
            {
                return false;
            }

            if (glob.IsMatch(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Velero's summary of the include list: entries joined by <c>", "</c>, or <c>*</c> when empty.</summary>
    public string IncludesString() => _includes.Length == 0 ? "*" : string.Join(", ", _includes);

    /// <summary>Velero's summary of the exclude list: entries joined by <c>", "</c>, or <c>&lt;none&gt;</c> when empty.</summary>
    public string ExcludesString() => _excludes.Length == 0 ? "<none>" : string.Join(", ", _excludes);

    /// <inheritdoc />
    public override string ToString() => $"includes: {IncludesString()}; excludes: {ExcludesString()}";

    private static string[] Normalize(IEnumerable<string>? items)
    {
        if (items is null)
        {
            return [];
        }

        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            set.Add(item);
        }

        return [.. set];
    }
}
