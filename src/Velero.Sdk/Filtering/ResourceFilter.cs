namespace Velero.Sdk.Filtering;

/// <summary>
/// Decides which resource types a backup collects, with Velero's two filter models: the old one
/// (<c>includedResources</c>, <c>excludedResources</c>, <c>includeClusterResources</c>) and the new scoped one
/// (<c>included/excludedNamespaceScopedResources</c>, <c>included/excludedClusterScopedResources</c>).
/// Entries are resolved through a <see cref="DiscoverySnapshot"/> and matched as globs. Immutable and thread-safe.
/// </summary>
public abstract class ResourceFilter
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _include = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _exclude = new(StringComparer.Ordinal);

    private protected ResourceFilter(DiscoverySnapshot discovery, NamespaceFilter namespaces)
    {
        Discovery = discovery;
        Namespaces = namespaces;
    }

    /// <summary>The discovery snapshot names are resolved against.</summary>
    public DiscoverySnapshot Discovery { get; }

    /// <summary>The namespace filter the cluster-scoped rules consult.</summary>
    public NamespaceFilter Namespaces { get; }

    /// <summary>True when this filter uses the old model.</summary>
    public abstract bool IsOldModel { get; }

    /// <summary>
    /// Velero's model choice: the old model when <c>includeClusterResources</c> is set or either old list is non-empty;
    /// otherwise the new scoped model (also when no filter is set at all).
    /// </summary>
    public static bool UsesOldModel(IEnumerable<string>? includedResources, IEnumerable<string>? excludedResources, bool? includeClusterResources) =>
        includeClusterResources is not null || (includedResources?.Any() ?? false) || (excludedResources?.Any() ?? false);

    /// <summary>Creates an old-model filter. A <c>*</c> exclude is ignored, as Velero's engine ignores it.</summary>
    public static ResourceFilter CreateOld(
        DiscoverySnapshot discovery,
        NamespaceFilter namespaces,
        IEnumerable<string>? includedResources,
        IEnumerable<string>? excludedResources,
        bool? includeClusterResources)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(namespaces);
        var inc = (includedResources ?? []).Select(discovery.ResolveFilterEntry);
        var exc = (excludedResources ?? []).Where(e => e != "*").Select(discovery.ResolveFilterEntry);
        return new OldModel(discovery, namespaces, new IncludesExcludes(inc, exc), includeClusterResources);
    }

    /// <summary>
    /// Creates a new-model (scoped) filter. Entries whose scope does not match their list are dropped; entries discovery cannot
    /// resolve are kept verbatim. <paramref name="automaticExcludes"/> are excludes the caller adds on its own (Velero's
    /// CSI snapshot objects): they exclude their type but do not count when deciding whether the lists are empty for the
    /// full-cluster rule.
    /// </summary>
    public static ResourceFilter CreateScoped(
        DiscoverySnapshot discovery,
        NamespaceFilter namespaces,
        IEnumerable<string>? includedNamespaceScoped,
        IEnumerable<string>? excludedNamespaceScoped,
        IEnumerable<string>? includedClusterScoped,
        IEnumerable<string>? excludedClusterScoped,
        IEnumerable<string>? automaticExcludes = null)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(namespaces);
        var nsInc = Scoped(discovery, includedNamespaceScoped, namespaced: true);
        var nsExc = Scoped(discovery, excludedNamespaceScoped, namespaced: true);
        var clInc = Scoped(discovery, includedClusterScoped, namespaced: false);
        var clExc = Scoped(discovery, excludedClusterScoped, namespaced: false);
        var userLists = (ns: new IncludesExcludes(nsInc, nsExc), cluster: new IncludesExcludes(clInc, clExc));
        var auto = automaticExcludes?.ToArray() ?? [];
        var autoNs = Scoped(discovery, auto, namespaced: true);
        var autoCl = Scoped(discovery, auto, namespaced: false);
        return new ScopedModel(
            discovery,
            namespaces,
            new IncludesExcludes(nsInc.Except(autoNs), nsExc.Concat(autoNs)),
            new IncludesExcludes(clInc.Except(autoCl), clExc.Concat(autoCl)),
            userLists.ns,
            userLists.cluster);
    }

    /// <summary>
    /// Whether the backup collects items of this type wholesale (it lists them). <paramref name="groupResource"/> is a
    /// <c>resource.group</c> string as <see cref="ApiResourceInfo.GroupResource"/> writes it. A type discovery cannot
    /// resolve is never collected.
    /// </summary>
    public bool ShouldInclude(string groupResource)
    {
        ArgumentNullException.ThrowIfNull(groupResource);
        return _include.GetOrAdd(groupResource, gr => Include(gr));
    }

    /// <summary>
    /// Whether the type is explicitly excluded: the rule for cluster-scoped items that actions pull in, which are
    /// backed up unless explicitly excluded. A type discovery cannot resolve counts as excluded.
    /// </summary>
    public bool ShouldExclude(string groupResource)
    {
        ArgumentNullException.ThrowIfNull(groupResource);
        return _exclude.GetOrAdd(groupResource, gr => Exclude(gr));
    }

    /// <summary>The uncached <see cref="ShouldInclude"/> (the answers depend only on the type, so they are cached).</summary>
    private protected abstract bool Include(string groupResource);

    /// <summary>The uncached <see cref="ShouldExclude"/>.</summary>
    private protected abstract bool Exclude(string groupResource);

    private static List<string> Scoped(DiscoverySnapshot discovery, IEnumerable<string>? entries, bool namespaced)
    {
        var result = new List<string>();
        foreach (var e in entries ?? [])
        {
            if (e == "*")
            {
                result.Add(e);
                continue;
            }

            if (!discovery.TryResolve(e, out var r))
            {
                result.Add(e);
            }
            else if (r.Namespaced == namespaced)
            {
                result.Add(r.GroupResource.ToString());
            }
        }

        return result;
    }

    private sealed class OldModel(DiscoverySnapshot discovery, NamespaceFilter namespaces, IncludesExcludes resources, bool? includeClusterResources)
        : ResourceFilter(discovery, namespaces)
    {
        public override bool IsOldModel => true;

        private protected override bool Include(string groupResource)
        {
            if (!Discovery.TryResolve(groupResource, out var r))
            {
                return false;
            }

            if (!r.Namespaced && includeClusterResources == false)
            {
                return false;
            }

            // Auto mode: cluster-scoped types are collected wholesale only by whole-cluster backups.
            if (!r.Namespaced && includeClusterResources is null && groupResource != "namespaces" && !Namespaces.IncludeEverything)
            {
                return false;
            }

            return resources.ShouldInclude(groupResource);
        }

        private protected override bool Exclude(string groupResource)
        {
            if (resources.ExcludesMatch(groupResource))
            {
                return true;
            }

            if (!Discovery.TryResolve(groupResource, out var r))
            {
                return true;
            }

            if (!r.Namespaced)
            {
                if (includeClusterResources == false)
                {
                    return true;
                }

                if (includeClusterResources is null && !resources.ShouldInclude(groupResource))
                {
                    return true;
                }
            }

            return false;
        }

        public override string ToString() => $"resources {resources}; includeClusterResources: {includeClusterResources?.ToString() ?? "auto"}";
    }

    private sealed class ScopedModel(
        DiscoverySnapshot discovery,
        NamespaceFilter namespaces,
        IncludesExcludes namespaced,
        IncludesExcludes cluster,
        IncludesExcludes userNamespaced,
        IncludesExcludes userCluster)
        : ResourceFilter(discovery, namespaces)
    {
        public override bool IsOldModel => false;

        private protected override bool Include(string groupResource)
        {
            if (!Discovery.TryResolve(groupResource, out var r))
            {
                return false;
            }

            if (r.Namespaced)
            {
                if (namespaced.ExcludesAll || namespaced.ExcludesMatch(groupResource))
                {
                    return false;
                }

                return namespaced.Includes.Count == 0 || namespaced.IncludesAll || namespaced.IncludesMatch(groupResource);
            }

            if (cluster.ExcludesAll || cluster.ExcludesMatch(groupResource))
            {
                return false;
            }

            // Full-cluster backup: no cluster lists, every namespace and every namespaced type.
            if (userCluster.Includes.Count == 0 && userCluster.Excludes.Count == 0 &&
                Namespaces.IncludeEverything && userNamespaced.IncludeEverything)
            {
                return true;
            }

            // Namespace objects are included unless explicitly excluded.
            return cluster.IncludesAll || cluster.IncludesMatch(groupResource) || groupResource == "namespaces";
        }

        private protected override bool Exclude(string groupResource)
        {
            if (!Discovery.TryResolve(groupResource, out var r))
            {
                return true;
            }

            return r.Namespaced ? namespaced.ExcludesMatch(groupResource) : cluster.ExcludesMatch(groupResource);
        }

        public override string ToString() => $"namespace-scoped {namespaced}; cluster-scoped {cluster}";
    }
}
