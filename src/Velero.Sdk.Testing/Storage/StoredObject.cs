using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Storage;

/// <summary>
/// One stored object version: its UTF-8 JSON (as a get or watch answers it), serialized once so that gets,
/// list pages and watch events are written by copying bytes. The list-item form of built-in objects (which
/// carries no <c>apiVersion</c>/<c>kind</c>) is <c>{</c> followed by the bytes from <see cref="ItemStart"/>.
/// </summary>
internal sealed class StoredObject
{
    internal StoredObject(PreparedObject p, long resourceVersion, byte[] json, int itemStart, int rvStart, int rvLength)
    {
        ApiVersion = p.ApiVersion;
        Namespace = p.Namespace;
        Name = p.Name;
        Key = p.Key;
        Labels = p.Labels;
        Uid = p.Uid;
        Terminating = p.Terminating;
        HasFinalizers = p.HasFinalizers;
        ResourceVersion = resourceVersion;
        Json = json;
        ItemStart = itemStart;
        RvStart = rvStart;
        RvLength = rvLength;
    }

    /// <summary>The <c>apiVersion</c> the object was stored with.</summary>
    public string ApiVersion { get; }

    public string Namespace { get; }

    public string Name { get; }

    /// <summary><c>namespace/name</c> for namespaced objects, <c>name</c> otherwise: the sort and continue key.</summary>
    public string Key { get; }

    public long ResourceVersion { get; }

    public byte[] Json { get; }

    /// <summary>
    /// Where the list-item form continues after its opening brace (the item is <c>{</c> + <c>Json[ItemStart..]</c>),
    /// or -1 when the item is the whole object (custom resources keep apiVersion/kind in lists).
    /// </summary>
    public int ItemStart { get; }

    /// <summary>Where the digits of metadata.resourceVersion start in <see cref="Json"/>, or -1.</summary>
    internal int RvStart { get; }

    internal int RvLength { get; }

    public IReadOnlyDictionary<string, string>? Labels { get; }

    public string Uid { get; }

    /// <summary>Whether <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool Terminating { get; }

    public bool HasFinalizers { get; }

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>The list-item form, as a new array (tests and rare paths; lists write <see cref="WriteItem"/>).</summary>
    public byte[] ItemJson
    {
        get
        {
            if (ItemStart < 0)
            {
                return Json;
            }

            var item = new byte[Json.Length - ItemStart + 1];
            item[0] = (byte)'{';
            Json.AsSpan(ItemStart).CopyTo(item.AsSpan(1));
            return item;
        }
    }

    /// <summary>Writes the list-item form.</summary>
    public void WriteItem(IBufferWriter<byte> writer)
    {
        if (ItemStart < 0)
        {
            writer.Write(Json);
            return;
        }

        writer.Write("{"u8);
        writer.Write(Json.AsSpan(ItemStart));
    }

