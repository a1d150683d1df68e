namespace Velero.Sdk.Actions;

/// <summary>
/// Which items an action applies to (Velero's <c>ResourceSelector</c>): resources (names, short names, globs resolved through
/// discovery), namespaces, and a label selector in Kubernetes syntax. Empty lists mean "all". A cluster-scoped item only matches
/// a selector whose namespace lists include everything.
/// </summary>
public sealed class ResourceSelector
{
    /// <summary>A selector that matches every item.</summary>
    public static ResourceSelector All { get; } = new();

    /// <summary>Namespaces to match; empty means all.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; init; } = [];

    /// <summary>Namespaces not to match.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Resources to match (<c>pods</c>, <c>deployments.apps</c>, short names); empty means all.</summary>
    public IReadOnlyList<string> IncludedResources { get; init; } = [];

    /// <summary>Resources not to match.</summary>
    public IReadOnlyList<string> ExcludedResources { get; init; } = [];

    /// <summary>A label selector the item's labels must match; null or empty matches all.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>A selector for the given resources only.</summary>
    public static ResourceSelector ForResources(params string[] resources) => new() { IncludedResources = resources };
}
