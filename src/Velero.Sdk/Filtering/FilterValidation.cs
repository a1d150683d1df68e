namespace Velero.Sdk.Filtering;

/// <summary>
/// Velero's validation rules for include/exclude lists, with Velero's exact messages.
/// Each method returns every problem found (an empty list when valid).
/// </summary>
public static class FilterValidation
{
    private static readonly System.Buffers.SearchValues<char> UnsupportedPatternChars = System.Buffers.SearchValues.Create("|()!{},");

    /// <summary>
    /// The generic rules of resource and namespace lists: <c>*</c> only alone in the includes, never in the
    /// excludes, and no item in both lists.
    /// </summary>
    public static IReadOnlyList<string> ValidateIncludesExcludes(IEnumerable<string>? includes, IEnumerable<string>? excludes)
    {
        var inc = ToSet(includes);
        var exc = ToSet(excludes);
        var errors = new List<string>();
        if (inc.Count > 1 && inc.Contains("*"))
        {
            errors.Add("includes list must either contain '*' only, or a non-empty list of items");
        }

        if (exc.Contains("*"))
        {
            errors.Add("excludes list cannot contain '*'");
        }

        AddOverlap(inc, exc, errors);
        return errors;
    }

    /// <summary>
    /// The generic rules plus, for every entry, namespace-pattern validation: a DNS-1123 label once
    /// <c>* ? [ ]</c> are replaced by letters, no <c>| ( ) ! { } ,</c>, no <c>**</c>, balanced and non-empty
    /// brackets. The empty string is allowed (Velero reads it as "no namespace").
    /// </summary>
    public static IReadOnlyList<string> ValidateNamespaceIncludesExcludes(IEnumerable<string>? includes, IEnumerable<string>? excludes)
    {
        var errors = new List<string>(ValidateIncludesExcludes(includes, excludes));
        foreach (var ns in ToSet(includes))
        {
            errors.AddRange(ValidateNamespacePattern(ns));
        }

        foreach (var ns in ToSet(excludes))
        {
            errors.AddRange(ValidateNamespacePattern(ns));
        }

        return errors;
    }

    /// <summary>
    /// The rules of the scoped (new-style) resource lists: <c>*</c> only alone in either list, an include list
    /// must be empty when the excludes are <c>*</c>, and no item in both lists.
    /// </summary>
    public static IReadOnlyList<string> ValidateScopedIncludesExcludes(IEnumerable<string>? includes, IEnumerable<string>? excludes)
    {
        var inc = ToSet(includes);
        var exc = ToSet(excludes);
        var errors = new List<string>();
        if (inc.Count > 1 && inc.Contains("*"))
        {
            errors.Add("includes list must either contain '*' only, or a non-empty list of items");
        }

        if (exc.Count > 1 && exc.Contains("*"))
        {
            errors.Add("excludes list must either contain '*' only, or a non-empty list of items");
        }

        if (inc.Count > 0 && exc.Contains("*"))
        {
            errors.Add("when exclude is '*', include cannot have value");
        }

        AddOverlap(inc, exc, errors);
        return errors;
    }

    /// <summary>Validates one namespace name or pattern; returns the problems (empty when valid).</summary>
    public static IReadOnlyList<string> ValidateNamespacePattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            return [];
        }

        var wildcardError = WildcardPatternError(pattern);
        if (wildcardError is not null)
        {
            return [wildcardError];
        }

        var tmp = pattern.Replace('*', 'x').Replace('?', 'x').Replace('[', 'x').Replace(']', 'x');
        var errors = new List<string>();
        foreach (var msg in KubernetesNames.ValidateDns1123Label(tmp))
        {
            errors.Add($"invalid namespace \"{pattern}\": {msg}");
        }

        return errors;
    }

    /// <summary>The wildcard-pattern rules of namespace includes/excludes; null when the pattern is acceptable.</summary>
    internal static string? WildcardPatternError(string pattern)
    {
        if (pattern.AsSpan().IndexOfAny(UnsupportedPatternChars) >= 0)
        {
            return "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,";
        }

        if (pattern.Contains("**", StringComparison.Ordinal))
        {
            return "wildcard pattern contains consecutive asterisks (only single * allowed)";
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '[')
            {
                int close = pattern.IndexOf(']', i + 1);
                if (close < 0)
                {
                    return "wildcard pattern contains unclosed bracket '['";
                }

                if (close == i + 1)
                {
                    return "wildcard pattern contains empty bracket pattern '[]'";
                }

                i = close;
            }
            else if (pattern[i] == ']')
            {
                return "wildcard pattern contains unmatched closing bracket ']'";
            }
        }

        return null;
    }

    private static void AddOverlap(SortedSet<string> inc, SortedSet<string> exc, List<string> errors)
    {
        foreach (var item in exc)
        {
            if (inc.Contains(item))
            {
                errors.Add($"excludes list cannot contain an item in the includes list: {item}");
            }
        }
    }

    private static SortedSet<string> ToSet(IEnumerable<string>? items) =>
        items is null ? new SortedSet<string>(StringComparer.Ordinal) : new SortedSet<string>(items, StringComparer.Ordinal);
}
