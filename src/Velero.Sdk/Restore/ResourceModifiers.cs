using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Velero.Sdk.Filtering;
using Velero.Sdk.Patching;

namespace Velero.Sdk.Restore;

/// <summary>
/// Velero's resource modifiers (velero-engine.md 4.12): rules read from a ConfigMap that patch items as they are restored,
/// with JSON patches, merge patches or strategic merge patches, under conditions on the group-resource, the name, the
/// backup namespace, labels and values.
/// </summary>
internal sealed class ResourceModifiers
{
    private static readonly string[] Operations = ["add", "remove", "replace", "move", "copy", "test"];
    private static readonly string[] PatchKinds = ["patches", "mergePatches", "strategicPatches"];
    private readonly List<Rule> _rules;

    private ResourceModifiers(List<Rule> rules) => _rules = rules;

    private sealed record Rule(
        Regex GroupResource,
        Regex? Name,
        IReadOnlyList<string>? Namespaces,
        LabelSelector? Labels,
        JsonArray? Matches,
        JsonArray? JsonPatch,
        IReadOnlyList<JsonNode?> MergePatches,
        IReadOnlyList<JsonObject> StrategicPatches);

    /// <summary>Parses the ConfigMap's data: exactly one key whose value is the YAML (or JSON) of the rules.</summary>
    /// <exception cref="FormatException">The rules are invalid; the message says why.</exception>
    public static ResourceModifiers Parse(JsonObject? data, string configMapName)
    {
        if (data is null || data.Count != 1)
        {
            throw new FormatException($"resource modifiers configmap {configMapName} must have exactly one data key, found {data?.Count ?? 0}");
        }

        var text = data.First().Value?.GetValue<string>() ?? string.Empty;
        JsonNode? root;
        try
        {
            root = ManifestReader.ParseSingle(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"error parsing resource modifiers in configmap {configMapName}: {e.Message}", e);
        }

        if (root is not JsonObject doc)
        {
            throw new FormatException($"resource modifiers in configmap {configMapName} are not a YAML mapping");
        }

        Strict(doc, "resource modifiers", "version", "resourceModifierRules");
        if (!string.Equals(doc["version"]?.GetValue<string>(), "v1", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"unsupported resource modifier version {doc["version"]?.ToJsonString() ?? "\"\""}");
        }

        if (doc["resourceModifierRules"] is not JsonArray { Count: > 0 } rules)
        {
            throw new FormatException("resource modifier rules cannot be empty");
        }

        return new ResourceModifiers([.. rules.Select((r, i) => ParseRule(r as JsonObject ?? throw new FormatException($"resourceModifierRules[{i}] is not a mapping"), i))]);
    }

    private static Rule ParseRule(JsonObject rule, int index)
    {
        var where = $"resourceModifierRules[{index}]";
        Strict(rule, where, "conditions", "patches", "mergePatches", "strategicPatches");
        var conditions = rule["conditions"] as JsonObject ?? throw new FormatException($"{where}: conditions are required");
        Strict(conditions, where + ".conditions", "groupResource", "resourceNameRegex", "namespaces", "labelSelector", "matches");
        var gr = conditions["groupResource"]?.GetValue<string>();
        if (string.IsNullOrEmpty(gr))
        {
            throw new FormatException($"{where}: groupResource cannot be empty");
        }

        int kinds = PatchKinds.Count(k => rule[k] is JsonArray { Count: > 0 });
        if (kinds > 1)
        {
            throw new FormatException($"{where}: only one of patches, mergePatches and strategicPatches can be specified");
        }

        JsonArray? jsonPatch = null;
        if (rule["patches"] is JsonArray patches)
        {
            jsonPatch = [];
            foreach (var p in patches.OfType<JsonObject>())
            {
                Strict(p, where + ".patches[]", "operation", "from", "path", "value");
                var op = p["operation"]?.GetValue<string>() ?? string.Empty;
                if (!Operations.Contains(op))
                {
                    throw new FormatException($"{where}: invalid patch operation \"{op}\"");
                }

                var path = p["path"]?.GetValue<string>();
                if (string.IsNullOrEmpty(path))
                {
                    throw new FormatException($"{where}: patch path cannot be empty");
                }

                var entry = new JsonObject { ["op"] = op, ["path"] = path };
                if (p["from"]?.GetValue<string>() is { } from)
                {
                    entry["from"] = from;
                }

                if (op is "add" or "replace" or "test")
                {
                    entry["value"] = ConvertValue(ScalarText(p["value"]), where);
                }

                jsonPatch.Add(entry);
            }
        }

        var merge = (rule["mergePatches"] as JsonArray ?? []).Select(m => PatchData(m, where)).ToList();
        var strategic = (rule["strategicPatches"] as JsonArray ?? [])
            .Select(m => PatchData(m, where) as JsonObject ?? throw new FormatException($"{where}: a strategic patch must be a mapping"))
            .ToList();

        LabelSelector? labels = null;
        if (conditions["labelSelector"] is JsonObject selector)
        {
            labels = LabelSelector.FromLabelSelector(Model.VeleroJson.Deserialize<k8s.Models.V1LabelSelector>(selector.ToJsonString()));
        }

        JsonArray? matches = null;
        if (conditions["matches"] is JsonArray m2)
        {
            matches = [];
            foreach (var c in m2.OfType<JsonObject>())
            {
                var path = c["path"]?.GetValue<string>();
                if (string.IsNullOrEmpty(path))
                {
                    throw new FormatException($"{where}: a match path cannot be empty");
                }

                matches.Add(new JsonObject { ["op"] = "test", ["path"] = path, ["value"] = ConvertValue(ScalarText(c["value"]), where) });
            }
        }

        return new Rule(
            GlobWithDots(gr),
            conditions["resourceNameRegex"]?.GetValue<string>() is { Length: > 0 } regex ? new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null,
            conditions["namespaces"] is JsonArray ns ? [.. ns.Select(n => n?.GetValue<string>() ?? string.Empty)] : null,
            labels,
            matches,
            jsonPatch,
            merge,
            strategic);
    }

