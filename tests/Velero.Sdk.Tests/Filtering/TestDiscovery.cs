using System.Text.Json;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Tests.Filtering;

/// <summary>Discovery snapshots built from documents recorded from real API servers.</summary>
internal static class TestDiscovery
{
    private static readonly Lazy<DiscoverySnapshot> LazyRecorded = new(() =>
    {
        using var core = JsonDocument.Parse(File.ReadAllText(TestData.Path("discovery", "kubernetes-api-discovery", "api__v1.json")));
        using var groups = JsonDocument.Parse(File.ReadAllText(TestData.Path("discovery", "kubernetes-api-discovery", "aggregated_v2.json")));
        return DiscoverySnapshot.FromCoreAndAggregated(core.RootElement, groups.RootElement);
    });

    /// <summary>The core group (/api/v1) and every named group (aggregated /apis) of a real server.</summary>
    public static DiscoverySnapshot Recorded => LazyRecorded.Value;

    /// <summary>A small snapshot of chosen resources, as Velero's own tests build one.</summary>
    public static DiscoverySnapshot Of(params string[] resources) =>
        new(Recorded.Resources.Where(r => resources.Contains(r.GroupResource.ToString())));
}
