namespace Velero.Sdk.Filtering;

/// <summary>
/// The namespace filter of a backup or restore: include/exclude glob lists (<c>*</c>, <c>?</c>, <c>[abc]</c>) with
/// Velero 1.18's wildcard expansion against the namespaces that exist. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Expansion happens only when the include list is non-empty, has no bare <c>*</c>, and some include or exclude
/// entry has a wildcard: each wildcard entry is replaced by the namespaces it matches, literal entries are kept.
/// Where Velero differs, Velero.Sdk follows the documented intent: an include pattern that matches nothing
/// selects nothing (no namespaced items, no namespace objects) and never counts as "include everything".
/// </remarks>
public sealed class NamespaceFilter
{
    private readonly HashSet<string> _automaticExcludes;

    private NamespaceFilter(IncludesExcludes lists, bool expanded, IEnumerable<string>? automaticExcludes = null)
    {
        Lists = lists;
        IsWildcardExpanded = expanded;
        _automaticExcludes = new HashSet<string>(automaticExcludes ?? [], StringComparer.Ordinal);
    }

    /// <summary>The filter that includes every namespace.</summary>
    public static NamespaceFilter Everything { get; } = new(IncludesExcludes.Everything, expanded: false);

    /// <summary>The include and exclude lists after expansion.</summary>
    public IncludesExcludes Lists { get; }

    /// <summary>True when wildcard entries were expanded against the existing namespaces.</summary>
    public bool IsWildcardExpanded { get; }

    /// <summary>True when the filter selects nothing because the includes expanded to no namespace.</summary>
    public bool SelectsNothing => IsWildcardExpanded && Lists.Includes.Count == 0;

    /// <summary>True when every namespace is included: no excludes, and includes empty or <c>*</c> (and not expanded to nothing).</summary>
    public bool IncludeEverything => !SelectsNothing && Lists.IncludeEverything;

    /// <summary>
    /// Creates the filter. When <paramref name="existingNamespaces"/> is given and the lists call for it, wildcard
    /// entries are expanded against those namespaces; otherwise every entry is matched as a glob.
    /// </summary>
    /// <param name="includes">Namespaces or patterns to include; empty means all.</param>
    /// <param name="excludes">Namespaces or patterns to exclude.</param>
    /// <param name="existingNamespaces">The namespaces that exist, for wildcard expansion.</param>
    /// <param name="automaticExcludes">
    /// Namespaces excluded on the system's own account (those labelled <c>velero.io/exclude-from-backup=true</c>): never
    /// included, but they do not make the filter stop "including everything" (so they do not turn off the full-cluster rule).
    /// </param>
    /// <exception cref="FormatException">An entry is not a valid namespace pattern (the message is Velero's).</exception>
    public static NamespaceFilter Create(IEnumerable<string>? includes, IEnumerable<string>? excludes, IEnumerable<string>? existingNamespaces = null, IEnumerable<string>? automaticExcludes = null)
    {
        var inc = includes?.ToArray() ?? [];
        var exc = excludes?.ToArray() ?? [];
        if (existingNamespaces is null || !ShouldExpandWildcards(inc, exc))
        {
            return new NamespaceFilter(new IncludesExcludes(inc, exc), expanded: false, automaticExcludes);
        }

        var active = existingNamespaces.ToArray();
        return new NamespaceFilter(new IncludesExcludes(Expand(inc, active), Expand(exc, active)), expanded: true, automaticExcludes);
    }

    /// <summary>
    /// Velero's expansion condition: a non-empty include list without the bare <c>*</c>, and a wildcard
    /// (<c>*</c>, <c>?</c> or <c>[</c>) in some include or exclude entry.
    /// </summary>
    public static bool ShouldExpandWildcards(IReadOnlyCollection<string> includes, IReadOnlyCollection<string> excludes)
    {
        ArgumentNullException.ThrowIfNull(includes);
        ArgumentNullException.ThrowIfNull(excludes);
        if (includes.Count == 0 || includes.Contains("*"))
        {
            return false;
        }

        return includes.Any(HasWildcard) || excludes.Any(HasWildcard);
    }

    /// <summary>Whether namespace <paramref name="ns"/> passes the filter.</summary>
    public bool ShouldInclude(string ns) => !SelectsNothing && !_automaticExcludes.Contains(ns) && Lists.ShouldInclude(ns);

    /// <summary>The namespaces among <paramref name="existingNamespaces"/> that pass the filter, in the given order.</summary>
    public IReadOnlyList<string> Resolve(IEnumerable<string> existingNamespaces)
    {
        ArgumentNullException.ThrowIfNull(existingNamespaces);
        return existingNamespaces.Where(ShouldInclude).ToList();
    }

    /// <inheritdoc />
    public override string ToString() => SelectsNothing ? "includes: <nothing matched>; excludes: " + Lists.ExcludesString() : Lists.ToString();

    private static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    private static List<string> Expand(string[] patterns, string[] active)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in patterns)
        {
            var error = FilterValidation.WildcardPatternError(pattern);
            if (error is not null)
            {
                throw new FormatException($"invalid namespace pattern \"{pattern}\": {error}");
            }

            if (!HasWildcard(pattern))
            {
                if (seen.Add(pattern))
                {
                    result.Add(pattern);
                }

                continue;
            }

            var glob = Glob.Parse(pattern);
            foreach (var ns in active)
            {
                if (glob.IsMatch(ns) && seen.Add(ns))
                {
                    result.Add(ns);
                }
            }
        }

        return result;
    }
}
