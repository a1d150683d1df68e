using System.Globalization;
using k8s.Models;
using Velero.Sdk.Backup;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore;

/// <summary>
/// Builds an immutable, validated <see cref="RestoreRequest"/>: what to restore from which backup, filters and
/// namespace mapping. Fluent and free of I/O; <see cref="Build"/> reports every problem at once with Velero's messages.
/// </summary>
/// <example>
/// <code>
/// RestoreRequest request = new RestoreBuilder(fromBackup: "nightly-apps")
///     .MapNamespace("abc", "def")
///     .MapNamespace("123", "456")
///     .Build();
/// </code>
/// </example>
public sealed class RestoreBuilder
{
    private readonly V1Restore _restore;
    private readonly List<string> _deferred = [];
    private readonly IList<string> _includedNames = new List<string>();
    private readonly IList<string> _excludedNames = new List<string>();
    private TimeProvider _timeProvider = TimeProvider.System;

    /// <summary>Starts a restore. Without a name, <see cref="Build"/> names it <c>&lt;backup&gt;-yyyyMMddHHmmss</c> (UTC).</summary>
    /// <param name="fromBackup">The backup to restore (or use <see cref="FromSchedule"/>).</param>
    /// <param name="name">The restore's name.</param>
    public RestoreBuilder(string? fromBackup = null, string? name = null)
    {
        _restore = new V1Restore
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = VeleroConstants.DefaultNamespace },
            Spec = new V1RestoreSpec { BackupName = fromBackup },
        };
    }

    private RestoreBuilder(V1Restore restore) => _restore = restore;

    private V1RestoreSpec Spec => _restore.Spec;

    /// <summary>Starts from an existing Restore resource (copied), e.g. to validate one read from a cluster.</summary>
    public static RestoreBuilder From(V1Restore restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        var copy = VeleroJson.Deserialize<V1Restore>(VeleroJson.Serialize(restore))!;
        copy.Metadata ??= new V1ObjectMeta();
        copy.Spec ??= new V1RestoreSpec();
        copy.Status = null;
        return new RestoreBuilder(copy);
    }

    /// <summary>Names the restore.</summary>
    public RestoreBuilder WithName(string name)
    {
        _restore.Metadata.Name = name;
        return this;
    }

    /// <summary>The namespace the Restore resource lives in; <c>velero</c> by default.</summary>
    public RestoreBuilder InNamespace(string veleroNamespace)
    {
        _restore.Metadata.NamespaceProperty = veleroNamespace;
        return this;
    }

    /// <summary>Restores from this backup.</summary>
    public RestoreBuilder FromBackup(string backupName)
    {
        Spec.BackupName = backupName;
        return this;
    }

    /// <summary>Restores from the most recent completed backup of this schedule.</summary>
    public RestoreBuilder FromSchedule(string scheduleName)
    {
        Spec.ScheduleName = scheduleName;
        return this;
    }

    /// <summary>Namespaces (as named in the backup) to restore: names or globs. None means all.</summary>
    public RestoreBuilder IncludeNamespaces(params string[] namespaces) => Add(Spec.IncludedNamespaces ??= [], namespaces);

    /// <summary>Namespaces (as named in the backup) not to restore.</summary>
    public RestoreBuilder ExcludeNamespaces(params string[] namespaces) => Add(Spec.ExcludedNamespaces ??= [], namespaces);

    /// <summary>Resources to restore (names, short names, globs). None means all.</summary>
    public RestoreBuilder IncludeResources(params string[] resources) => Add(Spec.IncludedResources ??= [], resources);

    /// <summary>Resources not to restore.</summary>
    public RestoreBuilder ExcludeResources(params string[] resources) => Add(Spec.ExcludedResources ??= [], resources);

    /// <summary>Cluster-scoped resources: <c>true</c> all, <c>false</c> none, <c>null</c> (auto) only for whole-cluster restores.</summary>
    public RestoreBuilder IncludeClusterResources(bool? include)
    {
        Spec.IncludeClusterResources = include;
        return this;
    }

    /// <summary>Restores only items whose labels match the selector (Kubernetes syntax).</summary>
    public RestoreBuilder WithLabelSelector(string selector)
    {
        if (TryConvert(selector, "labelSelector", out var obj))
        {
            Spec.LabelSelector = obj ?? new V1LabelSelector();
        }

        return this;
    }

    /// <summary>Restores items matching at least one of the selectors (Velero's <c>orLabelSelectors</c>).</summary>
    public RestoreBuilder WithOrLabelSelectors(params string[] selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        foreach (var s in selectors)
        {
            if (TryConvert(s, $"orLabelSelectors[{Spec.OrLabelSelectors?.Count ?? 0}]", out var obj))
            {
                (Spec.OrLabelSelectors ??= []).Add(obj ?? new V1LabelSelector());
            }
        }

        return this;
    }

    /// <summary>Restores namespace <paramref name="source"/> of the backup as <paramref name="target"/>. Call once per namespace.</summary>
    public RestoreBuilder MapNamespace(string source, string target)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        var map = Spec.NamespaceMapping ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.TryGetValue(source, out var existing))
        {
            _deferred.Add($"namespaceMapping: source namespace \"{source}\" is mapped twice (to \"{existing}\" and \"{target}\")");
        }

        map[source] = target;
        return this;
    }

    /// <summary>Adds every pair of a mapping.</summary>
    public RestoreBuilder WithNamespaceMapping(NamespaceMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var (source, target) in mapping)
        {
            MapNamespace(source, target);
        }

        return this;
    }

    /// <summary>Adds the pairs of the velero CLI form <c>a:b,c:d</c>.</summary>
    public RestoreBuilder WithNamespaceMapping(string mapping)
    {
        try
        {
            return WithNamespaceMapping(NamespaceMapping.Parse(mapping));
        }
        catch (FormatException e)
        {
            _deferred.Add("namespaceMapping: " + e.Message);
            return this;
        }
    }

    /// <summary>Whether to restore persistent volumes from snapshots; unset means yes.</summary>
    public RestoreBuilder RestorePVs(bool? restore)
    {
        Spec.RestorePVs = restore;
        return this;
    }

    /// <summary>Keeps Services' node ports.</summary>
    public RestoreBuilder PreserveNodePorts(bool? preserve = true)
    {
        Spec.PreserveNodePorts = preserve;
        return this;
    }

    /// <summary>Restores the <c>status</c> of the given resources (and not of the excluded ones).</summary>
    public RestoreBuilder RestoreStatus(IEnumerable<string>? includedResources, IEnumerable<string>? excludedResources = null)
    {
        Spec.RestoreStatus = new V1RestoreStatusSpec
        {
            IncludedResources = includedResources?.ToList(),
            ExcludedResources = excludedResources?.ToList(),
        };
        return this;
    }

    /// <summary>What to do with objects that already exist: <c>none</c> (the default: leave them, warn when they differ) or <c>update</c>.</summary>
    public RestoreBuilder WithExistingResourcePolicy(string policy)
    {
        Spec.ExistingResourcePolicy = policy;
        return this;
    }

    /// <summary>A ConfigMap of resource modifier rules applied to items as they are restored.</summary>
    public RestoreBuilder WithResourceModifier(string configMapName)
    {
        Spec.ResourceModifier = new V1TypedLocalObjectReference { Kind = "configmap", Name = configMapName };
        return this;
    }

    /// <summary>Adds a restore hook spec (init containers or exec hooks on restored pods).</summary>
    public RestoreBuilder AddHook(V1RestoreResourceHookSpec hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        ((Spec.Hooks ??= new V1RestoreHooks()).Resources ??= []).Add(VeleroJson.Deserialize<V1RestoreResourceHookSpec>(VeleroJson.Serialize(hook))!);
        return this;
    }

    /// <summary>How long to wait for asynchronous item operations; unset means 4h.</summary>
    public RestoreBuilder WithItemOperationTimeout(TimeSpan timeout)
    {
        Spec.ItemOperationTimeout = GoDuration.Format(timeout);
        return this;
    }

    /// <summary>Adds a label to the Restore resource.</summary>
    public RestoreBuilder WithLabel(string key, string value)
    {
        (_restore.Metadata.Labels ??= new Dictionary<string, string>())[key] = value;
        return this;
    }

    /// <summary>
    /// Restores only objects whose name matches one of these names or globs (<c>*</c>, <c>?</c>, <c>[abc]</c>), beyond Velero's
    /// filters. Namespaces the selected objects live in are still created. Not part of the velero.io/v1 Restore resource.
    /// </summary>
    public RestoreBuilder IncludeNames(params string[] names) => Add(_includedNames, names);

    /// <summary>Does not restore objects whose name matches one of these names or globs (beyond Velero's filters).</summary>
    public RestoreBuilder ExcludeNames(params string[] names) => Add(_excludedNames, names);

    /// <summary>The clock that default names are read from (UTC); the system clock by default.</summary>
    public RestoreBuilder WithTimeProvider(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        return this;
    }

    /// <summary>Every problem of the restore as configured so far (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(_deferred);
        var name = _restore.Metadata.Name ?? DefaultName();
        if (name is not null)
        {
            errors.AddRange(BackupValidation.ValidateName(name, "restore"));
        }

        errors.AddRange(BackupBuilder.ValidateNamespace(_restore.Metadata.NamespaceProperty));
        errors.AddRange(BackupBuilder.ValidateMetadataMaps(_restore.Metadata));
        errors.AddRange(RestoreValidation.ValidateSpec(Spec));
        foreach (var e in FilterValidation.ValidateIncludesExcludes(_includedNames, _excludedNames))
        {
            errors.Add("Invalid included/excluded name lists: " + e);
        }

        return errors;
    }

    /// <summary>Validates and returns the immutable request.</summary>
    /// <exception cref="VeleroValidationException">The restore is invalid; every problem is listed.</exception>
    public RestoreRequest Build()
    {
        var errors = Validate();
        var name = _restore.Metadata.Name ?? DefaultName();
        if (errors.Count > 0)
        {
            throw new VeleroValidationException($"restore \"{name}\"", errors);
        }

        var copy = VeleroJson.Deserialize<V1Restore>(VeleroJson.Serialize(_restore))!;
        copy.Metadata.Name = name;
        return new RestoreRequest(copy) { Names = new IncludesExcludes(_includedNames, _excludedNames) };
    }

    private string? DefaultName()
    {
        var source = string.IsNullOrEmpty(Spec.BackupName) ? Spec.ScheduleName : Spec.BackupName;
        return string.IsNullOrEmpty(source)
            ? null
            : source + "-" + _timeProvider.GetUtcNow().UtcDateTime.ToString(VeleroConstants.ScheduleBackupTimestampFormat, CultureInfo.InvariantCulture);
    }

    private RestoreBuilder Add(IList<string> list, string[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
            list.Add(item);
        }

        return this;
    }

    private bool TryConvert(string selector, string field, out V1LabelSelector? result) =>
        LabelSelector.TryToObject(selector, field, _deferred, out result);
}
