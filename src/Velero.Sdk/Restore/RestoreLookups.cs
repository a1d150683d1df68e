using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Cluster;

namespace Velero.Sdk.Restore;

/// <summary>Reads of the target cluster that the built-in restore actions need, cached for one restore.</summary>
internal sealed class RestoreLookups(KubeApi api, string veleroNamespace)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<JsonObject>>>> _cache = new(StringComparer.Ordinal);

    /// <summary>The ConfigMaps in the Velero namespace labelled <c>velero.io/plugin-config</c> and <c>&lt;key&gt;=RestoreItemAction</c>.</summary>
    public Task<IReadOnlyList<JsonObject>> PluginConfigMapsAsync(string key, CancellationToken cancellationToken) =>
        ListAsync($"/api/v1/namespaces/{Uri.EscapeDataString(veleroNamespace)}/configmaps?labelSelector={Uri.EscapeDataString("velero.io/plugin-config," + key + "=RestoreItemAction")}", cancellationToken);

    /// <summary>The ServiceAccounts of a namespace.</summary>
    public Task<IReadOnlyList<JsonObject>> ServiceAccountsAsync(string ns, CancellationToken cancellationToken) =>
        ListAsync($"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/serviceaccounts", cancellationToken);

    /// <summary>Whether a StorageClass exists.</summary>
    public async Task<bool> StorageClassExistsAsync(string name, CancellationToken cancellationToken) =>
        await api.TryGetAsync("/apis/storage.k8s.io/v1/storageclasses/" + Uri.EscapeDataString(name), cancellationToken: cancellationToken).ConfigureAwait(false) is not null;

    private Task<IReadOnlyList<JsonObject>> ListAsync(string path, CancellationToken cancellationToken) =>
        _cache.GetOrAdd(path, p => new Lazy<Task<IReadOnlyList<JsonObject>>>(async () =>
        {
            var body = await api.GetAsync(p, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (JsonNode.Parse(body)?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        })).Value;
}
