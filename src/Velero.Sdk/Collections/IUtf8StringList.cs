using System.Text.Json;

namespace Velero.Sdk.Collections;

/// <summary>
/// A list of strings kept as UTF-8 that writes itself as JSON string values straight from those bytes, so a resource list of
/// hundreds of thousands of entries is written without a string per entry.
/// </summary>
internal interface IUtf8StringList : IReadOnlyList<string>
{
    /// <summary>Writes every entry, in order, as a JSON string value (flushing <paramref name="writer"/> as its buffer fills).</summary>
    void WriteJsonValues(Utf8JsonWriter writer);
}
