using System.Text.Json.Nodes;

namespace Velero.Sdk.Restore;

/// <summary>JSON merge patches (RFC 7386) computed between two documents.</summary>
internal static class MergePatch
{
    /// <summary>The merge patch that turns <paramref name="original"/> into <paramref name="modified"/> (arrays are replaced whole).</summary>
    public static JsonObject Create(JsonObject original, JsonObject modified)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in modified)
        {
            var before = original[key];
            if (!original.ContainsKey(key))
            {
                patch[key] = value?.DeepClone();
            }
            else if (before is JsonObject o && value is JsonObject m)
            {
                var inner = Create(o, m);
                if (inner.Count > 0)
                {
                    patch[key] = inner;
                }
            }
            else if (!JsonNode.DeepEquals(before, value))
            {
                patch[key] = value?.DeepClone();
            }
        }

        foreach (var (key, _) in original)
        {
            if (!modified.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }
}
