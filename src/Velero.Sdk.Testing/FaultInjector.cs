namespace Velero.Sdk.Testing;

/// <summary>Fault injection: latency, error answers per verb or resource, and dropped watch connections.</summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;
    private readonly Func<int> _dropWatches;

    internal FaultInjector(Random random, Func<int> dropWatches)
    {
        _random = random;
        _dropWatches = dropWatches;
    }

    /// <summary>Adds a rule; rules are checked in the order added and the first matching one applies.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The rule, for <see cref="Remove"/>.</returns>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes one rule.</summary>
    /// <param name="rule">The rule.</param>
    public void Remove(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Remove(rule);
        }
    }

    /// <summary>Removes every rule.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Closes every open watch connection, as a load balancer or a restarting server would.</summary>
    /// <returns>How many watches were dropped.</returns>
    public int DropWatchConnections() => _dropWatches();

    internal FaultRule? Match(string verb, string resource, string? group)
    {
        lock (_gate)
        {
            foreach (var r in _rules)
            {
                if (r.MaxCount is { } max && r.Fired >= max)
                {
                    continue;
                }

                if (r.Verb is not null && !string.Equals(r.Verb, verb, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (r.Resource is not null && r.Resource != resource && r.Resource != resource + "." + group
                    && !resource.StartsWith(r.Resource + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                if (r.Rate < 1 && _random.NextDouble() >= r.Rate)
                {
                    continue;
                }

                r.Fired++;
                return r;
            }

            return null;
        }
    }
}
