using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup;

/// <summary>
/// A validated, immutable backup request, made by <see cref="BackupBuilder"/>. <see cref="ToBackup"/> gives the
/// equivalent velero.io/v1 Backup resource.
/// </summary>
public sealed class BackupRequest
{
    private readonly V1Backup _backup;

    internal BackupRequest(V1Backup backup)
    {
        _backup = backup;
        var spec = backup.Spec;
        Name = backup.Metadata.Name;
        Namespace = backup.Metadata.NamespaceProperty;
        Labels = Copy(backup.Metadata.Labels);
        Annotations = Copy(backup.Metadata.Annotations);
        IncludedNamespaces = List(spec.IncludedNamespaces);
        ExcludedNamespaces = List(spec.ExcludedNamespaces);
        IncludedResources = List(spec.IncludedResources);
        ExcludedResources = List(spec.ExcludedResources);
        IncludedClusterScopedResources = List(spec.IncludedClusterScopedResources);
        ExcludedClusterScopedResources = List(spec.ExcludedClusterScopedResources);
        IncludedNamespaceScopedResources = List(spec.IncludedNamespaceScopedResources);
        ExcludedNamespaceScopedResources = List(spec.ExcludedNamespaceScopedResources);
        LabelSelector = spec.LabelSelector is null ? null : Filtering.LabelSelector.FromLabelSelector(spec.LabelSelector);
        OrLabelSelectors = (spec.OrLabelSelectors ?? []).Select(Filtering.LabelSelector.FromLabelSelector).ToList();
        Ttl = spec.Ttl is null ? null : GoDuration.Parse(spec.Ttl);
        OrderedResources = Copy(spec.OrderedResources);
        VolumeSnapshotLocations = List(spec.VolumeSnapshotLocations);
    }

    /// <summary>The backup's name.</summary>
    public string Name { get; }

    /// <summary>The namespace of the Backup resource (Velero's namespace).</summary>
    public string Namespace { get; }

    /// <summary>Labels of the Backup resource.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Annotations of the Backup resource.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Namespaces to include (names or globs); empty means all.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; }

    /// <summary>Namespaces to exclude.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; }

    /// <summary>Old-style resource includes.</summary>
    public IReadOnlyList<string> IncludedResources { get; }

    /// <summary>Old-style resource excludes.</summary>
    public IReadOnlyList<string> ExcludedResources { get; }

    /// <summary>Old-style cluster-resources switch (<c>null</c> = auto).</summary>
    public bool? IncludeClusterResources => _backup.Spec.IncludeClusterResources;

    /// <summary>Scoped filter: cluster-scoped includes.</summary>
    public IReadOnlyList<string> IncludedClusterScopedResources { get; }

    /// <summary>Scoped filter: cluster-scoped excludes.</summary>
    public IReadOnlyList<string> ExcludedClusterScopedResources { get; }

    /// <summary>Scoped filter: namespaced includes.</summary>
    public IReadOnlyList<string> IncludedNamespaceScopedResources { get; }

    /// <summary>Scoped filter: namespaced excludes.</summary>
    public IReadOnlyList<string> ExcludedNamespaceScopedResources { get; }

    /// <summary>True when the old resource filter model applies.</summary>
    public bool UsesOldResourceFilters => ResourceFilter.UsesOldModel(IncludedResources, ExcludedResources, IncludeClusterResources);

    /// <summary>The label selector, or <c>null</c> when none is set.</summary>
    public LabelSelector? LabelSelector { get; }

    /// <summary>OR-ed label selectors (empty when none).</summary>
    public IReadOnlyList<LabelSelector> OrLabelSelectors { get; }

    /// <summary>Whether to snapshot volumes; <c>null</c> means yes.</summary>
    public bool? SnapshotVolumes => _backup.Spec.SnapshotVolumes;

    /// <summary>The retention; <c>null</c> means the server default.</summary>
    public TimeSpan? Ttl { get; }

    /// <summary>The BackupStorageLocation; <c>null</c> means the default one.</summary>
    public string? StorageLocation => _backup.Spec.StorageLocation;

    /// <summary>The VolumeSnapshotLocations named.</summary>
    public IReadOnlyList<string> VolumeSnapshotLocations { get; }

    /// <summary>Items backed up first, per plural resource name.</summary>
    public IReadOnlyDictionary<string, string> OrderedResources { get; }

    /// <summary>The expiration of a backup that starts at <paramref name="start"/>: start + TTL, or the default TTL (720h) when none is set.</summary>
    public DateTimeOffset GetExpiration(DateTimeOffset start) => start + (Ttl is { } ttl && ttl > TimeSpan.Zero ? ttl : GoDuration.Parse(VeleroConstants.DefaultBackupTtl));

    /// <summary>The equivalent Backup resource; a new object on each call.</summary>
    public V1Backup ToBackup() => VeleroJson.Deserialize<V1Backup>(VeleroJson.Serialize(_backup))!;

    /// <inheritdoc />
    public override string ToString() => $"backup {Namespace}/{Name}";

    internal static IReadOnlyList<string> List(IList<string>? list) => list is null ? [] : [.. list];

    internal static IReadOnlyDictionary<string, string> Copy(IDictionary<string, string>? map) =>
        map is null ? new Dictionary<string, string>() : new Dictionary<string, string>(map, StringComparer.Ordinal);
}
