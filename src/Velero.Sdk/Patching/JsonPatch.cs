using System.Globalization;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Patching;

/// <summary>RFC 6902 JSON patch (<c>application/json-patch+json</c>).</summary>
internal static class JsonPatch
{
    /// <summary>Applies every operation in order; throws <see cref="PatchException"/> on the first that fails.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray ops)
        {
            throw new PatchException(false, "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        foreach (var opNode in ops)
        {
            if (opNode is not JsonObject op)
            {
                throw new PatchException(false, "json: cannot unmarshal into Go value of type jsonpatch.Operation");
            }

            var name = op["op"]?.GetValue<string>() ?? throw new PatchException(true, "Unexpected kind: unknown");
            var path = op["path"]?.GetValue<string>() ?? throw new PatchException(true, $"doc is missing path: \"{op.ToJsonString()}\": missing value");
            switch (name)
            {
                case "add":
                    document = Add(document, path, Value(op));
                    break;
                case "remove":
                    document = Remove(document, path, out _);
                    break;
                case "replace":
                    document = Remove(document, path, out _);
                    document = Add(document, path, Value(op));
                    break;
                case "move":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new PatchException(true, "missing from");
                        document = Remove(document, from, out var moved);
                        document = Add(document, path, moved);
                        break;
                    }

                case "copy":
                    {
                        var from = op["from"]?.GetValue<string>() ?? throw new PatchException(true, "missing from");
                        document = Add(document, path, Get(document, from)?.DeepClone());
                        break;
                    }

                case "test":
                    {
                        var actual = Get(document, path);
                        if (!JsonNode.DeepEquals(actual, op["value"]))
                        {
                            throw new PatchException(true, $"testing value {path} failed: test failed");
                        }

                        break;
                    }

                default:
                    throw new PatchException(true, $"Unexpected kind: {name}");
            }
        }

        return document;
    }

    private static JsonNode? Value(JsonObject op)
    {
        if (!op.TryGetPropertyValue("value", out var v))
        {
            throw new PatchException(true, "missing value");
        }

        return v?.DeepClone();
    }

    private static List<string> Split(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new PatchException(true, $"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Get(JsonNode? doc, string path)
    {
        var node = doc;
        foreach (var part in Split(path))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(part, out var v) => v,
                JsonArray a when TryIndex(part, a.Count, out var i) => a[i],
                _ => throw new PatchException(true, $"doc is missing path: \"{path}\": missing value"),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value)
    {
        var parts = Split(path);
        if (parts.Count == 0)
        {
            return value;
        }

        var parent = Get(doc, ParentPath(parts));
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                if (last == "-")
                {
                    a.Add(value);
                }
                else if (int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count)
                {
                    a.Insert(i, value);
                }
                else
                {
                    throw new PatchException(true, $"add operation does not apply: doc is missing path: \"{path}\": missing value");
                }

                break;
            default:
                throw new PatchException(true, $"add operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return doc;
    }

    private static JsonNode? Remove(JsonNode? doc, string path, out JsonNode? removed)
    {
        var parts = Split(path);
        if (parts.Count == 0)
        {
            removed = doc;
            return null;
        }

        var parent = Get(doc, ParentPath(parts));
        var last = parts[^1];
        switch (parent)
        {
            case JsonObject o when o.TryGetPropertyValue(last, out var v):
                o.Remove(last);
                removed = v;
                break;
            case JsonArray a when TryIndex(last, a.Count, out var i):
                removed = a[i];
                a.RemoveAt(i);
                break;
            default:
                throw new PatchException(true, $"remove operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return doc;
    }

    private static string ParentPath(List<string> parts) =>
        parts.Count == 1 ? string.Empty : "/" + string.Join('/', parts.Take(parts.Count - 1).Select(Escape));

    private static string Escape(string s) => s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static bool TryIndex(string part, int count, out int index) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;
}

/// <summary>A patch that could not be decoded (400) or applied (422).</summary>
internal sealed class PatchException(bool unprocessable, string message) : Exception(message)
{
    public bool Unprocessable { get; } = unprocessable;
}
