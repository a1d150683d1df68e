using Velero.Sdk.Backup;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore;

/// <summary>A validated, immutable restore request, made by <see cref="RestoreBuilder"/>.</summary>
public sealed class RestoreRequest
{
    private readonly V1Restore _restore;

    internal RestoreRequest(V1Restore restore)
    {
        _restore = restore;
        var spec = restore.Spec;
        IncludedNamespaces = BackupRequest.List(spec.IncludedNamespaces);
        ExcludedNamespaces = BackupRequest.List(spec.ExcludedNamespaces);
        IncludedResources = BackupRequest.List(spec.IncludedResources);
        ExcludedResources = BackupRequest.List(spec.ExcludedResources);
        NamespaceMapping = spec.NamespaceMapping is { Count: > 0 } m ? NamespaceMapping.Create(m) : NamespaceMapping.Empty;
        LabelSelector = spec.LabelSelector is null ? null : Filtering.LabelSelector.FromLabelSelector(spec.LabelSelector);
        OrLabelSelectors = (spec.OrLabelSelectors ?? []).Select(Filtering.LabelSelector.FromLabelSelector).ToList();
    }

    /// <summary>The restore's name.</summary>
    public string Name => _restore.Metadata.Name;

    /// <summary>The namespace of the Restore resource.</summary>
    public string Namespace => _restore.Metadata.NamespaceProperty;

    /// <summary>The backup to restore; <c>null</c> when restoring from a schedule.</summary>
    public string? BackupName => NullIfEmpty(_restore.Spec.BackupName);

    /// <summary>The schedule whose latest completed backup is restored; <c>null</c> when a backup is named.</summary>
    public string? ScheduleName => NullIfEmpty(_restore.Spec.ScheduleName);

    /// <summary>Namespaces of the backup to restore (names or globs); empty means all.</summary>
    public IReadOnlyList<string> IncludedNamespaces { get; }

    /// <summary>Namespaces of the backup not to restore.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; }

    /// <summary>Resources to restore; empty means all.</summary>
    public IReadOnlyList<string> IncludedResources { get; }

    /// <summary>Resources not to restore (the non-restorable ones are always excluded as well).</summary>
    public IReadOnlyList<string> ExcludedResources { get; }

    /// <summary>Cluster-scoped resources switch (<c>null</c> = auto).</summary>
    public bool? IncludeClusterResources => _restore.Spec.IncludeClusterResources;

    /// <summary>The namespace mapping.</summary>
    public NamespaceMapping NamespaceMapping { get; }

    /// <summary>The label selector, or <c>null</c>.</summary>
    public LabelSelector? LabelSelector { get; }

    /// <summary>OR-ed label selectors (empty when none).</summary>
    public IReadOnlyList<LabelSelector> OrLabelSelectors { get; }

    /// <summary>Whether to restore volumes from snapshots; <c>null</c> means yes.</summary>
    public bool? RestorePVs => _restore.Spec.RestorePVs;

    /// <summary>Whether to keep Services' node ports.</summary>
    public bool? PreserveNodePorts => _restore.Spec.PreserveNodePorts;

    /// <summary>The existing-resource policy: <c>none</c> (also when unset) or <c>update</c>.</summary>
    public string ExistingResourcePolicy => string.IsNullOrEmpty(_restore.Spec.ExistingResourcePolicy) ? Model.ExistingResourcePolicy.None : _restore.Spec.ExistingResourcePolicy;

    /// <summary>
    /// The object name filter (names or globs), beyond Velero's filters: everything unless set with
    /// <see cref="RestoreBuilder.IncludeNames"/> or <see cref="RestoreBuilder.ExcludeNames"/>. Not part of the Restore resource.
    /// </summary>
    public IncludesExcludes Names { get; init; } = IncludesExcludes.Everything;

    /// <summary>The equivalent Restore resource; a new object on each call.</summary>
    public V1Restore ToRestore() => VeleroJson.Deserialize<V1Restore>(VeleroJson.Serialize(_restore))!;

    /// <inheritdoc />
    public override string ToString() => $"restore {Namespace}/{Name} from {(BackupName is null ? "schedule " + ScheduleName : "backup " + BackupName)}";

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