    /// <summary>
    /// Applies every rule that matches to <paramref name="item"/>; conditions are evaluated against the item as it was before
    /// any rule ran. Returns the patched item and the errors met (the item is still restored).
    /// </summary>
    public (JsonObject Item, IReadOnlyList<string> Errors) Apply(JsonObject item, string groupResource, string? backupNamespace)
    {
        var original = (JsonObject)item.DeepClone();
        var errors = new List<string>();
        JsonNode current = item;
        foreach (var rule in _rules)
        {
            if (!Applies(rule, original, groupResource, backupNamespace))
            {
                continue;
            }

            try
            {
                if (rule.JsonPatch is { Count: > 0 } patch)
                {
                    try
                    {
                        current = JsonPatch.Apply(current.DeepClone(), patch.DeepClone()) ?? current;
                    }
                    catch (PatchException e) when (e.Message.Contains("test failed", StringComparison.Ordinal))
                    {
                        // A failing test operation leaves the object unchanged, without error.
                    }
                }

                foreach (var merge in rule.MergePatches)
                {
                    current = JsonMergePatch.Apply(current.DeepClone(), merge?.DeepClone()) ?? current;
                }

                foreach (var strategic in rule.StrategicPatches)
                {
                    current = StrategicMergePatch.Apply((JsonObject)current.DeepClone(), (JsonObject)strategic.DeepClone());
                }
            }
            catch (PatchException e)
            {
                errors.Add($"error applying resource modifier to {groupResource} {item["metadata"]?["name"]?.GetValue<string>()}: {e.Message}");
            }
        }

        return (current as JsonObject ?? item, errors);
    }

    private static bool Applies(Rule rule, JsonObject item, string groupResource, string? backupNamespace)
    {
        if (!rule.GroupResource.IsMatch(groupResource))
        {
            return false;
        }

        var name = item["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        if (rule.Name is { } regex && !regex.IsMatch(name))
        {
            return false;
        }

        if (backupNamespace is not null && rule.Namespaces is { Count: > 0 } namespaces && !namespaces.Contains(backupNamespace))
        {
            return false;
        }

        if (rule.Labels is { } labels && !labels.Matches(RestoreRun.Labels(item)))
        {
            return false;
        }

        if (rule.Matches is { Count: > 0 } matches)
        {
            try
            {
                JsonPatch.Apply(item.DeepClone(), matches.DeepClone());
            }
            catch (PatchException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Velero's value conversion: raw JSON for null, booleans, numbers, objects and arrays; quoted text unquoted; else a string.</summary>
    private static JsonNode? ConvertValue(string? text, string where)
    {
        if (string.IsNullOrEmpty(text))
        {
            return JsonValue.Create(string.Empty);
        }

        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            return JsonValue.Create(text[1..^1]);
        }

        bool raw = text is "null" || text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase) ||
            text[0] is '{' or '[' || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (!raw)
        {
            return JsonValue.Create(text);
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{where}: value {text} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? ScalarText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static JsonNode? PatchData(JsonNode? entry, string where)
    {
        var data = entry?["patchData"]?.GetValue<string>() ?? throw new FormatException($"{where}: patchData is required");
        try
        {
            return ManifestReader.ParseSingle(data);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"{where}: patchData is not valid YAML or JSON: {e.Message}", e);
        }
    }

    private static void Strict(JsonObject obj, string where, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key))
            {
                throw new FormatException($"{where}: unknown field \"{key}\"");
            }
        }
    }

    /// <summary>A glob in which <c>*</c> and <c>?</c> do not cross a <c>.</c>.</summary>
    private static Regex GlobWithDots(string glob)
    {
        var pattern = "^" + Regex.Escape(glob).Replace("\\*", "[^.]*", StringComparison.Ordinal).Replace("\\?", "[^.]", StringComparison.Ordinal) + "$";
        return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
