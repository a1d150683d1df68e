namespace Velero.Sdk.Tests;

/// <summary>What a resource list's UTF-8 fast path (<see cref="Velero.Sdk.Collections.IUtf8StringList.WriteJsonValues"/>) writes, read back.</summary>
internal static class Utf8ListJson
{
    /// <summary>The entries <paramref name="list"/> writes as a JSON array, deserialized.</summary>
    public static List<string> Written(IReadOnlyList<string> list)
    {
        using var json = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(json))
        {
            writer.WriteStartArray();
            ((Velero.Sdk.Collections.IUtf8StringList)list).WriteJsonValues(writer);
            writer.WriteEndArray();
        }

        return System.Text.Json.JsonSerializer.Deserialize<List<string>>(json.ToArray())!;
    }
}
