using System.Collections;
using System.Reflection;
using System.Text.Json;
using Velero.Sdk.Model;

namespace Velero.Sdk.Tests.Model;

/// <summary>Reflection helpers over object graphs of the Velero model.</summary>
internal static class ModelGraph
{
    /// <summary>
    /// Paths of every model object (types of the <c>Velero.Sdk.Model</c> namespace) whose
    /// <c>AdditionalProperties</c> holds something, with the unknown property names.
    /// </summary>
    public static List<string> FindExtensionData(object root)
    {
        var found = new List<string>();
        Visit(root, "$", (node, path) =>
        {
            if (node.GetType().GetProperty("AdditionalProperties")?.GetValue(node) is IDictionary<string, JsonElement> { Count: > 0 } extra)
            {
                found.Add($"{path}: {string.Join(", ", extra.Keys)}");
            }
        });
        return found;
    }

    /// <summary>Paths of every public property of a model object that is <see langword="null"/>.</summary>
    public static List<string> FindNullProperties(object root)
    {
        var found = new List<string>();
        Visit(root, "$", (node, path) =>
        {
            foreach (var p in PublicProperties(node.GetType()))
            {
                if (p.Name != "AdditionalProperties" && p.GetValue(node) is null)
                {
                    found.Add($"{path}.{p.Name}");
                }
            }
        });
        return found;
    }

    public static bool IsModelType(Type type) => type.Namespace == typeof(V1Backup).Namespace;

    private static IEnumerable<PropertyInfo> PublicProperties(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0);

    private static void Visit(object? node, string path, Action<object, string> action)
    {
        switch (node)
        {
            case null or string or JsonElement:
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry e in dictionary)
                {
                    Visit(e.Value, $"{path}['{e.Key}']", action);
                }

                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    Visit(item, $"{path}[{i++}]", action);
                }

                return;
        }

        if (!IsModelType(node.GetType()))
        {
            return;
        }

        action(node, path);
        foreach (var p in PublicProperties(node.GetType()))
        {
            if (p.Name != "AdditionalProperties")
            {
                Visit(p.GetValue(node), $"{path}.{p.Name}", action);
            }
        }
    }
}
