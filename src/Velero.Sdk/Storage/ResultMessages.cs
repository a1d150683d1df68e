using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace Velero.Sdk.Storage;

/// <summary>
/// Messages of one kind (errors or warnings) of a backup or restore, grouped as Velero groups them in its results file:
/// <c>velero</c> (the operation as a whole), <c>cluster</c> (cluster-scoped items) and <c>namespaces</c> (per namespace).
/// Safe to add to from several threads.
/// </summary>
public sealed class ResultMessages
{
    private readonly ConcurrentQueue<string> _velero = new();
    private readonly ConcurrentQueue<string> _cluster = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _namespaces = new(StringComparer.Ordinal);

    /// <summary>Messages about the operation as a whole.</summary>
    [JsonPropertyName("velero")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Velero
    {
        get => _velero.IsEmpty ? null : [.. _velero];
        init => AddRange(_velero, value);
    }

    /// <summary>Messages about cluster-scoped items.</summary>
    [JsonPropertyName("cluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cluster
    {
        get => _cluster.IsEmpty ? null : [.. _cluster];
        init => AddRange(_cluster, value);
    }

    /// <summary>Messages about namespaced items, by namespace.</summary>
    [JsonPropertyName("namespaces")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Namespaces
    {
        get => _namespaces.IsEmpty
            ? null
            : new SortedDictionary<string, IReadOnlyList<string>>(
                _namespaces.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)[.. kv.Value]), StringComparer.Ordinal);
        init
        {
            foreach (var (ns, list) in value ?? new Dictionary<string, IReadOnlyList<string>>())
            {
                AddRange(_namespaces.GetOrAdd(ns, _ => new()), list);
            }
        }
    }

    /// <summary>The number of messages.</summary>
    [JsonIgnore]
    public int Count => _velero.Count + _cluster.Count + _namespaces.Values.Sum(q => q.Count);

    /// <summary>Adds a message about the operation as a whole.</summary>
    public void AddVelero(string message) => _velero.Enqueue(message);

    /// <summary>Adds a message about a cluster-scoped item.</summary>
    public void AddCluster(string message) => _cluster.Enqueue(message);

    /// <summary>Adds a message about an item of <paramref name="ns"/>; an empty namespace means a cluster-scoped item.</summary>
    public void AddNamespace(string ns, string message)
    {
        ArgumentNullException.ThrowIfNull(ns);
        if (ns.Length == 0)
        {
            AddCluster(message);
            return;
        }

        _namespaces.GetOrAdd(ns, _ => new()).Enqueue(message);
    }

    /// <summary>Every message, in the order velero, cluster, namespaces (sorted).</summary>
    public IEnumerable<string> All() =>
        (Velero ?? []).Concat(Cluster ?? []).Concat((Namespaces ?? new Dictionary<string, IReadOnlyList<string>>()).SelectMany(kv => kv.Value));

    private static void AddRange(ConcurrentQueue<string> queue, IEnumerable<string>? items)
    {
        foreach (var item in items ?? [])
        {
            queue.Enqueue(item);
        }
    }
}
