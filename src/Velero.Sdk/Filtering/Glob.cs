using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Velero.Sdk.Filtering;

/// <summary>
/// A glob pattern with the syntax Velero's filters use (gobwas/glob without separators):
/// <c>*</c> any run of characters (<c>.</c> included), <c>?</c> one character, <c>[abc]</c>, <c>[a-z]</c>
/// and <c>[!abc]</c> character classes, <c>{a,b}</c> alternatives and <c>\</c> escapes.
/// </summary>
internal sealed class Glob
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("*?[]{}\\");
    private static readonly ConcurrentDictionary<string, Glob?> Cache = new(StringComparer.Ordinal);

    private readonly Regex? _regex;
    private readonly string? _literal;

    private Glob(string pattern, Regex? regex, string? literal)
    {
        Pattern = pattern;
        _regex = regex;
        _literal = literal;
    }

    /// <summary>The pattern text.</summary>
    public string Pattern { get; }

    /// <summary>True when the pattern has any wildcard of its own (<c>*</c>, <c>?</c>, <c>[</c>, <c>{</c> or an escape).</summary>
    public bool IsLiteral => _literal is not null;

    /// <summary>Compiles <paramref name="pattern"/>; returns false when it is not a valid glob.</summary>
    public static bool TryCompile(string pattern, [NotNullWhen(true)] out Glob? glob)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        glob = Cache.GetOrAdd(pattern, static p => Compile(p, out _));
        return glob is not null;
    }

    /// <summary>Compiles <paramref name="pattern"/> or throws a <see cref="FormatException"/> naming the problem.</summary>
    public static Glob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var glob = Compile(pattern, out var error);
        return glob ?? throw new FormatException($"invalid glob pattern \"{pattern}\": {error}");
    }

    /// <summary>Whether <paramref name="value"/> matches the whole pattern.</summary>
    public bool IsMatch(string value) =>
        _literal is not null ? string.Equals(_literal, value, StringComparison.Ordinal) : _regex!.IsMatch(value);

    private static Glob? Compile(string pattern, out string? error)
    {
        if (pattern.AsSpan().IndexOfAny(Special) < 0)
        {
            error = null;
            return new Glob(pattern, null, pattern);
        }

        var sb = new StringBuilder("^(?:");
        int pos = 0;
        error = Translate(pattern, ref pos, sb, depth: 0);
        if (error is null && pos < pattern.Length)
        {
            error = $"unexpected '{pattern[pos]}' at position {pos}";
        }

        if (error is not null)
        {
            return null;
        }

        sb.Append(")$");
        var regex = new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.NonBacktracking);
        return new Glob(pattern, regex, null);
    }

    // Translates until the end of the pattern, or (inside braces) until an unnested ',' or '}'.
    private static string? Translate(string p, ref int pos, StringBuilder sb, int depth)
    {
        while (pos < p.Length)
        {
            char c = p[pos];
            switch (c)
            {
                case '*':
                    while (pos < p.Length && p[pos] == '*')
                    {
                        pos++;
                    }

                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    pos++;
                    break;
                case '\\':
                    if (pos + 1 >= p.Length)
                    {
                        return $"dangling escape '\\' at position {pos}";
                    }

                    sb.Append(Regex.Escape(p[pos + 1].ToString()));
                    pos += 2;
                    break;
                case '[':
                    {
                        int start = pos;
                        pos++;
                        bool negate = pos < p.Length && p[pos] == '!';
                        if (negate)
                        {
                            pos++;
                        }

                        var cls = new StringBuilder();
                        while (pos < p.Length && p[pos] != ']')
                        {
                            char ch = p[pos];
                            if (ch == '-' && cls.Length > 0 && pos + 1 < p.Length && p[pos + 1] != ']')
                            {
                                char lo = p[pos - 1], hi = p[pos + 1];
                                if (hi < lo)
                                {
                                    return $"invalid range '{lo}-{hi}' at position {pos - 1}";
                                }

                                cls.Append('-');
                            }
                            else
                            {
                                cls.Append(EscapeInClass(ch));
                            }

                            pos++;
                        }

                        if (pos >= p.Length)
                        {
                            return $"unclosed '[' at position {start}";
                        }

                        if (cls.Length == 0)
                        {
                            return $"empty character class at position {start}";
                        }

                        pos++; // ']'
                        sb.Append(negate ? "[^" : "[").Append(cls).Append(']');
                        break;
                    }

                case ']':
                    return $"unmatched ']' at position {pos}";
                case '{':
                    {
                        int start = pos;
                        pos++;
                        sb.Append("(?:");
                        while (true)
                        {
                            var error = Translate(p, ref pos, sb, depth + 1);
                            if (error is not null)
                            {
                                return error;
                            }

                            if (pos >= p.Length)
                            {
                                return $"unclosed '{{' at position {start}";
                            }

                            if (p[pos] == ',')
                            {
                                sb.Append('|');
                                pos++;
                                continue;
                            }

                            pos++; // '}'
                            sb.Append(')');
                            break;
                        }

                        break;
                    }

                case ',' when depth > 0:
                case '}' when depth > 0:
                    return null;
                case '}':
                    return $"unmatched '}}' at position {pos}";
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    pos++;
                    break;
            }
        }

        return null;
    }

    private static string EscapeInClass(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}
