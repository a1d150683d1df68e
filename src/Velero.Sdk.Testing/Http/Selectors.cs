using System.Text;

namespace Velero.Sdk.Testing.Http;

/// <summary>Label and field selectors of list, watch and deletecollection requests.</summary>
internal static class Selectors
{
    /// <summary>Parses a <c>labelSelector</c> query value; a bad one is a 400 BadRequest, as a real server answers.</summary>
    public static Func<IReadOnlyDictionary<string, string>?, bool>? Label(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return null;
        }

        Velero.Sdk.Filtering.LabelSelector parsed;
        try
        {
            parsed = Velero.Sdk.Filtering.LabelSelector.Parse(selector);
        }
        catch (Velero.Sdk.Filtering.LabelSelectorParseException e)
        {
            throw ApiException.BadRequest("unable to parse requirement: " + e.Message);
        }

        return parsed.IsEverything ? null : labels => parsed.Matches(labels);
    }

    /// <summary>
    /// Parses a <c>fieldSelector</c> (<c>metadata.name</c> and <c>metadata.namespace</c> with <c>=</c>, <c>==</c>
    /// and <c>!=</c>) into a predicate on (namespace, name).
    /// </summary>
    public static Func<string, string, bool>? Field(string? selector)
    {
        if (string.IsNullOrEmpty(selector))
        {
            return null;
        }

        var requirements = new List<(string Field, bool Equal, string Value)>();
        foreach (var term in SplitTerms(selector))
        {
            if (term.Length == 0)
            {
                continue;
            }

            var (field, op, value) = SplitTerm(term, selector);
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiException.BadRequest($"field label not supported: {field}");
            }

            requirements.Add((field, op != "!=", value));
        }

        if (requirements.Count == 0)
        {
            return null;
        }

        return (ns, name) =>
        {
            foreach (var (field, equal, value) in requirements)
            {
                var actual = field == "metadata.name" ? name : ns;
                if ((actual == value) != equal)
                {
                    return false;
                }
            }

            return true;
        };
    }

    /// <summary>Splits on unescaped commas; <c>\,</c>, <c>\=</c> and <c>\\</c> stay escaped for <see cref="SplitTerm"/>.</summary>
    private static List<string> SplitTerms(string selector)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < selector.Length; i++)
        {
            var c = selector[i];
            if (c == '\\' && i + 1 < selector.Length)
            {
                current.Append(c).Append(selector[++i]);
            }
            else if (c == ',')
            {
                terms.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        terms.Add(current.ToString());
        return terms;
    }

    private static (string Field, string Op, string Value) SplitTerm(string term, string selector)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var i = IndexOfUnescaped(term, op);
            if (i >= 0)
            {
                var value = Unescape(term[(i + op.Length)..], selector);
                return (term[..i].Trim(), op, value);
            }
        }

        throw ApiException.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
    }

    private static int IndexOfUnescaped(string s, string op)
    {
        for (var i = 0; i + op.Length <= s.Length; i++)
        {
            if (s[i] == '\\')
            {
                i++;
                continue;
            }

            if (string.CompareOrdinal(s, i, op, 0, op.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string value, string selector)
    {
        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\')
            {
                if (i + 1 < value.Length && value[i + 1] is '\\' or ',' or '=')
                {
                    sb.Append(value[++i]);
                    continue;
                }

                throw ApiException.BadRequest($"invalid field selector: '{selector}': invalid escape sequence");
            }

            if (value[i] is ',' or '=')
            {
                throw ApiException.BadRequest($"invalid field selector: '{selector}': unescaped {value[i]}");
            }

            sb.Append(value[i]);
        }

        return sb.ToString();
    }
}
