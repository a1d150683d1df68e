using System.Text.Json.Nodes;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>Small helpers to read unstructured objects.</summary>
internal static class JsonPath
{
    public static JsonNode? Get(JsonNode? node, params string[] path)
    {
        foreach (var p in path)
        {
            node = node is JsonObject o && o.TryGetPropertyValue(p, out var v) ? v : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static string? String(JsonNode? node, params string[] path) =>
        Get(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonArray? Array(JsonNode? node, params string[] path) => Get(node, path) as JsonArray;

    public static JsonObject? Object(JsonNode? node, params string[] path) => Get(node, path) as JsonObject;

    public static string Namespace(JsonObject item) => String(item, "metadata", "namespace") ?? string.Empty;

    public static string Name(JsonObject item) => String(item, "metadata", "name") ?? string.Empty;
}
