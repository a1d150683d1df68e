using System.Text.Json;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>
/// Reads what a cluster serves: aggregated discovery (apidiscovery.k8s.io/v2) when the server offers it, otherwise the
/// legacy documents (<c>/api/v1</c>, <c>/apis</c> and each group's preferred version). Groups that fail are warned
/// about and skipped, as Velero does.
/// </summary>
internal static class ClusterDiscovery
{
    private const string AggregatedAccept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

    public static async Task<ClusterInfo> DiscoverAsync(KubeApi api, ILogger logger, CancellationToken cancellationToken)
    {
        var (git, major, minor) = await ReadVersionAsync(api, cancellationToken).ConfigureAwait(false);
        var core = await api.GetAsync("/api/v1", cancellationToken: cancellationToken).ConfigureAwait(false);
        using var coreDoc = JsonDocument.Parse(core);

        var apis = await api.GetAsync("/apis", AggregatedAccept, cancellationToken).ConfigureAwait(false);
        using var apisDoc = JsonDocument.Parse(apis);
        DiscoverySnapshot snapshot;
        if (apisDoc.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "APIGroupDiscoveryList")
        {
            snapshot = DiscoverySnapshot.FromCoreAndAggregated(coreDoc.RootElement, apisDoc.RootElement);
        }
        else
        {
            var lists = new List<JsonDocument> { coreDoc };
            try
            {
                if (apisDoc.RootElement.TryGetProperty("groups", out var groups))
                {
                    foreach (var g in groups.EnumerateArray())
                    {
                        var gv = g.GetProperty("preferredVersion").GetProperty("groupVersion").GetString();
                        if (gv is null)
                        {
                            continue;
                        }

                        try
                        {
                            var body = await api.GetAsync("/apis/" + gv, cancellationToken: cancellationToken).ConfigureAwait(false);
                            lists.Add(JsonDocument.Parse(body));
                        }
                        catch (KubernetesApiException e)
                        {
                            Log.DiscoveryGroupFailed(logger, gv, e.Message);
                        }
                    }
                }

                snapshot = DiscoverySnapshot.FromResourceLists(lists.Select(d => d.RootElement));
            }
            finally
            {
                foreach (var d in lists.Skip(1))
                {
                    d.Dispose();
                }
            }
        }

        // Velero's order: server order, with the extensions group moved last (stable).
        var ordered = snapshot.Resources.Where(r => r.Group != "extensions").Concat(snapshot.Resources.Where(r => r.Group == "extensions"));
        return new ClusterInfo(git, major, minor, new DiscoverySnapshot(ordered));
    }

    private static async Task<(string Git, string Major, string Minor)> ReadVersionAsync(KubeApi api, CancellationToken cancellationToken)
    {
        var found = await api.TryGetAsync("/version", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (found is not { } v)
        {
            return (string.Empty, string.Empty, string.Empty);
        }

        using var doc = JsonDocument.Parse(v.Body);
        string Get(string name) => doc.RootElement.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : string.Empty;
        return (Get("gitVersion"), Get("major"), Get("minor"));
    }
}
