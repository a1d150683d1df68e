using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Velero.Sdk.Testing;

/// <summary>Counts the requests the server has served, by Kubernetes verb and resource.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), StrongBox<long>> _counts = new();

    internal RequestCounters()
    {
    }

    /// <summary>Every request counted, including discovery and failed ones.</summary>
    public long Total => _counts.Values.Sum(v => Interlocked.Read(ref v.Value));

    /// <summary>How many requests had this verb (for example <c>list</c>) and resource (<c>pods</c>, <c>deployments.apps</c>, <c>pods/exec</c>); a null resource counts every resource.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="resource">The resource, or null.</param>
    /// <returns>The count.</returns>
    public long Get(string verb, string? resource = null)
    {
        long total = 0;
        foreach (var (key, value) in _counts)
        {
            if (key.Verb == verb && (resource is null || key.Resource == resource))
            {
                total += Interlocked.Read(ref value.Value);
            }
        }

        return total;
    }

    /// <summary>A copy of every counter, keyed <c>"verb resource"</c>.</summary>
    /// <returns>The counters.</returns>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        _counts.ToDictionary(p => p.Key.Verb + " " + p.Key.Resource, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <summary>Sets every counter to zero.</summary>
    public void Reset() => _counts.Clear();

    internal void Increment(string verb, string resource) =>
        Interlocked.Increment(ref _counts.GetOrAdd((verb, resource), static _ => new StrongBox<long>()).Value);
}
