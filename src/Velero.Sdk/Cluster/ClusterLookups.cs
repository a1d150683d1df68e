using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>Lists the built-in actions need (pods and claims of a namespace, cluster role bindings), each read once per operation.</summary>
internal sealed class ClusterLookups(ResourceLister lister, DiscoverySnapshot discovery)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<JsonObject>>>> _cache = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<JsonObject>> PodsAsync(string ns, CancellationToken cancellationToken) => ListAsync("pods", ns, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ClaimsAsync(string ns, CancellationToken cancellationToken) => ListAsync("persistentvolumeclaims", ns, cancellationToken);

    public Task<IReadOnlyList<JsonObject>> ClusterRoleBindingsAsync(CancellationToken cancellationToken) =>
        ListAsync("clusterrolebindings.rbac.authorization.k8s.io", null, cancellationToken);

    private Task<IReadOnlyList<JsonObject>> ListAsync(string resource, string? ns, CancellationToken cancellationToken)
    {
        var key = resource + "|" + ns;
        return _cache.GetOrAdd(key, _ => new Lazy<Task<IReadOnlyList<JsonObject>>>(async () =>
        {
            if (!discovery.TryResolve(resource, out var r))
            {
                return [];
            }

            var list = new List<JsonObject>();
            await foreach (var item in lister.ListAsync(r, ns, null, cancellationToken).ConfigureAwait(false))
            {
                list.Add(JsonNode.Parse(item.Json.Span)!.AsObject());
            }

            return list;
        })).Value;
    }
}
