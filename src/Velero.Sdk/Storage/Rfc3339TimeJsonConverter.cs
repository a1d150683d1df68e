using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>
/// Reads and writes a time as Kubernetes <c>metav1.Time</c> does: RFC 3339 in UTC with second precision
/// (<c>2024-01-02T03:04:05Z</c>); reading accepts any ISO 8601 time and returns UTC.
/// </summary>
internal sealed class Rfc3339TimeJsonConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("expected a time string");
        return DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        writer.WriteStringValue(utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }
}
