using k8s.Models;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup;

/// <summary>
/// The fluent part that backups and schedules share: what a backup includes and how it is kept. Each method records
/// the setting and returns the builder; nothing is checked until <c>Build()</c>, which reports every problem at once.
/// </summary>
/// <typeparam name="TBuilder">The concrete builder type, returned by each method for chaining.</typeparam>
public abstract class BackupSpecBuilder<TBuilder>
    where TBuilder : BackupSpecBuilder<TBuilder>
{
    private protected BackupSpecBuilder(V1BackupSpec spec)
    {
        Spec = spec;
    }

    /// <summary>The spec being built (a private copy).</summary>
    private protected V1BackupSpec Spec { get; }

    /// <summary>Problems found while recording settings (for example a label selector that does not parse), reported by <c>Build()</c>.</summary>
    private protected List<string> Deferred { get; } = [];

    private TBuilder This => (TBuilder)this;

    /// <summary>Namespaces to include: names or globs (<c>*</c>, <c>?</c>, <c>[abc]</c>). None means all.</summary>
    public TBuilder IncludeNamespaces(params string[] namespaces) => Add(Spec.IncludedNamespaces ??= [], namespaces);

    /// <summary>Namespaces to exclude: names or globs. Excludes win over includes.</summary>
    public TBuilder ExcludeNamespaces(params string[] namespaces) => Add(Spec.ExcludedNamespaces ??= [], namespaces);

    /// <summary>Resources to include, old-style filter (<c>pods</c>, <c>deployments.apps</c>, short names, globs). Cannot be mixed with the scoped filters.</summary>
    public TBuilder IncludeResources(params string[] resources) => Add(Spec.IncludedResources ??= [], resources);

    /// <summary>Resources to exclude, old-style filter.</summary>
    public TBuilder ExcludeResources(params string[] resources) => Add(Spec.ExcludedResources ??= [], resources);

    /// <summary>
    /// Old-style switch for cluster-scoped resources: <c>true</c> all, <c>false</c> none, <c>null</c> (the default, "auto")
    /// only for whole-cluster backups and items pulled in by actions.
    /// </summary>
    public TBuilder IncludeClusterResources(bool? include)
    {
        Spec.IncludeClusterResources = include;
        return This;
    }

    /// <summary>Cluster-scoped resources to include (scoped filter); <c>*</c> for all.</summary>
    public TBuilder IncludeClusterScopedResources(params string[] resources) => Add(Spec.IncludedClusterScopedResources ??= [], resources);

    /// <summary>Cluster-scoped resources to exclude (scoped filter); <c>*</c> for all.</summary>
    public TBuilder ExcludeClusterScopedResources(params string[] resources) => Add(Spec.ExcludedClusterScopedResources ??= [], resources);

    /// <summary>Namespaced resources to include (scoped filter); none means all.</summary>
    public TBuilder IncludeNamespaceScopedResources(params string[] resources) => Add(Spec.IncludedNamespaceScopedResources ??= [], resources);

    /// <summary>Namespaced resources to exclude (scoped filter); <c>*</c> for all.</summary>
    public TBuilder ExcludeNamespaceScopedResources(params string[] resources) => Add(Spec.ExcludedNamespaceScopedResources ??= [], resources);

    /// <summary>Backs up only items whose labels match the selector, in Kubernetes syntax (<c>app=web,tier in (a,b)</c>).</summary>
    public TBuilder WithLabelSelector(string selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        if (TryConvert(selector, "labelSelector", out var obj))
        {
            Spec.LabelSelector = obj ?? new V1LabelSelector();
        }

        return This;
    }

    /// <summary>Backs up only items whose labels match the selector object.</summary>
    public TBuilder WithLabelSelector(V1LabelSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        Spec.LabelSelector = Clone(selector);
        return This;
    }

    /// <summary>Adds selectors of which at least one must match (Velero's <c>orLabelSelectors</c>). Cannot be combined with <see cref="WithLabelSelector(string)"/>.</summary>
    public TBuilder WithOrLabelSelectors(params string[] selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        for (int i = 0; i < selectors.Length; i++)
        {
            if (TryConvert(selectors[i], $"orLabelSelectors[{(Spec.OrLabelSelectors?.Count ?? 0)}]", out var obj))
            {
                (Spec.OrLabelSelectors ??= []).Add(obj ?? new V1LabelSelector());
            }
        }

        return This;
    }

    /// <summary>Whether to snapshot persistent volumes; unset means yes, only <c>false</c> turns it off.</summary>
    public TBuilder SnapshotVolumes(bool? snapshot)
    {
        Spec.SnapshotVolumes = snapshot;
        return This;
    }

    /// <summary>How long the backup is kept before garbage collection; unset means the server default (720h).</summary>
    public TBuilder WithTtl(TimeSpan ttl)
    {
        Spec.Ttl = GoDuration.Format(ttl);
        return This;
    }

    /// <summary>The BackupStorageLocation to write to; unset means the default location.</summary>
    public TBuilder WithStorageLocation(string name)
    {
        Spec.StorageLocation = name;
        return This;
    }

    /// <summary>VolumeSnapshotLocations to use (one per provider).</summary>
    public TBuilder WithVolumeSnapshotLocations(params string[] names) => Add(Spec.VolumeSnapshotLocations ??= [], names);

    /// <summary>
    /// Backs up the named items of a resource first, in this order (Velero's <c>orderedResources</c>):
    /// <paramref name="resource"/> is a plural name such as <c>pods</c>, items are <c>namespace/name</c> or <c>name</c>.
    /// </summary>
    public TBuilder WithOrderedResources(string resource, params string[] items)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(items);
        (Spec.OrderedResources ??= new Dictionary<string, string>(StringComparer.Ordinal))[resource] = string.Join(",", items);
        return This;
    }

    /// <summary>Adds a backup hook spec (pre and post exec hooks on the pods it selects).</summary>
    public TBuilder AddHook(V1BackupResourceHookSpec hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ((Spec.Hooks ??= new V1BackupHooks()).Resources ??= []).Add(Clone(hook));
        return This;
    }

    /// <summary>Uses file-system backup for all pod volumes by default.</summary>
    public TBuilder DefaultVolumesToFsBackup(bool? value)
    {
        Spec.DefaultVolumesToFsBackup = value;
        return This;
    }

    /// <summary>How long to wait for asynchronous item operations; unset means 4h.</summary>
    public TBuilder WithItemOperationTimeout(TimeSpan timeout)
    {
        Spec.ItemOperationTimeout = GoDuration.Format(timeout);
        return This;
    }

    /// <summary>How long to wait for CSI snapshots to be ready; unset means 10m.</summary>
    public TBuilder WithCsiSnapshotTimeout(TimeSpan timeout)
    {
        Spec.CsiSnapshotTimeout = GoDuration.Format(timeout);
        return This;
    }

    /// <summary>A ConfigMap of resource policies (Velero's <c>resourcePolicy</c>).</summary>
    public TBuilder WithResourcePolicy(string configMapName)
    {
        Spec.ResourcePolicy = new V1TypedLocalObjectReference { Kind = "configmap", Name = configMapName };
        return This;
    }

    private protected static T Clone<T>(T value)
        where T : class =>
        VeleroJson.Deserialize<T>(VeleroJson.Serialize(value))!;

    private TBuilder Add(IList<string> list, string[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            list.Add(item);
        }

        return This;
    }

    private bool TryConvert(string selector, string field, out V1LabelSelector? result) =>
        LabelSelector.TryToObject(selector, field, Deferred, out result);
}
