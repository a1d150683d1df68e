using System.Text.Json.Nodes;

namespace Velero.Sdk.Patching;

/// <summary>RFC 7386 JSON merge patch (<c>application/merge-patch+json</c>).</summary>
internal static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result.TryGetPropertyValue(key, out var existing);
                if (existing is not null)
                {
                    result.Remove(key);
                }

                var merged = Apply(existing, value);
                result[key] = merged?.Parent is null ? merged : merged.DeepClone();
            }
        }

        return result;
    }
}
