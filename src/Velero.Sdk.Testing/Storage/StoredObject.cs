using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Storage;

/// <summary>
/// One stored object version: its UTF-8 JSON (as a get or watch answers it) and the list-item form
/// (built-in list items carry no <c>apiVersion</c>/<c>kind</c>), both serialized once so that list pages
/// and watch events are written by copying bytes.
/// </summary>
internal sealed class StoredObject
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private StoredObject(string ns, string name, long resourceVersion, byte[] json, byte[] itemJson, IReadOnlyDictionary<string, string>? labels, string uid, bool terminating, bool hasFinalizers, string apiVersion)
    {
        ApiVersion = apiVersion;
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        ItemJson = itemJson;
        Labels = labels;
        Uid = uid;
        Terminating = terminating;
        HasFinalizers = hasFinalizers;
    }

    /// <summary>The <c>apiVersion</c> the object was stored with.</summary>
    public string ApiVersion { get; }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary><c>namespace/name</c> for namespaced objects, <c>name</c> otherwise: the sort and continue key.</summary>
    public string Key => Namespace.Length == 0 ? Name : Namespace + "/" + Name;

    public long ResourceVersion { get; }

    public byte[] Json { get; }

    public byte[] ItemJson { get; }

    public IReadOnlyDictionary<string, string>? Labels { get; }

    public string Uid { get; }

    /// <summary>Whether <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool Terminating { get; }

    public bool HasFinalizers { get; }

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;

    /// <summary>The length of <c>{"kind":..,"apiVersion":..,</c> at the start of <paramref name="json"/>, or 0.</summary>
    private static int TypeMetaPrefixLength(JsonObject obj, byte[] json)
    {
        if (obj.Count < 3 || obj.GetAt(0).Key != "kind" || obj.GetAt(1).Key != "apiVersion"
            || obj.GetAt(0).Value is not JsonValue k || obj.GetAt(1).Value is not JsonValue a)
        {
            return 0;
        }

        var prefix = "{\"kind\":" + k.ToJsonString() + ",\"apiVersion\":" + a.ToJsonString() + ",";
        var bytes = System.Text.Encoding.UTF8.GetBytes(prefix);
        return json.AsSpan().StartsWith(bytes) ? bytes.Length : 0;
    }

    /// <summary>Serializes <paramref name="obj"/> (whose metadata is final) into a stored version.</summary>
    public static StoredObject From(JsonObject obj, long resourceVersion, bool itemsCarryTypeMeta)
    {
        var metadata = obj["metadata"] as JsonObject;
        var ns = metadata?["namespace"]?.GetValue<string>() ?? string.Empty;
        var name = metadata?["name"]?.GetValue<string>() ?? string.Empty;
        var uid = metadata?["uid"]?.GetValue<string>() ?? string.Empty;
        Dictionary<string, string>? labels = null;
        if (metadata?["labels"] is JsonObject l && l.Count > 0)
        {
            labels = new Dictionary<string, string>(l.Count, StringComparer.Ordinal);
            foreach (var (k, v) in l)
            {
                labels[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? string.Empty;
            }
        }

        var terminating = metadata?["deletionTimestamp"] is JsonValue;
        var hasFinalizers = metadata?["finalizers"] is JsonArray { Count: > 0 };

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            obj.WriteTo(writer);
        }

        var json = buffer.WrittenSpan.ToArray();
        byte[] item;
        if (itemsCarryTypeMeta)
        {
            item = json;
        }
        else if (TypeMetaPrefixLength(obj, json) is var prefix and > 0)
        {
            // Canonical built-in objects start with kind and apiVersion: the item form is the rest.
            item = new byte[json.Length - prefix + 1];
            item[0] = (byte)'{';
            json.AsSpan(prefix).CopyTo(item.AsSpan(1));
        }
        else
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var (k, v) in obj)
                {
                    if (k is "apiVersion" or "kind")
                    {
                        continue;
                    }

                    writer.WritePropertyName(k);
                    if (v is null)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        v.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            item = buffer.WrittenSpan.ToArray();
        }

        return new StoredObject(ns, name, resourceVersion, json, item, labels, uid, terminating, hasFinalizers, obj["apiVersion"]?.GetValue<string>() ?? string.Empty);
    }
}
