using System.Collections.Concurrent;

namespace Velero.Sdk.Testing;

/// <summary>Counts the requests the server has served, by Kubernetes verb and resource.</summary>
public sealed class RequestCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    internal RequestCounters()
    {
    }

    /// <summary>Every request counted, including discovery and failed ones.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>How many requests had this verb (for example <c>list</c>) and resource (<c>pods</c>, <c>deployments.apps</c>, <c>pods/exec</c>); a null resource counts every resource.</summary>
    /// <param name="verb">The verb.</param>
    /// <param name="resource">The resource, or null.</param>
    /// <returns>The count.</returns>
    public long Get(string verb, string? resource = null)
    {
        long total = 0;
        foreach (var (key, value) in _counts)
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            if (key.AsSpan(0, space).SequenceEqual(verb) && (resource is null || key.AsSpan(space + 1).SequenceEqual(resource)))
            {
                total += value;
            }
        }

        return total;
    }

    /// <summary>A copy of every counter, keyed <c>"verb resource"</c>.</summary>
    /// <returns>The counters.</returns>
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Sets every counter to zero.</summary>
    public void Reset() => _counts.Clear();

    internal void Increment(string verb, string resource) => _counts.AddOrUpdate(verb + " " + resource, 1, static (_, v) => v + 1);
}
