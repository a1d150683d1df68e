using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Velero.Sdk.Tests;

/// <summary>
/// Structural JSON equality: object key order is ignored, everything else must be equal.
/// Failures name the JSON path of the first difference.
/// </summary>
internal static class JsonAssert
{
    /// <summary>Asserts that two JSON trees are structurally equal.</summary>
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        var difference = FindDifference(expected, actual, "$");
        if (difference is not null)
        {
            throw new XunitException("JSON trees differ at " + difference);
        }
    }

    /// <summary>Parses both texts and asserts that they are structurally equal.</summary>
    public static void Equal(string expectedJson, string actualJson)
        => Equal(JsonNode.Parse(expectedJson), JsonNode.Parse(actualJson));

    /// <summary>Returns a description of the first difference, or <see langword="null"/> when equal.</summary>
    public static string? FindDifference(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var expectedKind = expected?.GetValueKind() ?? JsonValueKind.Null;
        var actualKind = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (!SameKind(expectedKind, actualKind))
        {
            return $"{path}: expected {Describe(expected)} but found {Describe(actual)}";
        }

        switch (expectedKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object:
                {
                    var e = expected!.AsObject();
                    var a = actual!.AsObject();
                    foreach (var (key, value) in e)
                    {
                        if (!a.TryGetPropertyValue(key, out var other))
                        {
                            return $"{Child(path, key)}: expected {Describe(value)} but the property is missing";
                        }

                        var d = FindDifference(value, other, Child(path, key));
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    foreach (var (key, value) in a)
                    {
                        if (!e.ContainsKey(key))
                        {
                            return $"{Child(path, key)}: unexpected property with value {Describe(value)}";
                        }
                    }

                    return null;
                }

            case JsonValueKind.Array:
                {
                    var e = expected!.AsArray();
                    var a = actual!.AsArray();
                    for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                    {
                        var d = FindDifference(e[i], a[i], $"{path}[{i}]");
                        if (d is not null)
                        {
                            return d;
                        }
                    }

                    return e.Count == a.Count
                        ? null
                        : $"{path}: expected an array of {e.Count} elements but found {a.Count}";
                }

            case JsonValueKind.Number:
                {
                    var e = expected!.ToJsonString();
                    var a = actual!.ToJsonString();
                    if (e == a)
                    {
                        return null;
                    }

                    if (decimal.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var ed)
                        && decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var ad)
                        && ed == ad)
                    {
                        return null;
                    }

                    return $"{path}: expected {e} but found {a}";
                }

            case JsonValueKind.String:
                {
                    var e = expected!.GetValue<string>();
                    var a = actual!.GetValue<string>();
                    return string.Equals(e, a, StringComparison.Ordinal)
                        ? null
                        : $"{path}: expected {Describe(expected)} but found {Describe(actual)}";
                }

            default:
                return null; // true/false: same kind means same value
        }
    }

    private static bool SameKind(JsonValueKind a, JsonValueKind b) => a == b;

    private static string Child(string path, string key)
        => key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"{path}.{key}" : $"{path}['{key}']";

    private static string Describe(JsonNode? node)
    {
        if (node is null)
        {
            return "null";
        }

        var text = node.ToJsonString();
        return text.Length > 120 ? text[..117] + "..." : text;
    }
}
