using System.Globalization;

namespace Velero.Sdk.Filtering;

/// <summary>One requirement of a <see cref="LabelSelector"/>: a key, an operator and its values.</summary>
public sealed class LabelRequirement
{
    internal LabelRequirement(string key, LabelOperator op, string[] values)
    {
        Key = key;
        Operator = op;
        Values = values;
    }

    /// <summary>The label key.</summary>
    public string Key { get; }

    /// <summary>The operator.</summary>
    public LabelOperator Operator { get; }

    /// <summary>The values, sorted (ordinal); empty for <see cref="LabelOperator.Exists"/> and <see cref="LabelOperator.DoesNotExist"/>.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>Whether the label set satisfies this requirement.</summary>
    public bool Matches(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        var value = lookup(Key);
        switch (Operator)
        {
            case LabelOperator.Equals:
            case LabelOperator.DoubleEquals:
            case LabelOperator.In:
                return value is not null && Contains(value);
            case LabelOperator.NotEquals:
            case LabelOperator.NotIn:
                return value is null || !Contains(value);
            case LabelOperator.Exists:
                return value is not null;
            case LabelOperator.DoesNotExist:
                return value is null;
            case LabelOperator.GreaterThan:
            case LabelOperator.LessThan:
                if (value is null || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual))
                {
                    return false;
                }

                var bound = long.Parse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                return Operator == LabelOperator.GreaterThan ? actual > bound : actual < bound;
            default:
                return false;
        }
    }

    /// <summary>The requirement in selector syntax, e.g. <c>env in (dev,prod)</c>.</summary>
    public override string ToString() => Operator switch
    {
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.Equals => Key + "=" + Values[0],
        LabelOperator.DoubleEquals => Key + "==" + Values[0],
        LabelOperator.NotEquals => Key + "!=" + Values[0],
        LabelOperator.GreaterThan => Key + ">" + Values[0],
        LabelOperator.LessThan => Key + "<" + Values[0],
        LabelOperator.In => Key + " in (" + string.Join(",", Values) + ")",
        LabelOperator.NotIn => Key + " notin (" + string.Join(",", Values) + ")",
        _ => Key,
    };

    private bool Contains(string value)
    {
        foreach (var v in Values)
        {
            if (string.Equals(v, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
