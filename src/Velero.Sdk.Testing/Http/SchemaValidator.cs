using System.Text.Json;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Http;

/// <summary>
/// The structural part of CRD openAPIV3Schema validation: <c>type</c>, <c>required</c>, <c>properties</c>,
/// <c>items</c> and <c>x-kubernetes-int-or-string</c>, with the apiextensions apiserver's messages. Unknown
/// fields are kept (no pruning).
/// </summary>
internal static class SchemaValidator
{
    public static List<FieldError> Validate(JsonObject schema, JsonObject obj)
    {
        var errors = new List<FieldError>();
        if (schema["properties"] is JsonObject props)
        {
            foreach (var (name, sub) in props)
            {
                if (name is "metadata" or "apiVersion" or "kind" || sub is not JsonObject s || !obj.TryGetPropertyValue(name, out var value))
                {
                    continue;
                }

                Walk(s, value, name, errors);
            }
        }

        return errors;
    }

    private static void Walk(JsonObject schema, JsonNode? value, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            return;
        }

        var actual = TypeOf(value);
        if ((bool?)schema["x-kubernetes-int-or-string"] == true)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.InvalidType(path, actual, $"{path} in body must be of type integer,string: \"{actual}\""));
            }

            return;
        }

        if ((string?)schema["type"] is { } expected && expected != actual && !(expected == "number" && actual == "integer"))
        {
            errors.Add(FieldError.InvalidType(path, actual, $"{path} in body must be of type {expected}: \"{actual}\""));
            return;
        }

        if (value is JsonObject o)
        {
            if (schema["required"] is JsonArray required)
            {
                foreach (var r in required)
                {
                    if ((string?)r is { } name && !o.ContainsKey(name))
                    {
                        errors.Add(FieldError.Required(path + "." + name, string.Empty));
                    }
                }
            }

            if (schema["properties"] is JsonObject props)
            {
                foreach (var (name, sub) in props)
                {
                    if (sub is JsonObject s && o.TryGetPropertyValue(name, out var v))
                    {
                        Walk(s, v, path + "." + name, errors);
                    }
                }
            }
        }
        else if (value is JsonArray a && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < a.Count; i++)
            {
                Walk(items, a[i], $"{path}[{i}]", errors);
            }
        }
    }

    private static string TypeOf(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Number => value.ToJsonString().Contains('.', StringComparison.Ordinal) || value.ToJsonString().Contains('e', StringComparison.OrdinalIgnoreCase) ? "number" : "integer",
        _ => "null",
    };
}
