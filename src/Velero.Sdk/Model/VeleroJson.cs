using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace Velero.Sdk.Model;

/// <summary>
/// JSON serialization of the Velero model with the settings of KubernetesClient's <see cref="KubernetesJson"/> (its
/// converters, naming and null handling), so that Velero resources and KubernetesClient's own models are written the same way.
/// </summary>
/// <remarks>
/// <para>
/// Behaviour inherited from <see cref="KubernetesJson"/>: properties whose value is
/// <see langword="null"/> are omitted; unknown properties are kept in each model's
/// <c>AdditionalProperties</c> (<see cref="System.Text.Json.Serialization.JsonExtensionDataAttribute"/>);
/// <see cref="DateTime"/> values are written in UTC as <c>yyyy-MM-ddTHH:mm:ssZ</c> when they have no
/// fractional seconds and with exactly six fractional digits otherwise (a <see cref="DateTime"/> whose
/// <see cref="DateTime.Kind"/> is not <see cref="DateTimeKind.Utc"/> is converted from local time);
/// times are read back as <see cref="DateTimeKind.Utc"/>.
/// </para>
/// <para>
/// Output is compact and escapes HTML-sensitive and non-ASCII characters (for example <c>+</c> becomes
/// <c>\u002B</c>): equal JSON to what Go writes, though not byte for byte.
/// </para>
/// </remarks>
public static class VeleroJson
{
    // KubernetesClient's settings (converters, naming, null handling) with the reflection-based resolver instead of its
    // source-generated context: that context's type lookup is one method of some 31,000 bytes of IL, and compiling it on
    // first use (the first backup or restore written out) takes the JIT tens of milliseconds and several megabytes of
    // native memory that the process keeps. Property metadata comes from the same attributes either way.
    private static readonly JsonSerializerOptions KubernetesOptions = new(CaptureKubernetesOptions())
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions IndentedOptions = new(KubernetesOptions)
    {
        WriteIndented = true,
        IndentSize = 2,
    };

    /// <summary>Serializes <paramref name="value"/> to compact JSON.</summary>
    /// <param name="value">The object to serialize, e.g. a <see cref="V1Backup"/>.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static string Serialize(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, value.GetType(), KubernetesOptions);
    }

    /// <summary>
    /// Serializes <paramref name="value"/> to JSON, indented by two spaces when <paramref name="indented"/>
    /// is <see langword="true"/> (the layout of Velero's <c>velero-backup.json</c>).
    /// </summary>
    /// <param name="value">The object to serialize.</param>
    /// <param name="indented">Whether to indent the output.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static string Serialize(object value, bool indented)
    {
        ArgumentNullException.ThrowIfNull(value);
        return JsonSerializer.Serialize(value, value.GetType(), indented ? IndentedOptions : KubernetesOptions);
    }

    /// <summary>Deserializes JSON text.</summary>
    /// <typeparam name="T">The type to read, e.g. <see cref="V1Backup"/>.</typeparam>
    /// <param name="json">The JSON text.</param>
    /// <returns>The object, or <see langword="null"/> for the JSON literal <c>null</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The text is not valid JSON for <typeparamref name="T"/>.</exception>
    public static T? Deserialize<T>(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize<T>(json, KubernetesOptions);
    }

    /// <summary>Deserializes UTF-8 JSON read from a stream.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="utf8Json">The stream, read to its end.</param>
    /// <returns>The object, or <see langword="null"/> for the JSON literal <c>null</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="utf8Json"/> is <see langword="null"/>.</exception>
    /// <exception cref="JsonException">The content is not valid JSON for <typeparamref name="T"/>.</exception>
    public static T? Deserialize<T>(Stream utf8Json)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        return JsonSerializer.Deserialize<T>(utf8Json, KubernetesOptions);
    }

    /// <summary>Deserializes UTF-8 JSON bytes.</summary>
    /// <typeparam name="T">The type to read.</typeparam>
    /// <param name="utf8Json">The UTF-8 encoded JSON.</param>
    /// <returns>The object, or <see langword="null"/> for the JSON literal <c>null</c>.</returns>
    /// <exception cref="JsonException">The content is not valid JSON for <typeparamref name="T"/>.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json)
        => JsonSerializer.Deserialize(utf8Json, (JsonTypeInfo<T>)KubernetesOptions.GetTypeInfo(typeof(T)));

    private static JsonSerializerOptions CaptureKubernetesOptions()
    {
        // KubernetesJson keeps its options private; AddJsonOptions hands them to us. We only read them.
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not provide its serializer options.");
    }
}
