using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Velero.Sdk.Cluster;

/// <summary>
/// One Kubernetes object as the server returned it: its JSON bytes untouched (plus <c>apiVersion</c>/<c>kind</c> when a
/// list left them out) and the few metadata fields the engines need, read without building a document.
/// </summary>
/// <remarks>
/// A list item is never copied: <see cref="Source"/> is its bytes in the list page, and when it lacks <c>apiVersion</c> or
/// <c>kind</c> its JSON is <see cref="Head"/> (a small shared prefix <c>{"apiVersion":..,"kind":..,</c>) followed by
/// <see cref="Tail"/> (the source after its opening brace). <see cref="Json"/> joins them on demand.
/// </remarks>
internal sealed class RawObject
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string ApiVersion, string Kind, bool HasApiVersion, bool HasKind, bool Empty), byte[]> Heads = new();
    private readonly Range _annotationsRange;
    private readonly Range _labelsRange;
    private readonly Range _specRange;
    private ReadOnlyMemory<byte> _json;
    private IReadOnlyDictionary<string, string>? _annotations;
    private bool _annotationsRead;
    private IReadOnlyDictionary<string, string>? _labels;
    private bool _labelsRead;

    private RawObject(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> source, string name, string? ns, Ranges ranges, bool excluded, bool deleting)
    {
        Head = head;
        Source = source;
        Tail = head.IsEmpty ? source : source[1..];
        _json = head.IsEmpty ? source : default;
        Name = name;
        Namespace = ns;
        _labelsRange = ranges.Labels;
        ExcludedFromBackup = excluded;
        _annotationsRange = ranges.Annotations;
        _specRange = ranges.Spec;
        Deleting = deleting;
    }

    /// <summary>The object's JSON, contiguous (joined from <see cref="Head"/> and <see cref="Tail"/> on first use).</summary>
    public ReadOnlyMemory<byte> Json
    {
        get
        {
            if (_json.IsEmpty && !Head.IsEmpty)
            {
                var joined = new byte[Head.Length + Tail.Length];
                Head.Span.CopyTo(joined);
                Tail.Span.CopyTo(joined.AsSpan(Head.Length));
                _json = joined;
            }

            return _json;
        }
    }

    /// <summary>The first part of the JSON: empty, or the <c>apiVersion</c>/<c>kind</c> prefix a list item lacked.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    /// <summary>The rest of the JSON after <see cref="Head"/>: a slice of <see cref="Source"/>.</summary>
    public ReadOnlyMemory<byte> Tail { get; }

    /// <summary>The object as it was read (a JSON object; without <c>apiVersion</c>/<c>kind</c> when <see cref="Head"/> adds them).</summary>
    public ReadOnlyMemory<byte> Source { get; }

    public string Name { get; }

    /// <summary>The namespace; null for cluster-scoped objects.</summary>
    public string? Namespace { get; }

    /// <summary>
    /// The labels, read from the source on first use: a backup only needs them for label selectors of actions and hooks,
    /// so a listed item that no selector looks at never builds them (a dictionary and strings apiece, while it waits in
    /// the work queue).
    /// </summary>
    public IReadOnlyDictionary<string, string>? Labels => ReadLazily(_labelsRange, ref _labels, ref _labelsRead);

    /// <summary>True when the label <c>velero.io/exclude-from-backup</c> is <c>"true"</c> (read without building <see cref="Labels"/>).</summary>
    public bool ExcludedFromBackup { get; }

    /// <summary>
    /// The annotations, read from the source on first use: they are often large (a last-applied configuration) and the
    /// engines only look for a few keys of some items.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Annotations => ReadLazily(_annotationsRange, ref _annotations, ref _annotationsRead);

    private IReadOnlyDictionary<string, string>? ReadLazily(Range range, ref IReadOnlyDictionary<string, string>? map, ref bool read)
    {
        if (!Volatile.Read(ref read))
        {
            if (!range.Equals(default(Range)))
            {
                var reader = new Utf8JsonReader(Source.Span[range]);
                reader.Read();
                map = ReadStringMap(ref reader, started: true);
            }

            Volatile.Write(ref read, true);
        }

        return map;
    }

    /// <summary>True when <c>metadata.deletionTimestamp</c> is set.</summary>
    public bool Deleting { get; }

    /// <summary>A pod's related items once read (<c>PodRelatedItems.Of</c>), so the block and backup actions read them once.</summary>
    internal IReadOnlyList<Actions.ResourceIdentifier>? PodRelatedItems { get; set; }

    /// <summary>The bytes of the top-level <c>spec</c> object (the last one, when repeated); empty when there is none.</summary>
    public ReadOnlySpan<byte> Spec => _specRange.Equals(default(Range)) ? default : Source.Span[_specRange];

    /// <summary>Reads an object; when it lacks <c>apiVersion</c> or <c>kind</c> (list items do) they are added in front.</summary>
    public static RawObject Parse(ReadOnlySpan<byte> json, string apiVersion, string kind) => Parse(json.ToArray().AsMemory(), apiVersion, kind);

    /// <summary>
    /// Reads an object without copying it: the result refers to <paramref name="json"/>, which must not change afterwards.
    /// When it lacks <c>apiVersion</c> or <c>kind</c> (list items do) they are added in front.
    /// </summary>
    public static RawObject Parse(ReadOnlyMemory<byte> json, string apiVersion, string kind)
    {
        var reader = new Utf8JsonReader(json.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a Kubernetes object must be a JSON object");
        }

        return Parse(json, ref reader, apiVersion, kind);
    }

    /// <summary>
    /// Reads the object at <paramref name="reader"/> (on its opening brace) inside <paramref name="buffer"/>, the bytes the
    /// reader reads, and leaves the reader on its closing brace: a list page's items are read in the same pass that finds
    /// them. The result refers to its slice of <paramref name="buffer"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static RawObject Parse(ReadOnlyMemory<byte> buffer, ref Utf8JsonReader reader, string apiVersion, string kind)
    {
        int origin = (int)reader.TokenStartIndex;
        bool hasApiVersion = false, hasKind = false, deleting = false;
        string name = string.Empty;
        string? ns = null;
        Range labels = default, annotations = default, spec = default;
        bool excluded = false;
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
            else if (reader.ValueTextEquals("spec"u8))
            {
                spec = ObjectValueRange(ref reader, scanExcluded: false, out _);
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
                        ns = reader.TokenType == JsonTokenType.String ? Names.Get(ref reader) : null;
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
                        labels = ObjectValueRange(ref reader, scanExcluded: true, out excluded);
                    }
                    else if (reader.ValueTextEquals("annotations"u8))
                    {
                        annotations = ObjectValueRange(ref reader, scanExcluded: false, out _);
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

        var json = buffer[origin..(int)reader.BytesConsumed];
        var ranges = new Ranges(Relative(labels, origin), Relative(annotations, origin), Relative(spec, origin));
        if (hasApiVersion && hasKind)
        {
            return new RawObject(default, json, name, string.IsNullOrEmpty(ns) ? null : ns, ranges, excluded, deleting);
        }

        bool empty = json.Span[1..].TrimStart(" \t\r\n"u8).StartsWith("}"u8);
        var head = Heads.GetOrAdd((apiVersion, kind, hasApiVersion, hasKind, empty), static k =>
        {
            var prefix = new StringBuilder("{");
            if (!k.HasApiVersion)
            {
                prefix.Append("\"apiVersion\":").Append(JsonSerializer.Serialize(k.ApiVersion));
            }

            if (!k.HasKind)
            {
                prefix.Append(prefix.Length > 1 ? "," : string.Empty).Append("\"kind\":").Append(JsonSerializer.Serialize(k.Kind));
            }

            if (!k.Empty)
            {
                prefix.Append(',');
            }

            return Encoding.UTF8.GetBytes(prefix.ToString());
        });

        return new RawObject(head, json, name, string.IsNullOrEmpty(ns) ? null : ns, ranges, excluded, deleting);
    }

    /// <summary>Reads an object already known to carry apiVersion and kind (e.g. a single GET or an action's output).</summary>
    public static RawObject Parse(ReadOnlyMemory<byte> json) => Parse(json, string.Empty, string.Empty);

    /// <summary>The <c>apiVersion</c> of the object.</summary>
    public string ApiVersion => ReadTopLevelString("apiVersion"u8) ?? string.Empty;

    /// <summary>The <c>kind</c> of the object.</summary>
    public string Kind => ReadTopLevelString("kind"u8) ?? string.Empty;

    public override string ToString() => Namespace is null ? Name : Namespace + "/" + Name;

    private string? ReadTopLevelString(ReadOnlySpan<byte> property)
    {
        var reader = new Utf8JsonReader(Json.Span);
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

    private static Range Relative(Range range, int origin) =>
        range.Equals(default(Range)) ? default : (range.Start.Value - origin)..(range.End.Value - origin);

    /// <summary>
    /// Reads the current property's value: the range of its bytes when it is an object (read later, on first use), default
    /// otherwise. With <paramref name="scanExcluded"/> (labels), whether it holds the exclude label, found on the way.
    /// </summary>
    private static Range ObjectValueRange(ref Utf8JsonReader reader, bool scanExcluded, out bool excluded)
    {
        excluded = false;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return default;
        }

        int start = (int)reader.TokenStartIndex;
        if (scanExcluded)
        {
            excluded = ScanExcluded(ref reader);
        }
        else
        {
            reader.Skip();
        }

        return start..(int)reader.BytesConsumed;
    }

    /// <summary>
    /// Reads a labels object to its end (the reader on its start); true when it holds <c>velero.io/exclude-from-backup</c>
    /// with the string value <c>true</c>. A later duplicate key wins, as in <see cref="ReadStringMap"/>.
    /// </summary>
    private static bool ScanExcluded(ref Utf8JsonReader reader)
    {
        bool excluded = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool key = reader.ValueTextEquals(ExcludeFromBackupLabel);
            reader.Read();
            if (key && reader.TokenType == JsonTokenType.String)
            {
                excluded = reader.ValueTextEquals("true"u8);
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return excluded;
    }

    private static readonly byte[] ExcludeFromBackupLabel = Encoding.UTF8.GetBytes(Model.VeleroLabels.ExcludeFromBackup);

    private static Dictionary<string, string>? ReadStringMap(ref Utf8JsonReader reader, bool started = false)
    {
        if (!started)
        {
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = Names.Get(ref reader);
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

    /// <summary>
    /// Strings that repeat across objects (namespaces, label keys) read once: a bounded table of the short ones seen, looked
    /// up by their UTF-8 bytes, so each listed item does not allocate its own copy.
    /// </summary>
    private static class Names
    {
        private const int MaxEntries = 4096;
        private const int MaxLength = 128;
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Table = new(StringComparer.Ordinal);

        public static string Get(ref Utf8JsonReader reader)
        {
            if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxLength)
            {
                return reader.GetString()!;
            }

            Span<char> chars = stackalloc char[MaxLength];
            int n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            var lookup = Table.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(chars[..n], out var known))
            {
                return known;
            }

            var text = new string(chars[..n]);
            if (Table.Count < MaxEntries)
            {
                Table.TryAdd(text, text);
            }

            return text;
        }
    }

    /// <summary>Where an object's labels, annotations and spec lie in its bytes.</summary>
    private readonly record struct Ranges(Range Labels, Range Annotations, Range Spec);
}