    public static string KeyOf(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;

    /// <summary>Serializes <paramref name="obj"/> (whose metadata is final) into a stored version.</summary>
    public static StoredObject From(JsonObject obj, long resourceVersion, bool custom) =>
        PreparedObject.Prepare(obj, custom, withResourceVersion: true).Complete(resourceVersion);

    /// <summary>This object with another resourceVersion (a deletion's last version), by splicing bytes.</summary>
    public StoredObject WithResourceVersion(long resourceVersion, PreparedObject? identity = null)
    {
        if (RvStart < 0)
        {
            return From(Parse(), resourceVersion, ItemStart < 0);
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(resourceVersion, digits, out var n);
        var json = new byte[Json.Length - RvLength + n];
        Json.AsSpan(0, RvStart).CopyTo(json);
        digits[..n].CopyTo(json.AsSpan(RvStart));
        Json.AsSpan(RvStart + RvLength).CopyTo(json.AsSpan(RvStart + n));
        var itemStart = ItemStart < 0 ? -1 : ItemStart + (ItemStart > RvStart ? n - RvLength : 0);
        return new StoredObject(identity ?? new PreparedObject(this), resourceVersion, json, itemStart, RvStart, n);
    }
}

/// <summary>
/// An object serialized in canonical order with an empty slot for metadata.resourceVersion, so that the
/// store lock only has to assign the resourceVersion and splice its digits in.
/// </summary>
internal sealed class PreparedObject
{
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    private readonly byte[] _body = [];
    private readonly int _rvAt = -1;
    private readonly int _itemStart = -1;

    internal PreparedObject(StoredObject o)
    {
        ApiVersion = o.ApiVersion;
        Namespace = o.Namespace;
        Name = o.Name;
        Key = o.Key;
        Labels = o.Labels;
        Uid = o.Uid;
        Terminating = o.Terminating;
        HasFinalizers = o.HasFinalizers;
    }

    private PreparedObject(JsonObject obj, bool custom, bool withResourceVersion)
    {
        var metadata = obj["metadata"] as JsonObject;
        Namespace = Str(metadata?["namespace"]) ?? string.Empty;
        Name = Str(metadata?["name"]) ?? string.Empty;
        Key = StoredObject.KeyOf(Namespace, Name);
        Uid = Str(metadata?["uid"]) ?? string.Empty;
        ApiVersion = Str(obj["apiVersion"]) ?? string.Empty;
        if (metadata?["labels"] is JsonObject l && l.Count > 0)
        {
            var labels = new Dictionary<string, string>(l.Count, StringComparer.Ordinal);
            foreach (var (k, v) in l)
            {
                labels[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? string.Empty;
            }

            Labels = labels;
        }

        Terminating = metadata?["deletionTimestamp"] is JsonValue;
        HasFinalizers = metadata?["finalizers"] is JsonArray { Count: > 0 };

        // One buffer and writer per thread: Prepare runs synchronously, and only the exact-size result is allocated.
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _threadWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            writer.WriteStartObject();
            var kindFirst = !custom;
            WriteIfPresent(writer, obj, kindFirst ? "kind" : "apiVersion");
            WriteIfPresent(writer, obj, kindFirst ? "apiVersion" : "kind");
            if (!custom && obj["kind"] is not null && obj["apiVersion"] is not null)
            {
                writer.Flush();

                // The comma before "metadata" is where the list-item form's brace goes.
                _itemStart = buffer.WrittenCount + 1;
            }

            writer.WritePropertyName("metadata"u8);
            writer.WriteStartObject();
            if (metadata is not null || withResourceVersion)
            {
                if (custom)
                {
                    var keys = new List<string>(metadata?.Count + 1 ?? 1);
                    if (metadata is not null)
                    {
                        foreach (var (k, _) in metadata)
                        {
                            if (k != "resourceVersion")
                            {
                                keys.Add(k);
                            }
                        }
                    }

                    if (withResourceVersion)
                    {
                        keys.Add("resourceVersion");
                    }

                    keys.Sort(StringComparer.Ordinal);
                    foreach (var k in keys)
                    {
                        WriteMetadataProperty(writer, buffer, metadata, k, withResourceVersion, ref _rvAt, deepSort: true);
                    }
                }
                else
                {
                    foreach (var k in MetadataOrder)
                    {
                        if ((k == "resourceVersion" && withResourceVersion) || (metadata is not null && metadata.ContainsKey(k)))
                        {
                            WriteMetadataProperty(writer, buffer, metadata, k, withResourceVersion, ref _rvAt, deepSort: false);
                        }
                    }

                    if (metadata is not null)
                    {
                        foreach (var (k, v) in metadata)
                        {
                            if (Array.IndexOf(MetadataOrder, k) < 0)
                            {
                                writer.WritePropertyName(k);
                                WriteValue(writer, v);
                            }
                        }
                    }
                }
            }

            writer.WriteEndObject();
            if (custom)
            {
                // Custom resources are unstructured maps, which Go's encoder writes with sorted keys at every level.
                foreach (var k in SortedKeys(obj))
                {
                    if (k is "kind" or "apiVersion" or "metadata")
                    {
                        continue;
                    }

                    writer.WritePropertyName(k);
                    WriteSorted(writer, obj[k]);
                }
            }
            else
            {
                // ConfigMap and Secret data are Go maps: sorted keys.
                var dataIsMap = Str(obj["apiVersion"]) == "v1" && Str(obj["kind"]) is "ConfigMap" or "Secret";
                foreach (var (k, v) in obj)
                {
                    if (k is "kind" or "apiVersion" or "metadata")
                    {
                        continue;
                    }

                    writer.WritePropertyName(k);
                    if (dataIsMap && k is "data" or "binaryData" or "stringData")
                    {
                        WriteSorted(writer, v);
                    }
                    else
                    {
                        WriteValue(writer, v);
                    }
                }
            }

            writer.WriteEndObject();
            writer.Flush();
            _body = buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity > 1024 * 1024)
            {
                // Do not keep a huge object's buffer alive on this thread.
                _threadBuffer = null;
                _threadWriter = null;
            }
        }
    }

    public string ApiVersion { get; }

    public string Namespace { get; }

    public string Name { get; }

    public string Key { get; }

    public IReadOnlyDictionary<string, string>? Labels { get; }

    public string Uid { get; }

    public bool Terminating { get; }

    public bool HasFinalizers { get; }

    /// <summary>
    /// Serializes an object in the order a real server writes it: built-in objects kind, apiVersion, metadata
    /// (in ObjectMeta's field order), then the rest; custom resources apiVersion, kind, metadata (sorted keys),
    /// then the rest in the order given. With <paramref name="withResourceVersion"/>, metadata.resourceVersion
    /// is left as a slot for <see cref="Complete"/>; otherwise it is omitted.
    /// </summary>
    public static PreparedObject Prepare(JsonObject obj, bool custom, bool withResourceVersion) => new(obj, custom, withResourceVersion);

    /// <summary>The stored version with <paramref name="resourceVersion"/> written into its slot.</summary>
    public StoredObject Complete(long resourceVersion)
    {
        if (_rvAt < 0)
        {
            return new StoredObject(this, resourceVersion, _body, _itemStart, -1, 0);
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(resourceVersion, digits, out var n);
        var json = new byte[_body.Length + n];
        _body.AsSpan(0, _rvAt).CopyTo(json);
        digits[..n].CopyTo(json.AsSpan(_rvAt));
        _body.AsSpan(_rvAt).CopyTo(json.AsSpan(_rvAt + n));
        var itemStart = _itemStart < 0 ? -1 : _itemStart + (_itemStart > _rvAt ? n : 0);
        return new StoredObject(this, resourceVersion, json, itemStart, _rvAt, n);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void WriteIfPresent(Utf8JsonWriter writer, JsonObject obj, string key)
    {
        if (obj.TryGetPropertyValue(key, out var v))
        {
            writer.WritePropertyName(key);
            WriteValue(writer, v);
        }
    }

    private static void WriteMetadataProperty(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, JsonObject? metadata, string key, bool withResourceVersion, ref int rvAt, bool deepSort)
    {
        if (key == "resourceVersion")
        {
            if (withResourceVersion)
            {
                writer.WriteString("resourceVersion"u8, string.Empty);
                writer.Flush();
                rvAt = buffer.WrittenCount - 1;
            }

            return;
        }

        writer.WritePropertyName(key);
        if (deepSort || key is "labels" or "annotations")
        {
            // Labels and annotations are Go maps: sorted keys.
            WriteSorted(writer, metadata![key]);
        }
        else
        {
            WriteValue(writer, metadata![key]);
        }
    }

    /// <summary>The keys of an object in ordinal (Go map) order.</summary>
    private static bool IsSorted(JsonObject obj)
    {
        for (var i = 1; i < obj.Count; i++)
        {
            if (string.CompareOrdinal(obj.GetAt(i - 1).Key, obj.GetAt(i).Key) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> SortedKeys(JsonObject obj)
    {
        if (IsSorted(obj))
        {
            var keys = new string[obj.Count];
            for (var i = 0; i < keys.Length; i++)
            {
                keys[i] = obj.GetAt(i).Key;
            }

            return keys;
        }

        var list = obj.Select(p => p.Key).ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    /// <summary>Writes a value with every object's keys sorted, as Go writes a map[string]interface{}.</summary>
    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? v)
    {
        switch (v)
        {
            case JsonObject o:
                writer.WriteStartObject();
                if (IsSorted(o))
                {
                    // The common case: already in order, nothing to allocate.
                    for (var i = 0; i < o.Count; i++)
                    {
                        var (k, value) = o.GetAt(i);
                        writer.WritePropertyName(k);
                        WriteSorted(writer, value);
                    }
                }
                else
                {
                    foreach (var k in SortedKeys(o))
                    {
                        writer.WritePropertyName(k);
                        WriteSorted(writer, o[k]);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonArray a:
                writer.WriteStartArray();
                foreach (var item in a)
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                WriteValue(writer, v);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? v)
    {
        if (v is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            v.WriteTo(writer);
        }
    }
}
