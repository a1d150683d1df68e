using System.Text.Json.Nodes;

namespace Velero.Sdk.Patching;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>) for the built-in types: a JSON merge
/// patch in which the lists that Kubernetes' Go types mark <c>patchStrategy:"merge"</c> are merged by their
/// <c>patchMergeKey</c>, with the <c>$patch</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList</c> and
/// <c>$setElementOrder</c> directives.
/// </summary>
internal static class StrategicMergePatch
{
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";
    private const string SetElementOrder = "$setElementOrder/";

    // Field name -> merge key of the built-in list fields declared patchStrategy:"merge".
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["imagePullSecrets"] = "name",
        ["resourceClaims"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["hostAliases"] = "ip",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["ports"] = "port",
        ["readinessGates"] = "conditionType",
        ["topologySpreadConstraints"] = "topologyKey",
        ["secrets"] = "name",
        ["schedulingGates"] = "name",
    };

    public static JsonObject Apply(JsonObject original, JsonObject patch) => MergeMap(original, patch, parentField: null);

    private static JsonObject MergeMap(JsonObject original, JsonObject patch, string? parentField)
    {
        if (patch["$patch"] is JsonValue directive)
        {
            var d = directive.GetValue<string>();
            if (d == "replace")
            {
                var replaced = (JsonObject)patch.DeepClone();
                StripDirectives(replaced);
                return replaced;
            }

            if (d != "delete" && d != "merge")
            {
                throw new PatchException(false, $"Unrecognized $patch directive: {d}");
            }
        }

        List<string>? retain = null;
        if (patch["$retainKeys"] is JsonArray rk)
        {
            retain = rk.Select(x => x!.GetValue<string>()).ToList();
        }

        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith(SetElementOrder, StringComparison.Ordinal))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                {
                    for (var i = list.Count - 1; i >= 0; i--)
                    {
                        if (remove.Any(r => JsonNode.DeepEquals(r, list[i])))
                        {
                            list.RemoveAt(i);
                        }
                    }
                }

                continue;
            }

            if (value is null)
            {
                original.Remove(key);
                continue;
            }

            original.TryGetPropertyValue(key, out var existing);
            switch (value)
            {
                case JsonObject po when po["$patch"] is JsonValue pv && pv.GetValue<string>() == "delete":
                    original.Remove(key);
                    break;
                case JsonObject po when existing is JsonObject eo:
                    original.Remove(key);
                    original[key] = MergeMap(eo, po, key);
                    break;
                case JsonArray pa when existing is JsonArray ea:
                    original.Remove(key);
                    original[key] = MergeList(ea, pa, key, parentField);
                    break;
                default:
                    {
                        var copy = value.DeepClone();
                        StripDirectives(copy);
                        original[key] = copy;
                        break;
                    }
            }
        }

        if (retain is not null)
        {
            foreach (var k in original.Select(p => p.Key).Where(k => !retain.Contains(k)).ToList())
            {
                original.Remove(k);
            }
        }

        return original;
    }

    private static JsonArray MergeList(JsonArray original, JsonArray patch, string field, string? parentField)
    {
        // A list-level {"$patch": "replace"} replaces the whole list with the other items.
        if (patch.Any(p => p is JsonObject o && o["$patch"] is JsonValue v && v.GetValue<string>() == "replace"))
        {
            var replaced = new JsonArray();
            foreach (var p in patch)
            {
                if (p is JsonObject o && o["$patch"] is not null)
                {
                    continue;
                }

                replaced.Add(p?.DeepClone());
            }

            return replaced;
        }

        if (field == "finalizers" && parentField == "metadata")
        {
            // patchStrategy:"merge" on a list of strings: union, original order first.
            var union = (JsonArray)original.DeepClone();
            foreach (var p in patch)
            {
                if (!union.Any(u => JsonNode.DeepEquals(u, p)))
                {
                    union.Add(p?.DeepClone());
                }
            }

            return union;
        }

        if (!MergeKeys.TryGetValue(field, out var mergeKey) || patch.Any(p => p is not JsonObject))
        {
            var copy = (JsonArray)patch.DeepClone();
            foreach (var item in copy)
            {
                StripDirectives(item);
            }

            return copy;
        }

        if (field == "ports" && patch.Concat(original).Any(p => p is JsonObject o && o.ContainsKey("containerPort")))
        {
            mergeKey = "containerPort";
        }

        var result = (JsonArray)original.DeepClone();
        foreach (var p in patch)
        {
            var po = (JsonObject)p!;
            var keyValue = po[mergeKey];
            var index = -1;
            for (var i = 0; i < result.Count; i++)
            {
                if (result[i] is JsonObject ro && JsonNode.DeepEquals(ro[mergeKey], keyValue))
                {
                    index = i;
                    break;
                }
            }

            var isDelete = po["$patch"] is JsonValue dv && dv.GetValue<string>() == "delete";
            if (isDelete)
            {
                if (index >= 0)
                {
                    result.RemoveAt(index);
                }

                continue;
            }

            if (index >= 0)
            {
                var target = (JsonObject)result[index]!;
                result[index] = null;
                result[index] = MergeMap(target, po, field);
            }
            else
            {
                var copy = po.DeepClone();
                StripDirectives(copy);
                result.Add(copy);
            }
        }

        return result;
    }

    private static void StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var k in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    o.Remove(k);
                }

                foreach (var (_, v) in o)
                {
                    StripDirectives(v);
                }

                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    StripDirectives(v);
                }

                break;
        }
    }
}
