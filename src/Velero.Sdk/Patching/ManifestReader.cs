using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Velero.Sdk.Patching;

/// <summary>Reads Kubernetes manifests (YAML or JSON, multi-document, <c>kind: List</c>) into JSON objects.</summary>
internal static class ManifestReader
{
    /// <summary>Every object of a file or of the manifest files (*.yaml, *.yml, *.json) of a folder tree, in path order.</summary>
    public static IEnumerable<(string Source, JsonObject Object)> ReadPath(string fileOrFolder)
    {
        if (Directory.Exists(fileOrFolder))
        {
            var files = Directory.EnumerateFiles(fileOrFolder, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var f in files)
            {
                foreach (var o in ReadFile(f))
                {
                    yield return o;
                }
            }
        }
        else if (File.Exists(fileOrFolder))
        {
            foreach (var o in ReadFile(fileOrFolder))
            {
                yield return o;
            }
        }
        else
        {
            throw new FileNotFoundException($"seed {fileOrFolder} does not exist", fileOrFolder);
        }
    }

    private static IEnumerable<(string, JsonObject)> ReadFile(string path)
    {
        var index = 0;
        foreach (var doc in ParseAll(File.ReadAllText(path)))
        {
            index++;
            yield return ($"{path} (document {index.ToString(CultureInfo.InvariantCulture)})", doc);
        }
    }

    /// <summary>Every object in a YAML or JSON text; <c>kind: List</c> documents are expanded, empty ones skipped.</summary>
    public static IEnumerable<JsonObject> ParseAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        foreach (var doc in stream.Documents)
        {
            if (Convert(doc.RootNode) is not JsonObject obj)
            {
                continue;
            }

            if ((string?)obj["kind"] is { } kind && kind.EndsWith("List", StringComparison.Ordinal) && obj["items"] is JsonArray items)
            {
                // Items of a typed list (PodList) carry no apiVersion/kind: they come from the list.
                var itemKind = kind == "List" ? null : kind[..^"List".Length];
                var apiVersion = (string?)obj["apiVersion"];
                foreach (var item in items.ToList())
                {
                    if (item is JsonObject io)
                    {
                        items.Remove(io);
                        if (itemKind is not null && io["kind"] is null)
                        {
                            io["kind"] = itemKind;
                            io["apiVersion"] ??= apiVersion;
                        }

                        yield return io;
                    }
                }
            }
            else
            {
                yield return obj;
            }
        }
    }

    /// <summary>One YAML or JSON value.</summary>
    public static JsonNode? ParseSingle(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                {
                    var o = new JsonObject();
                    foreach (var (k, v) in map.Children)
                    {
                        var key = k is YamlScalarNode ks ? ks.Value ?? string.Empty : k.ToString();
                        if (key == "<<" && v is YamlMappingNode merge)
                        {
                            foreach (var (mk, mv) in merge.Children)
                            {
                                var mkey = ((YamlScalarNode)mk).Value ?? string.Empty;
                                if (!o.ContainsKey(mkey))
                                {
                                    o[mkey] = Convert(mv);
                                }
                            }

                            continue;
                        }

                        o[key] = Convert(v);
                    }

                    return o;
                }

            case YamlSequenceNode seq:
                return new JsonArray(seq.Children.Select(Convert).ToArray());
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value is "tag:yaml.org,2002:str" or "!!str")
        {
            return JsonValue.Create(value);
        }

        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE" or "y" or "Y" or "yes" or "Yes" or "YES" or "on" or "On" or "ON":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "n" or "N" or "no" or "No" or "NO" or "off" or "Off" or "OFF":
                return JsonValue.Create(false);
        }

        var plain = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && !(plain.Length > 1 && plain.TrimStart('-', '+').StartsWith('0')))
        {
            return JsonValue.Create(l);
        }

        if (plain.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(plain[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (plain.Length > 1 && plain[0] == '0' && plain.All(c => c is >= '0' and <= '7'))
        {
            return JsonValue.Create(System.Convert.ToInt64(plain, 8));
        }

        if (IsFloat(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return JsonValue.Create(d);
        }

        return JsonValue.Create(value);
    }

    private static bool IsFloat(string s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '-' or '+')
        {
            i++;
        }

        var digits = false;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
            digits = true;
        }

        if (i < s.Length && s[i] == '.')
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                digits = true;
            }
        }

        if (!digits)
        {
            return false;
        }

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '-' or '+')
            {
                i++;
            }

            var exp = false;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
                exp = true;
            }

            return exp && i == s.Length;
        }

        return i == s.Length;
    }
}
