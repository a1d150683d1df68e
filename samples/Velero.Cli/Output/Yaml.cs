using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Velero.Cli.Output;

/// <summary>
/// Writes a JSON tree as block YAML: maps and lists indented by two, strings plain when YAML reads them back as the same string
/// and double-quoted (JSON escapes, which YAML shares) otherwise, so the document parses back to the same JSON.
/// </summary>
internal static partial class Yaml
{
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        switch (node)
        {
            case JsonObject { Count: > 0 } o:
                WriteObject(sb, o, 0);
                break;
            case JsonArray { Count: > 0 } a:
                WriteArray(sb, a, 0);
                break;
            default:
                sb.Append(Scalar(node)).Append('\n');
                break;
        }

        return sb.ToString();
    }

    private static void WriteObject(StringBuilder sb, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            sb.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(sb, value, indent, inList: false);
        }
    }

    private static void WriteArray(StringBuilder sb, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            sb.Append(' ', indent).Append('-');
            WriteValue(sb, item, indent, inList: true);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int indent, bool inList)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } o when inList:
                // "- key: value" with the other keys aligned under the first.
                var inner = new StringBuilder();
                WriteObject(inner, o, indent + 2);
                sb.Append(' ').Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                break;
            case JsonObject { Count: > 0 } o:
                sb.Append('\n');
                WriteObject(sb, o, indent + 2);
                break;
            case JsonArray { Count: > 0 } a:
                sb.Append('\n');
                WriteArray(sb, a, inList ? indent + 2 : indent);
                break;
            default:
                sb.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Key(string key) => IsPlain(key) ? key : JsonSerializer.Serialize(key);

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() is var s && IsPlain(s) ? s : JsonSerializer.Serialize(s),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => node.ToJsonString(),
    };

    /// <summary>A string YAML reads back as itself without quotes: no indicator first, no <c>: </c> or <c> #</c>, not a bool, null or number.</summary>
    private static bool IsPlain(string s) =>
        s.Length > 0
        && PlainPattern().IsMatch(s)
        && !Reserved.Contains(s)
        && !double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        && !s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && !s.StartsWith("0o", StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~", ".inf", "-.inf", "+.inf", ".nan",
    };

    [GeneratedRegex(@"^[A-Za-z0-9_./][A-Za-z0-9_./@()+=-]*$")]
    private static partial Regex PlainPattern();
}
