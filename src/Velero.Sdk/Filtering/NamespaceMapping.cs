using System.Collections;

namespace Velero.Sdk.Filtering;

/// <summary>
/// Namespace remapping for a restore: several source → target pairs at once (<c>abc→def</c> and <c>123→456</c>).
/// Unlisted namespaces keep their name. Immutable, validated: every name a DNS-1123 label, each source listed once,
/// and no two sources onto one target.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Velero's vocabulary: a namespace mapping.")]
public sealed class NamespaceMapping : IReadOnlyDictionary<string, string>
{
    private readonly SortedDictionary<string, string> _map;

    private NamespaceMapping(SortedDictionary<string, string> map) => _map = map;

    /// <summary>The mapping that changes nothing.</summary>
    public static NamespaceMapping Empty { get; } = new(new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Creates a mapping from pairs.</summary>
    /// <exception cref="ArgumentException">Some pair is invalid; the message lists every problem.</exception>
    public static NamespaceMapping Create(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var errors = Validate(pairs, out var map);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid namespace mapping: " + string.Join("; ", errors), nameof(pairs));
        }

        return new NamespaceMapping(map);
    }

    /// <summary>
    /// Parses the velero CLI form <c>src1:dst1,src2:dst2</c> (also <c>src=dst</c> and <c>src-&gt;dst</c>); blanks around names are ignored.
    /// </summary>
    /// <exception cref="FormatException">An entry is not a pair, or a name is invalid; the message names the entry.</exception>
    public static NamespaceMapping Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pairs = new List<KeyValuePair<string, string>>();
        var errors = new List<string>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] parts = raw.Contains("->", StringComparison.Ordinal)
                ? raw.Split("->")
                : raw.Split(raw.Contains(':', StringComparison.Ordinal) ? ':' : '=');
            if (parts.Length != 2)
            {
                errors.Add($"\"{raw}\" is not a source:target pair");
                continue;
            }

            pairs.Add(new(parts[0].Trim(), parts[1].Trim()));
        }

        errors.AddRange(Validate(pairs, out var map));
        if (errors.Count > 0)
        {
            throw new FormatException($"invalid namespace mapping \"{text}\": " + string.Join("; ", errors));
        }

        return new NamespaceMapping(map);
    }

    /// <summary>Returns every problem of the pairs (an empty list when they form a valid mapping).</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<KeyValuePair<string, string>> pairs) => Validate(pairs, out _);

    /// <summary>The target namespace for <paramref name="sourceNamespace"/>: its mapping, or the same name.</summary>
    public string Map(string sourceNamespace)
    {
        ArgumentNullException.ThrowIfNull(sourceNamespace);
        return _map.TryGetValue(sourceNamespace, out var target) ? target : sourceNamespace;
    }

    /// <summary>The number of mapped namespaces.</summary>
    public int Count => _map.Count;

    /// <summary>The source namespaces, sorted.</summary>
    public IEnumerable<string> Keys => _map.Keys;

    /// <summary>The target namespaces, in source order.</summary>
    public IEnumerable<string> Values => _map.Values;

    /// <summary>The target of a mapped source namespace.</summary>
    public string this[string key] => _map[key];

    /// <inheritdoc />
    public bool ContainsKey(string key) => _map.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out string value) => _map.TryGetValue(key, out value!);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _map.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The velero CLI form, <c>a:b,c:d</c>.</summary>
    public override string ToString() => string.Join(",", _map.Select(kv => kv.Key + ":" + kv.Value));

    private static List<string> Validate(IEnumerable<KeyValuePair<string, string>> pairs, out SortedDictionary<string, string> map)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (source, target) in pairs)
        {
            bool ok = true;
            foreach (var (role, name) in new[] { ("source", source), ("target", target) })
            {
                if (string.IsNullOrEmpty(name))
                {
                    errors.Add($"{role} namespace of \"{source}:{target}\" is empty");
                    ok = false;
                    continue;
                }

                foreach (var msg in KubernetesNames.ValidateDns1123Label(name))
                {
                    errors.Add($"{role} namespace \"{name}\": {msg}");
                    ok = false;
                }
            }

            if (!ok)
            {
                continue;
            }

            if (map.TryGetValue(source, out var existing))
            {
                errors.Add($"source namespace \"{source}\" is mapped twice (to \"{existing}\" and \"{target}\")");
                continue;
            }

            if (targets.TryGetValue(target, out var otherSource))
            {
                errors.Add($"namespaces \"{otherSource}\" and \"{source}\" are both mapped to \"{target}\"");
                continue;
            }

            map[source] = target;
            targets[target] = source;
        }

        return errors;
    }
}
