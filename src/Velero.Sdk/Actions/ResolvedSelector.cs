using Velero.Sdk.Filtering;

namespace Velero.Sdk.Actions;

/// <summary>A <see cref="ResourceSelector"/> with its names resolved through discovery, ready to match items.</summary>
internal sealed class ResolvedSelector
{
    private readonly IncludesExcludes _resources;
    private readonly IncludesExcludes _namespaces;
    private readonly LabelSelector _labels;

    public ResolvedSelector(ResourceSelector selector, DiscoverySnapshot discovery)
    {
        _resources = new IncludesExcludes(
            selector.IncludedResources.Select(discovery.ResolveFilterEntry),
            selector.ExcludedResources.Select(discovery.ResolveFilterEntry));
        _namespaces = new IncludesExcludes(selector.IncludedNamespaces, selector.ExcludedNamespaces);
        _labels = string.IsNullOrWhiteSpace(selector.LabelSelector) ? LabelSelector.Everything : LabelSelector.Parse(selector.LabelSelector);
    }

    /// <summary>Whether the selector's resource lists take the group-resource (the cheap first test of <see cref="Matches(string, string?, IReadOnlyDictionary{string, string}?)"/>).</summary>
    public bool MatchesResource(string groupResource) => _resources.ShouldInclude(groupResource);

    /// <summary>Velero's ShouldUse: resource, then namespace (a cluster-scoped item needs "all namespaces"), then labels.</summary>
    public bool Matches(string groupResource, string? ns, IReadOnlyDictionary<string, string>? labels) =>
        MatchesScope(groupResource, ns) && _labels.Matches(labels);

    /// <summary>As <see cref="Matches(string, string?, IReadOnlyDictionary{string, string}?)"/>; the item's labels are read only when the selector has a label selector.</summary>
    public bool Matches(string groupResource, Cluster.RawObject item) =>
        MatchesScope(groupResource, item.Namespace) && (_labels.IsEverything || _labels.Matches(item.Labels));

    private bool MatchesScope(string groupResource, string? ns) =>
        _resources.ShouldInclude(groupResource) && (ns is null ? _namespaces.IncludeEverything : _namespaces.ShouldInclude(ns));
}
