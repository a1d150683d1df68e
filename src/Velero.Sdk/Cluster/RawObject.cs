using System.Text;
using System.Text.Json;

namespace Velero.Sdk.Cluster;

/// <summary>
/// One Kubernetes object as the server returned it: its JSON bytes untouched (plus <c>apiVersion</c>/<c>kind</c> when a
/// list left them out) and the few metadata fields the engines need, read without building a document.
/// </summary>
internal sealed class RawObject
{
    private RawObject(byte[] json, string name, string? ns, IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations, bool deleting, string? uid)
    {
        Json = json;
        Name = name;
        Namespace = ns;
        Labels = labels;
        Annotations = annotations;
        Deleting = deleting;
        Uid = uid;
    }

    /// <summary>The object's JSON.</summary>
    public byte[] Json { get; }

    public string Name { get; }

    /// <summary>The namespace; null for cluster-scoped objects.</summary>
    public string? Namespace { get; }

    public IReadOnlyDictionary<string, string>? Labels { get; }

    public IReadOnlyDictionary<string, string>? Annotations { get; }

    /// <summary>True when <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool Deleting { get; }

    public string? Uid { get; }

    /// <summary>Reads an object; when it lacks <c>apiVersion</c> or <c>kind</c> (list items do) they are added in front.</summary>
    public static RawObject Parse(ReadOnlySpan<byte> json, string apiVersion, string kind)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a Kubernetes object must be a JSON object");
        }

        bool hasApiVersion = false, hasKind = false, deleting = false;
        string name = string.Empty;
        string? ns = null, uid = null;
        Dictionary<string, string>? labels = null, annotations = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("apiVersion"u8))
            {
                hasApiVersion = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("kind"u8))
            {
                hasKind = true;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8))
                    {
                        reader.Read();
                        name = reader.GetString() ?? string.Empty;
                    }
                    else if (reader.ValueTextEquals("namespace"u8))
                    {
                        reader.Read();
                        ns = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("uid"u8))
                    {
                        reader.Read();
                        uid = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("deletionTimestamp"u8))
                    {
                        reader.Read();
                        deleting = reader.TokenType != JsonTokenType.Null;
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            reader.Skip();
                        }
                    }
                    else if (reader.ValueTextEquals("labels"u8))
                    {
                        labels = ReadStringMap(ref reader);
                    }
                    else if (reader.ValueTextEquals("annotations"u8))
                    {
                        annotations = ReadStringMap(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        byte[] bytes;
        if (hasApiVersion && hasKind)
        {
            bytes = json.ToArray();
        }
        else
        {
            var prefix = new StringBuilder("{");
            if (!hasApiVersion)
            {
                prefix.Append("\"apiVersion\":").Append(JsonSerializer.Serialize(apiVersion));
            }

            if (!hasKind)
            {
                prefix.Append(prefix.Length > 1 ? "," : string.Empty).Append("\"kind\":").Append(JsonSerializer.Serialize(kind));
            }

            var head = Encoding.UTF8.GetBytes(prefix.ToString());
            var rest = json[1..];
            bool empty = rest.TrimStart(" \t\r\n"u8).StartsWith("}"u8);
            bytes = new byte[head.Length + (empty ? 0 : 1) + rest.Length];
            head.CopyTo(bytes, 0);
            int pos = head.Length;
            if (!empty)
            {
                bytes[pos++] = (byte)',';
            }

            rest.CopyTo(bytes.AsSpan(pos));
        }

        return new RawObject(bytes, name, string.IsNullOrEmpty(ns) ? null : ns, labels, annotations, deleting, uid);
    }

    /// <summary>Reads an object already known to carry apiVersion and kind (e.g. a single GET or an action's output).</summary>
    public static RawObject Parse(ReadOnlySpan<byte> json) => Parse(json, string.Empty, string.Empty);

    /// <summary>The <c>apiVersion</c> of the object.</summary>
    public string ApiVersion => ReadTopLevelString("apiVersion"u8) ?? string.Empty;

    /// <summary>The <c>kind</c> of the object.</summary>
    public string Kind => ReadTopLevelString("kind"u8) ?? string.Empty;

    public override string ToString() => Namespace is null ? Name : Namespace + "/" + Name;

    private string? ReadTopLevelString(ReadOnlySpan<byte> property)
    {
        var reader = new Utf8JsonReader(Json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool match = reader.ValueTextEquals(property);
            reader.Read();
            if (match)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType == JsonTokenType.String)
            {
                map[key] = reader.GetString()!;
            }
            else
            {
                reader.Skip();
            }
        }

        return map;
    }
}
