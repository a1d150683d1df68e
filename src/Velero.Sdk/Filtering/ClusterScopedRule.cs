namespace Velero.Sdk.Filtering;

/// <summary>The <c>includeClusterResources</c> tri-state rule a restore applies to cluster-scoped items.</summary>
public static class ClusterScopedRule
{
    /// <summary>
    /// Whether a restore considers cluster-scoped items (namespace objects included): never when
    /// <paramref name="includeClusterResources"/> is false, always when true, and when it is absent ("auto") only if the
    /// namespace filter includes everything. Items that actions pull in follow their own rule.
    /// </summary>
    public static bool ShouldRestoreClusterScoped(bool? includeClusterResources, NamespaceFilter namespaces)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        return includeClusterResources ?? namespaces.IncludeEverything;
    }
}
