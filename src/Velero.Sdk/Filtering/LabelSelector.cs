using System.Globalization;
using k8s.Models;

namespace Velero.Sdk.Filtering;

/// <summary>
/// A Kubernetes label selector: parsed from the string grammar (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>,
/// <c>notin</c>, <c>key</c>, <c>!key</c>, <c>&gt;</c>, <c>&lt;</c>) or built from <c>matchLabels</c> /
/// <c>matchExpressions</c>. Requirements are AND-ed. Immutable and thread-safe.
/// </summary>
public sealed class LabelSelector
{
    private readonly LabelRequirement[] _requirements;

    private LabelSelector(LabelRequirement[] requirements, bool matchesNothing = false)
    {
        Array.Sort(requirements, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        _requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    /// <summary>The selector that matches every label set (the empty selector).</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The selector that matches nothing.</summary>
    public static LabelSelector Nothing { get; } = new([], matchesNothing: true);

    /// <summary>The requirements, sorted by key.</summary>
    public IReadOnlyList<LabelRequirement> Requirements => _requirements;

    /// <summary>True when the selector has no requirement and so matches everything.</summary>
    public bool IsEverything => _requirements.Length == 0 && !MatchesNothing;

    /// <summary>True for <see cref="Nothing"/>.</summary>
    public bool MatchesNothing { get; }

    /// <summary>Parses the string form, e.g. <c>app=web,tier in (frontend,backend),!canary</c>. An empty string matches everything.</summary>
    /// <exception cref="LabelSelectorParseException">The text does not parse; the message names the position and the token.</exception>
    public static LabelSelector Parse(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new LabelSelector(new Parser(selector).ParseAll());
    }

    /// <summary>Parses the string form; returns false and the reason when it does not parse.</summary>
    public static bool TryParse(string? selector, out LabelSelector? result, out string? error)
    {
        if (selector is null)
        {
            result = null;
            error = "label selector is null";
            return false;
        }

        try
        {
            result = Parse(selector);
            error = null;
            return true;
        }
        catch (LabelSelectorParseException e)
        {
            result = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Converts a Kubernetes <c>LabelSelector</c> object. A <c>null</c> selector means "no filter" in Velero's specs and
    /// so matches everything; so does an empty one.
    /// </summary>
    /// <exception cref="LabelSelectorParseException">A key, value or operator is invalid.</exception>
    public static LabelSelector FromLabelSelector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var reqs = new List<LabelRequirement>();
        if (selector.MatchLabels is not null)
        {
            foreach (var (key, value) in selector.MatchLabels)
            {
                reqs.Add(NewRequirement(key, LabelOperator.Equals, [value ?? string.Empty], "matchLabels", 0));
            }
        }

        if (selector.MatchExpressions is not null)
        {
            int index = 0;
            foreach (var expr in selector.MatchExpressions)
            {
                var where = $"matchExpressions[{index}]";
                var op = expr.OperatorProperty switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    _ => throw new LabelSelectorParseException(where, index, expr.OperatorProperty ?? string.Empty, $"\"{expr.OperatorProperty}\" is not a valid label selector operator"),
                };
                reqs.Add(NewRequirement(expr.Key ?? string.Empty, op, expr.Values?.ToArray() ?? [], where, index));
                index++;
            }
        }

        return reqs.Count == 0 ? Everything : new LabelSelector([.. reqs]);
    }

    /// <summary>Creates a selector matching exactly the given labels (every key equal to its value).</summary>
    public static LabelSelector FromLabels(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var reqs = labels.Select(kv => NewRequirement(kv.Key, LabelOperator.Equals, [kv.Value], "labels", 0)).ToArray();
        return reqs.Length == 0 ? Everything : new LabelSelector(reqs);
    }

    /// <summary>Whether a label set satisfies every requirement. <c>null</c> labels are an empty set.</summary>
    public bool Matches(IEnumerable<KeyValuePair<string, string>>? labels)
    {
        if (MatchesNothing)
        {
            return false;
        }

        if (_requirements.Length == 0)
        {
            return true;
        }

        Func<string, string?> lookup = labels switch
        {
            null => static _ => null,
            IReadOnlyDictionary<string, string> ro => k => ro.TryGetValue(k, out var v) ? v : null,
            IDictionary<string, string> d => k => d.TryGetValue(k, out var v) ? v : null,
            _ => ToLookup(labels),
        };
        return Matches(lookup);
    }

    /// <summary>Whether the labels read through <paramref name="lookup"/> (null for an absent key) satisfy every requirement.</summary>
    public bool Matches(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        if (MatchesNothing)
        {
            return false;
        }

        foreach (var r in _requirements)
        {
            if (!r.Matches(lookup))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Converts to a Kubernetes <c>LabelSelector</c> object as the velero CLI does: equality into <c>matchLabels</c>,
    /// the rest into <c>matchExpressions</c> (<c>!=</c> becomes <c>NotIn</c>). Returns <c>null</c> for <see cref="Everything"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The selector uses <c>&gt;</c> or <c>&lt;</c>, which a <c>LabelSelector</c> object cannot express.</exception>
    public V1LabelSelector? ToLabelSelector()
    {
        if (IsEverything)
        {
            return null;
        }

        if (MatchesNothing)
        {
            throw new InvalidOperationException("the selector that matches nothing has no LabelSelector form");
        }

        var result = new V1LabelSelector();
        foreach (var r in _requirements)
        {
            switch (r.Operator)
            {
                case LabelOperator.Equals:
                case LabelOperator.DoubleEquals:
                    result.MatchLabels ??= new Dictionary<string, string>();
                    result.MatchLabels[r.Key] = r.Values[0];
                    break;
                case LabelOperator.In:
                case LabelOperator.NotIn:
                case LabelOperator.NotEquals:
                    result.MatchExpressions ??= [];
                    result.MatchExpressions.Add(new V1LabelSelectorRequirement { Key = r.Key, OperatorProperty = r.Operator == LabelOperator.In ? "In" : "NotIn", Values = [.. r.Values] });
                    break;
                case LabelOperator.Exists:
                case LabelOperator.DoesNotExist:
                    result.MatchExpressions ??= [];
                    result.MatchExpressions.Add(new V1LabelSelectorRequirement { Key = r.Key, OperatorProperty = r.Operator == LabelOperator.Exists ? "Exists" : "DoesNotExist" });
                    break;
                default:
                    throw new InvalidOperationException($"\"{r}\": the operator {r.Operator} cannot be expressed as a LabelSelector object");
            }
        }

        return result;
    }

    /// <summary>
    /// The builders' conversion of a selector string into a <c>LabelSelector</c> object: on failure the problem is added to
    /// <paramref name="errors"/> as "<paramref name="field"/>: reason" and false is returned.
    /// </summary>
    internal static bool TryToObject(string selector, string field, List<string> errors, out V1LabelSelector? result)
    {
        ArgumentNullException.ThrowIfNull(selector);
        result = null;
        try
        {
            result = Parse(selector).ToLabelSelector();
            return true;
        }
        catch (Exception e) when (e is LabelSelectorParseException or InvalidOperationException)
        {
            errors.Add($"{field}: {e.Message}");
            return false;
        }
    }

    /// <summary>The canonical string form (requirements sorted by key, comma-separated); "" for <see cref="Everything"/>.</summary>
    public override string ToString() => string.Join(",", _requirements.Select(r => r.ToString()));

    private static Func<string, string?> ToLookup(IEnumerable<KeyValuePair<string, string>> labels)
    {
        var dict = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in labels)
        {
            dict[kv.Key] = kv.Value;
        }

        return k => dict.TryGetValue(k, out var v) ? v : null;
    }

    private static LabelRequirement NewRequirement(string key, LabelOperator op, string[] values, string selector, int position)
    {
        var keyErrors = KubernetesNames.ValidateQualifiedName(key);
        if (keyErrors.Count > 0)
        {
            throw new LabelSelectorParseException(selector, position, key, $"key: Invalid value: \"{key}\": {string.Join("; ", keyErrors)}");
        }

        var set = new SortedSet<string>(values, StringComparer.Ordinal);
        switch (op)
        {
            case LabelOperator.In:
            case LabelOperator.NotIn:
                if (set.Count == 0)
                {
                    throw new LabelSelectorParseException(selector, position, key, "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty");
                }

                break;
            case LabelOperator.Equals:
            case LabelOperator.DoubleEquals:
            case LabelOperator.NotEquals:
                if (set.Count != 1)
                {
                    throw new LabelSelectorParseException(selector, position, key, "values: Invalid value: exact-match compatibility requires one single value");
                }

                break;
            case LabelOperator.Exists:
            case LabelOperator.DoesNotExist:
                if (set.Count != 0)
                {
                    throw new LabelSelectorParseException(selector, position, key, "values: Invalid value: values set must be empty for exists and does not exist");
                }

                break;
            case LabelOperator.GreaterThan:
            case LabelOperator.LessThan:
                if (set.Count != 1)
                {
                    throw new LabelSelectorParseException(selector, position, key, "values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required");
                }

                if (!long.TryParse(set.Min, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw new LabelSelectorParseException(selector, position, set.Min!, $"values[0]: Invalid value: \"{set.Min}\": for 'Gt', 'Lt' operators, the value must be an integer");
                }

                break;
        }

        foreach (var v in set)
        {
            if (op is LabelOperator.GreaterThan or LabelOperator.LessThan)
            {
                break;
            }

            var valueErrors = KubernetesNames.ValidateLabelValue(v);
            if (valueErrors.Count > 0)
            {
                throw new LabelSelectorParseException(selector, position, v, $"values[0][{key}]: Invalid value: \"{v}\": {string.Join("; ", valueErrors)}");
            }
        }

        return new LabelRequirement(key, op, [.. set]);
    }

    private enum TokenKind
    {
        Error,
        End,
        ClosedPar,
        Comma,
        Not,
        DoubleEquals,
        Equals,
        GreaterThan,
        Identifier,
        In,
        LessThan,
        NotEquals,
        NotIn,
        OpenPar,
    }

    private readonly record struct Token(TokenKind Kind, string Text, int Position);

    private sealed class Parser
    {
        private readonly string _text;
        private readonly List<Token> _tokens = [];
        private int _index;
        private Token? _lastValue;

        public Parser(string text)
        {
            _text = text;
            Scan();
        }

        public LabelRequirement[] ParseAll()
        {
            var reqs = new List<LabelRequirement>();
            while (true)
            {
                var t = Peek(values: true);
                switch (t.Kind)
                {
                    case TokenKind.Identifier:
                    case TokenKind.Not:
                        reqs.Add(ParseRequirement());
                        var after = Next(values: true);
                        switch (after.Kind)
                        {
                            case TokenKind.End:
                                return [.. reqs];
                            case TokenKind.Comma:
                                var t2 = Peek(values: true);
                                if (t2.Kind is not (TokenKind.Identifier or TokenKind.Not))
                                {
                                    throw Fail(t2, $"found '{t2.Text}', expected: identifier after ','", inRequirement: false);
                                }

                                break;
                            default:
                                throw Fail(after, $"found '{after.Text}', expected: ',' or 'end of string'", inRequirement: false);
                        }

                        break;
                    case TokenKind.End:
                        return [.. reqs];
                    default:
                        throw Fail(t, $"found '{t.Text}', expected: !, identifier, or 'end of string'", inRequirement: false);
                }
            }
        }

        private LabelRequirement ParseRequirement()
        {
            var first = Next(values: true);
            bool negated = first.Kind == TokenKind.Not;
            var keyToken = negated ? Next(values: true) : first;
            if (keyToken.Kind != TokenKind.Identifier)
            {
                throw Fail(keyToken, $"found '{keyToken.Text}', expected: identifier");
            }

            var following = Peek(values: true);
            if (following.Kind is TokenKind.End or TokenKind.Comma)
            {
                return Build(keyToken, negated ? LabelOperator.DoesNotExist : LabelOperator.Exists, []);
            }

            if (negated)
            {
                throw Fail(following, $"found '{following.Text}', expected: ',' or 'end of string' after '!{keyToken.Text}'");
            }

            var opToken = Next(values: false);
            LabelOperator op = opToken.Kind switch
            {
                TokenKind.In => LabelOperator.In,
                TokenKind.NotIn => LabelOperator.NotIn,
                TokenKind.Equals => LabelOperator.Equals,
                TokenKind.DoubleEquals => LabelOperator.DoubleEquals,
                TokenKind.NotEquals => LabelOperator.NotEquals,
                TokenKind.GreaterThan => LabelOperator.GreaterThan,
                TokenKind.LessThan => LabelOperator.LessThan,
                _ => throw Fail(opToken, $"found '{opToken.Text}', expected: in, notin, =, ==, !=, gt, lt"),
            };

            var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue();
            return Build(keyToken, op, values);
        }

        private LabelRequirement Build(Token key, LabelOperator op, string[] values)
        {
            if (op is LabelOperator.GreaterThan or LabelOperator.LessThan && _lastValue is { } bound &&
                !long.TryParse(bound.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw Fail(bound, $"values[0]: Invalid value: \"{bound.Text}\": for 'Gt', 'Lt' operators, the value must be an integer");
            }

            if (op is not (LabelOperator.GreaterThan or LabelOperator.LessThan) && _lastValue is { } exact)
            {
                CheckValue(exact);
            }

            _lastValue = null;
            return NewRequirement(key.Text, op, values, _text, key.Position);
        }

        private void CheckValue(Token value)
        {
            var errors = KubernetesNames.ValidateLabelValue(value.Text);
            if (errors.Count > 0)
            {
                throw Fail(value, $"values[0]: Invalid value: \"{value.Text}\": {string.Join("; ", errors)}");
            }
        }

        private string[] ParseValues()
        {
            var open = Next(values: true);
            if (open.Kind != TokenKind.OpenPar)
            {
                throw Fail(open, $"found '{open.Text}' expected: '('");
            }

            var t = Peek(values: true);
            switch (t.Kind)
            {
                case TokenKind.ClosedPar:
                    Next(values: true);
                    return [string.Empty];
                case TokenKind.Identifier:
                case TokenKind.Comma:
                    var set = new List<string>();
                    while (true)
                    {
                        var v = Next(values: true);
                        if (v.Kind == TokenKind.Identifier)
                        {
                            CheckValue(v);
                            set.Add(v.Text);
                            var t2 = Peek(values: true);
                            if (t2.Kind == TokenKind.Comma)
                            {
                                Next(values: true);
                                var t3 = Peek(values: true);
                                if (t3.Kind == TokenKind.ClosedPar)
                                {
                                    set.Add(string.Empty);
                                }

                                continue;
                            }

                            if (t2.Kind == TokenKind.ClosedPar)
                            {
                                Next(values: true);
                                return [.. set];
                            }

                            throw Fail(t2, $"found '{t2.Text}', expected: ',' or ')'");
                        }

                        if (v.Kind == TokenKind.Comma)
                        {
                            set.Add(string.Empty);
                            var t2 = Peek(values: true);
                            if (t2.Kind == TokenKind.ClosedPar)
                            {
                                Next(values: true);
                                return [.. set];
                            }

                            continue;
                        }

                        if (v.Kind == TokenKind.ClosedPar)
                        {
                            return [.. set];
                        }

                        throw Fail(v, $"found '{v.Text}', expected: ',', or identifier");
                    }

                default:
                    throw Fail(t, $"found '{t.Text}', expected: ',', ')' or identifier");
            }
        }

        private string[] ParseExactValue()
        {
            var t = Peek(values: true);
            if (t.Kind is TokenKind.End or TokenKind.Comma)
            {
                return [string.Empty];
            }

            var v = Next(values: true);
            if (v.Kind == TokenKind.Identifier)
            {
                _lastValue = v;
                return [v.Text];
            }

            throw Fail(v, $"found '{v.Text}', expected: identifier");
        }

        private LabelSelectorParseException Fail(Token at, string reason, bool inRequirement = true) =>
            new(_text, at.Position, at.Text, inRequirement ? "unable to parse requirement: " + reason : reason);

        private Token Peek(bool values) => Adjust(_tokens[_index], values);

        private Token Next(bool values)
        {
            var t = _tokens[_index];
            if (t.Kind != TokenKind.End)
            {
                _index++;
            }

            return Adjust(t, values);
        }

        // In a value position the keywords 'in' and 'notin' are ordinary identifiers.
        private static Token Adjust(Token t, bool values) =>
            values && t.Kind is TokenKind.In or TokenKind.NotIn ? t with { Kind = TokenKind.Identifier } : t;

        private void Scan()
        {
            int pos = 0;
            while (true)
            {
                while (pos < _text.Length && IsWhitespace(_text[pos]))
                {
                    pos++;
                }

                if (pos >= _text.Length)
                {
                    _tokens.Add(new Token(TokenKind.End, string.Empty, pos));
                    return;
                }

                int start = pos;
                if (IsSpecial(_text[pos]))
                {
                    // Longest operator made of special symbols: "!=", "==", then single symbols.
                    var two = pos + 1 < _text.Length ? _text.Substring(pos, 2) : null;
                    TokenKind kind;
                    if (two == "!=")
                    {
                        kind = TokenKind.NotEquals;
                        pos += 2;
                    }
                    else if (two == "==")
                    {
                        kind = TokenKind.DoubleEquals;
                        pos += 2;
                    }
                    else
                    {
                        kind = _text[pos] switch
                        {
                            '=' => TokenKind.Equals,
                            '!' => TokenKind.Not,
                            '(' => TokenKind.OpenPar,
                            ')' => TokenKind.ClosedPar,
                            ',' => TokenKind.Comma,
                            '>' => TokenKind.GreaterThan,
                            '<' => TokenKind.LessThan,
                            _ => TokenKind.Error,
                        };
                        pos++;
                    }

                    _tokens.Add(new Token(kind, _text[start..pos], start));
                    continue;
                }

                while (pos < _text.Length && !IsSpecial(_text[pos]) && !IsWhitespace(_text[pos]))
                {
                    pos++;
                }

                var word = _text[start..pos];
                var wordKind = word switch
                {
                    "in" => TokenKind.In,
                    "notin" => TokenKind.NotIn,
                    _ => TokenKind.Identifier,
                };
                _tokens.Add(new Token(wordKind, word, start));
            }
        }

        private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

        private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
    }
}
