namespace Velero.Sdk.Storage;

/// <summary>Validation and S3-style listing helpers shared by the object stores.</summary>
internal static class ObjectKeys
{
    /// <summary>
    /// Checks that <paramref name="key"/> is a relative, <c>/</c>-separated key that cannot escape a folder: not empty,
    /// no leading <c>/</c>, no empty, <c>.</c> or <c>..</c> segment, no backslash and no NUL.
    /// </summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.PathTraversal"/> naming the key.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var problem = FindProblem(key, allowTrailingPartial: false);
        if (problem is not null)
        {
            throw new VeleroException(VeleroErrorCode.PathTraversal, $"invalid object key \"{key}\": {problem}");
        }
    }

    /// <summary>
    /// Checks a listing prefix: like <see cref="Validate"/>, except that it may be empty and may end with <c>/</c>
    /// or with a partial segment.
    /// </summary>
    /// <exception cref="VeleroException">With <see cref="VeleroErrorCode.PathTraversal"/> naming the prefix.</exception>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0)
        {
            return;
        }

        var problem = FindProblem(prefix, allowTrailingPartial: true);
        if (problem is not null)
        {
            throw new VeleroException(VeleroErrorCode.PathTraversal, $"invalid object key prefix \"{prefix}\": {problem}");
        }
    }

    /// <summary>
    /// The S3 common prefixes of <paramref name="keys"/> under <paramref name="prefix"/>: for each key that has
    /// <paramref name="delimiter"/> after the prefix, the key up to and including the first such delimiter. Distinct, sorted.
    /// </summary>
    public static List<string> CommonPrefixes(IEnumerable<string> keys, string prefix, string delimiter)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
            if (index >= 0)
            {
                set.Add(key[..(index + delimiter.Length)]);
            }
        }

        var list = set.ToList();
        list.Sort(Utf8OrdinalComparer.Instance);
        return list;
    }

    private static string? FindProblem(string key, bool allowTrailingPartial)
    {
        if (key.Length == 0)
        {
            return "the key is empty";
        }

        if (key.Contains('\0', StringComparison.Ordinal))
        {
            return "it contains a NUL character";
        }

        if (key.Contains('\\', StringComparison.Ordinal))
        {
            return "it contains a backslash";
        }

        if (key[0] == '/')
        {
            return "it is absolute (starts with '/')";
        }

        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var segment = segments[i];
            if (segment.Length == 0 && !(last && allowTrailingPartial))
            {
                return "it has an empty path segment";
            }

            if (segment is "." or "..")
            {
                // A trailing partial ".." of a prefix would still match keys of the parent folder's siblings: refuse it too.
                return $"it has a '{segment}' path segment";
            }
        }

        return null;
    }
}
