using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Cluster;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>A pod's related items: its priority class and the claims of its persistentVolumeClaim volumes.</summary>
internal static class PodRelatedItems
{
    public static IReadOnlyList<ResourceIdentifier> Of(JsonObject pod)
    {
        var result = new List<ResourceIdentifier>();
        var ns = JsonPath.Namespace(pod);
        if (JsonPath.String(pod, "spec", "priorityClassName") is { Length: > 0 } pc)
        {
            result.Add(new ResourceIdentifier("scheduling.k8s.io", "priorityclasses", null, pc));
        }

        foreach (var volume in JsonPath.Array(pod, "spec", "volumes") ?? [])
        {
            if (JsonPath.String(volume, "persistentVolumeClaim", "claimName") is { Length: > 0 } claim)
            {
                result.Add(new ResourceIdentifier(string.Empty, "persistentvolumeclaims", ns, claim));
            }
        }

        return result;
    }

    /// <summary>
    /// The same as <see cref="Of(JsonObject)"/>, read from the pod's raw JSON without building a document: only its
    /// <c>spec</c> is read (<see cref="RawObject.Spec"/>), not its metadata and status, and only once a pod (the block
    /// action and the backup action both ask; the answer is kept on the item).
    /// </summary>
    public static IReadOnlyList<ResourceIdentifier> Of(RawObject pod) => pod.PodRelatedItems ??= Read(pod);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ResourceIdentifier[] Read(RawObject pod)
    {
        var spec = pod.Spec;
        // Most pods name neither a claim nor a priority class: a vectorized search for the two keys (and for an escape,
        // which could spell a key another way) answers for them without tokenizing the spec.
        if (spec.IsEmpty || (spec.IndexOf("\"persistentVolumeClaim\""u8) < 0 && spec.IndexOf("\"priorityClassName\""u8) < 0 && spec.IndexOf("\\u"u8) < 0))
        {
            return [];
        }

        var result = new List<ResourceIdentifier>();
        var ns = pod.Namespace ?? string.Empty;
        string? priorityClass = null;
        var reader = new Utf8JsonReader(spec);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("priorityClassName"u8))
            {
                reader.Read();
                priorityClass = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            else if (reader.ValueTextEquals("volumes"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ClaimName(ref reader) is { Length: > 0 } claim)
                    {
                        result.Add(new ResourceIdentifier(string.Empty, "persistentvolumeclaims", ns, claim));
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (priorityClass is { Length: > 0 })
        {
            result.Insert(0, new ResourceIdentifier("scheduling.k8s.io", "priorityclasses", null, priorityClass));
        }

        return [.. result];
    }

    /// <summary>Reads one volume (the reader is at its start) and returns its <c>persistentVolumeClaim.claimName</c> string.</summary>
    private static string? ClaimName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? claim = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("persistentVolumeClaim"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            claim = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isName = reader.ValueTextEquals("claimName"u8);
                reader.Read();
                if (isName)
                {
                    claim = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }

        return claim;
    }
}
