using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Archive;
using Velero.Sdk.Backup;
using Velero.Sdk.Cluster;
using Velero.Sdk.Diagnostics;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;
using Velero.Sdk.Snapshots;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Restore;

/// <summary>
/// The items of one restore (velero-engine.md section 4): selection, priority tiers (each tier restored in parallel, the next
/// started only when it is done), namespace creation, the per-item path (reset, actions, additional items first, persistent
/// volumes, labels, create, existing objects) and, in a dry run, the plan.
/// </summary>
internal sealed partial class RestoreRun
{
    private const string CrdResource = "customresourcedefinitions.apiextensions.k8s.io";
    private const string NamespacesResource = "namespaces";
    private const string PvResource = "persistentvolumes";
    private const string PvcResource = "persistentvolumeclaims";
    private static readonly string[] MustHaveResources = ["datauploads.velero.io", "volumesnapshotcontents.snapshot.storage.k8s.io"];
    private static readonly string[] ResetMetadataFields =
        ["generateName", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "ownerReferences"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly KubeApi _api;
    private readonly BackupArchiveReader _reader;
    private readonly V1Restore _restore;
    private readonly RestoreRequest _request;
    private readonly IReadOnlyList<VolumeSnapshotRecord> _snapshots;
    private readonly IReadOnlyList<BackupVolumeInfo> _volumeInfos;
    private readonly RestoreOptions _options;
    private readonly IReadOnlyList<RestoreItemAction> _actions;
    private readonly IReadOnlyList<SnapshotLocation> _snapshotLocations;
    private readonly ResourceModifiers? _modifiers;
    private readonly BackupLog _log;
    private readonly bool _dryRun;
    private readonly IProgress<RestoreProgress>? _progress;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _backupLabel;
    private readonly string _restoreLabel;
    private readonly NamespaceMapping _mapping;
    private readonly Backup.ItemKeySet _seen = new(); // 64-bit hashes: a restore of 100,000 items keeps no key strings

    // When no two of the backup's namespaces land in the same one, an item's target is its archive entry's own: one bit per
    // entry (by its name's place in the index's name log) instead of a 12-24 byte key in _seen.
    private Collections.AtomicBitSet? _seenEntries;
    private readonly ConcurrentDictionary<string, Lazy<Task<bool>>> _namespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _renamedPvs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _dynamicPvs = new(StringComparer.Ordinal);
    private readonly RestoredItemLog _items;
    private readonly ConcurrentQueue<RestorePlanStep> _plan = new();
    private readonly HashSet<string> _plannedNamespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _plannedKinds = new(StringComparer.Ordinal);
    private DiscoverySnapshot _discovery;
    private IReadOnlyList<(RestoreItemAction Action, ResolvedSelector Selector)> _resolvedActions = [];
    private NamespaceFilter _namespaceFilter = NamespaceFilter.Everything;
    private IncludesExcludes _resourceFilter = IncludesExcludes.Everything;
    private IncludesExcludes? _statusFilter;
    private int _tier;
    private int _total;
    private int _done;
    private int _written;
    private int _hooksAttempted;
    private int _hooksFailed;
    private string? _currentResource;

    public RestoreRun(
        KubeApi api,
        ClusterInfo cluster,
        BackupArchiveReader reader,
        V1Restore restore,
        RestoreRequest request,
        V1Backup backup,
        IReadOnlyList<VolumeSnapshotRecord> snapshots,
        IReadOnlyList<BackupVolumeInfo> volumeInfos,
        RestoreOptions options,
        IReadOnlyList<RestoreItemAction> actions,
        IReadOnlyList<SnapshotLocation> snapshotLocations,
        ResourceModifiers? modifiers,
        BackupLog log,
        bool dryRun,
        IProgress<RestoreProgress>? progress,
        TimeProvider time,
        ILogger logger)
    {
        _api = api;
        _discovery = cluster.Discovery;
        _reader = reader;
        _items = new RestoredItemLog(options.TempDirectory);
        _restore = restore;
        _request = request;
        _snapshots = snapshots;
        _volumeInfos = volumeInfos;
        _options = options;
        _actions = actions;
        _snapshotLocations = snapshotLocations;
        _modifiers = modifiers;
        _log = log;
        _dryRun = dryRun;
        _progress = progress;
        _time = time;
        _logger = logger;
        _mapping = request.NamespaceMapping;
        _backupLabel = LabelValue.GetValidName(restore.Spec.BackupName ?? backup.Metadata.Name);
        _restoreLabel = LabelValue.GetValidName(restore.Metadata.Name);
        Lookups = new RestoreLookups(api, options.VeleroNamespace);
    }

    public RestoredItemLog Items => _items;

    public IReadOnlyList<RestorePlanStep> PlanSteps =>
        [.. _plan.OrderBy(s => s.Order).ThenBy(s => s.Namespace ?? string.Empty, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal)];

    public int HooksAttempted => _hooksAttempted;

    public int HooksFailed => _hooksFailed;

    internal RestoreLookups Lookups { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!_reader.HasResources)
        {
            foreach (var w in _reader.Warnings)
            {
                _log.Problem(false, w, null, velero: true);
            }

            return;
        }

        // Namespace filter: globs matched against the backup's namespaces, wildcards expanded over those that hold items.
        var backupNamespaces = _reader.GroupResources.SelectMany(_reader.GetNamespaces).Distinct(StringComparer.Ordinal).ToList();
        try
        {
            _namespaceFilter = NamespaceFilter.Create(_request.IncludedNamespaces, _request.ExcludedNamespaces, backupNamespaces);
        }
        catch (FormatException e)
        {
            _log.Problem(true, "error expanding wildcard patterns in namespace includes/excludes: " + e.Message, null, velero: true);
            return;
        }

        BuildFilters();
        if (backupNamespaces.Select(_mapping.Map).Distinct(StringComparer.Ordinal).Count() == backupNamespaces.Count)
        {
            _seenEntries = new Collections.AtomicBitSet(_reader.IndexedItems);
        }

        // Pass 1: CRDs, so that the types they define can be restored.
        var processed = new HashSet<string>(StringComparer.Ordinal);
        var crdChanged = await RestoreResourceAsync(CrdResource, processed, cancellationToken).ConfigureAwait(false);
        if (crdChanged && !_dryRun)
        {
            try
            {
                _discovery = (await ClusterDiscovery.DiscoverAsync(_api, _logger, cancellationToken).ConfigureAwait(false)).Discovery;
                BuildFilters();
            }
            catch (VeleroException e)
            {
                _log.Problem(false, "error refreshing discovery after restoring CRDs: " + e.Message, null, velero: true);
            }
        }

        // Pass 2: everything else in priority order.
        foreach (var name in Order())
        {
            await RestoreResourceAsync(name, processed, cancellationToken).ConfigureAwait(false);
        }

        await WaitForHooksAsync().ConfigureAwait(false);
        _currentResource = null;
        Report();
    }

    private void BuildFilters()
    {
        _resourceFilter = new IncludesExcludes(
            _request.IncludedResources.Select(_discovery.ResolveFilterEntry),
            _request.ExcludedResources.Where(e => e != "*").Concat(RestoreValidation.NonRestorableResources).Select(_discovery.ResolveFilterEntry));
        _resolvedActions = [.. _actions.Select(a => (a, new ResolvedSelector(a.AppliesTo, _discovery)))];
        if (_restore.Spec.RestoreStatus is { } rs)
        {
            var inc = rs.IncludedResources is { Count: > 0 } i ? i.Select(_discovery.ResolveFilterEntry) : ["*"];
            _statusFilter = new IncludesExcludes(inc, (rs.ExcludedResources ?? []).Select(_discovery.ResolveFilterEntry));
        }
    }

    /// <summary>High priorities, then the backup's other resources alphabetically, then low priorities.</summary>
    private List<string> Order()
    {
        var priorities = _options.Priorities;
        var named = new HashSet<string>(priorities.High.Concat(priorities.Low), StringComparer.Ordinal);
        return [.. priorities.High, .. _reader.GroupResources.Where(d => !named.Contains(d)).Order(StringComparer.Ordinal), .. priorities.Low];
    }

    private string Resolve(string name)
    {
        // Velero's list names the singular "volumesnapshotclass"; both forms resolve to the same directory.
        if (_discovery.TryResolve(name, out var r))
        {
            return r.GroupResourceName;
        }

        return name == "volumesnapshotclass.snapshot.storage.k8s.io" ? "volumesnapshotclasses.snapshot.storage.k8s.io" : name;
    }

    /// <summary>Restores every selected item of one group-resource (a tier); returns whether anything was created or updated.</summary>
    private async Task<bool> RestoreResourceAsync(string name, HashSet<string> processed, CancellationToken cancellationToken)
    {
        var gr = Resolve(name);
        if (!processed.Add(gr) || !_reader.GroupResources.Contains(gr))
        {
            return false;
        }

        bool mustHave = MustHaveResources.Contains(gr);
        if (!mustHave && !_resourceFilter.ShouldInclude(gr))
        {
            return false;
        }

        // The tier's items are made from the archive index as the workers take them, not gathered first.
        var parts = new List<IReadOnlyList<BackupArchiveItem>>();
        foreach (var ns in _reader.GetNamespaces(gr))
        {
            if (mustHave || _namespaceFilter.ShouldInclude(ns))
            {
                parts.Add(_reader.GetItems(gr, ns));
            }
        }

        var cluster = _reader.GetItems(gr, null);
        if (cluster.Count > 0 && IncludeClusterScoped())
        {
            parts.Add(cluster);
        }

        int count = parts.Sum(p => p.Count);
        if (count == 0)
        {
            return false;
        }

        int tier = Interlocked.Increment(ref _tier);
        _currentResource = gr;
        Interlocked.Add(ref _total, count);
        Report();
        int before = Volatile.Read(ref _written);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Workers), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(parts.SelectMany(p => p), parallel, async (entry, ct) =>
        {
            bool counted = true;
            if (gr == NamespacesResource && entry.IsClusterScoped)
            {
                await RestoreNamespaceObjectAsync(entry, tier, ct).ConfigureAwait(false);
            }
            else
            {
                counted = await RestoreItemAsync(gr, entry, additional: false, tier, ct).ConfigureAwait(false);
            }

            if (!counted)
            {
                // Filtered out, or restored already (an additional item of an earlier one): not part of the total after all.
                Interlocked.Decrement(ref _total);
            }
            else if (Interlocked.Increment(ref _done) is var done && done % 200 == 0)
            {
                Report();
                if (done % TrimEvery == 0)
                {
                    Archive.NativeHeap.Trim();
                }
            }
        }).ConfigureAwait(false);
        return Volatile.Read(ref _written) > before;
    }

    private const int TrimEvery = 8000;

    /// <summary>Velero's cluster-scoped rule: explicit false never, null only when every namespace is restored.</summary>
    private bool IncludeClusterScoped() => _request.IncludeClusterResources ?? _namespaceFilter.IncludeEverything;

    private void Report() =>
        _progress?.Report(new RestoreProgress
        {
            Phase = RestorePhase.InProgress,
            TotalItems = Volatile.Read(ref _total),
            ItemsRestored = Volatile.Read(ref _done),
            CurrentResource = _currentResource,
        });

    private async Task RestoreNamespaceObjectAsync(BackupArchiveItem entry, int tier, CancellationToken cancellationToken)
    {
        if (!_namespaceFilter.ShouldInclude(entry.Name))
        {
            return;
        }

        await EnsureNamespaceAsync(_mapping.Map(entry.Name), entry.Name, tier, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Restores one archive item (or decides not to); true when it counts in the progress: the item was new to this restore and
    /// was handled (created, updated, skipped or failed), or could not be read; false when a filter or an earlier copy took it.
    /// </summary>
    private async Task<bool> RestoreItemAsync(string gr, BackupArchiveItem entry, bool additional, int tier, CancellationToken cancellationToken)
    {
        var originalNs = entry.Namespace;
        var targetNs = originalNs is null ? null : _mapping.Map(originalNs);
        bool mustHave = MustHaveResources.Contains(gr);
        if (additional)
        {
            if (!mustHave && !_resourceFilter.ShouldInclude(gr))
            {
                return false;
            }

            if (originalNs is not null && !mustHave && !_namespaceFilter.ShouldInclude(originalNs))
            {
                return false;
            }

            if (originalNs is null && _request.IncludeClusterResources == false)
            {
                return false;
            }
        }

        if (!additional && !mustHave && !_request.Names.ShouldInclude(entry.Name))
        {
            return false;
        }

        ItemLease lease;
        try
        {
            lease = ItemLease.Read(_reader, entry);
        }
        catch (JsonException e)
        {
            _log.Problem(true, $"error decoding \"{entry.Path}\": {e.Message}", targetNs);
            return true;
        }

        try
        {
            return await RestoreParsedItemAsync(gr, entry, additional, mustHave, originalNs, targetNs, lease, tier, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lease.Dispose();
        }
    }

    private async Task<bool> RestoreParsedItemAsync(
        string gr, BackupArchiveItem entry, bool additional, bool mustHave, string? originalNs, string? targetNs, ItemLease lease, int tier, CancellationToken cancellationToken)
    {
        var obj = lease.Item;
        var fromBackup = new BackedUpItem(lease.Json);
        if (!additional && !mustHave && !SelectorsMatch(obj))
        {
            return false;
        }

        if (IsCompleted(gr, obj))
        {
            return false;
        }

        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? string.Empty;
        var kind = obj["kind"]?.GetValue<string>() ?? string.Empty;
        string apiVersionKind;
        if (_discovery.TryResolve(gr, out var served) && served.ApiVersion == apiVersion && served.Kind == kind)
        {
            (apiVersion, kind, apiVersionKind) = (served.ApiVersion, served.Kind, served.ApiVersionKind);
        }
        else
        {
            apiVersionKind = apiVersion + "/" + kind;
        }

        var name = entry.Name;
        var id = targetNs is null ? $"{gr}/{name}" : $"{gr}/{targetNs}/{name}";
        bool first = _seenEntries is { } seenEntries
            ? seenEntries.TrySet(entry.Ordinal)
            : _seen.Add(new Backup.ItemKey(apiVersionKind, targetNs ?? string.Empty, name));
        if (!first)
        {
            return false;
        }

        if (gr == "pods" && obj["metadata"]?["annotations"]?["kubernetes.io/config.mirror"] is not null)
        {
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Skipped, gr, tier, "mirror pod");
            return true;
        }

        if (targetNs is not null && !await EnsureNamespaceAsync(targetNs, originalNs!, tier, cancellationToken).ConfigureAwait(false))
        {
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, $"namespace {targetNs} is not available");
            return true;
        }

        if (gr == PvResource)
        {
            var decision = await DecidePersistentVolumeAsync(obj, name, tier, cancellationToken).ConfigureAwait(false);
            if (decision is null)
            {
                return true;
            }

            obj = decision;
            name = obj["metadata"]?["name"]?.GetValue<string>() ?? name;
            id = $"{gr}/{name}";
        }

        if (!ResetMetadataAndStatus(obj))
        {
            _log.Problem(true, $"error restoring {id}: object has no metadata", targetNs);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, "object has no metadata");
            return true;
        }

        // Restore item actions, in order; additional items are restored before this one.
        Dictionary<string, string>? labels = null;
        bool labelsRead = false;
        foreach (var (action, selector) in _resolvedActions)
        {
            if (!selector.MatchesResource(gr))
            {
                continue;
            }

            if (!labelsRead)
            {
                labels = Labels(obj);
                labelsRead = true;
            }

            if (!selector.Matches(gr, targetNs, labels))
            {
                continue;
            }

            labelsRead = false; // the action may change the item
            // An action of ours is done with the item when it returns; another may keep it (or the context) for later.
            lease.Escaped |= action.GetType().Assembly != typeof(RestoreRun).Assembly;
            RestoreItemActionResult result;
            try
            {
                var context = new RestoreItemActionContext(obj, fromBackup, ResourceIdentifier.Create(gr, originalNs, entry.Name), targetNs, _restore, _mapping, _api.Client)
                {
                    Run = this,
                };
                result = await action.ExecuteAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.Problem(true, $"error preparing {id}: {e.Message}", targetNs);
                Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, $"{action.Name}: {e.Message}");
                return true;
            }

            if (result.SkipRestore)
            {
                _log.Info($"Skipping restore of {id}: {action.Name} asked to skip it");
                Track(apiVersion, kind, targetNs, name, RestoredItemAction.Skipped, gr, tier, $"skipped by {action.Name}");
                return true;
            }

            obj = result.UpdatedItem;
            if (result.AdditionalItems.Count > 0 &&
                !await RestoreAdditionalItemsAsync(id, targetNs, result, tier, cancellationToken).ConfigureAwait(false))
            {
                Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, "additional items are not ready");
                return true;
            }
        }

        if (gr == PvcResource)
        {
            RebindClaim(obj);
        }

        if (_modifiers is not null)
        {
            var (modified, errors) = _modifiers.Apply(obj, gr, originalNs);
            obj = modified;
            foreach (var e in errors)
            {
                _log.Problem(true, e, targetNs);
            }
        }

        if (targetNs is not null)
        {
            ((JsonObject)obj["metadata"]!)["namespace"] = targetNs;
        }

        AddRestoreLabels(obj);

        // Go drops an emptied annotations map on the wire (omitempty); so do we.
        if (obj["metadata"]?["annotations"] is JsonObject { Count: 0 })
        {
            ((JsonObject)obj["metadata"]!).Remove("annotations");
        }

        // The strings kept for the results are shared ones (the index's name, discovery's kind) unless an action changed them.
        apiVersion = Same(obj["apiVersion"]?.GetValue<string>(), apiVersion);
        kind = Same(obj["kind"]?.GetValue<string>(), kind);
        name = Same(obj["metadata"]?["name"]?.GetValue<string>(), name);
        var resource = ResourceFor(gr, apiVersion, kind);
        if (resource is null && _dryRun && IsPlannedKind(apiVersion, kind))
        {
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Created, gr, tier, "its CustomResourceDefinition is created first: not checked by the server");
            return true;
        }

        if (resource is null)
        {
            var message = $"error restoring {id}: the cluster does not serve {apiVersion}, Kind={kind}";
            _log.Problem(true, message, targetNs);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, $"the cluster does not serve {apiVersion}, Kind={kind}");
            return true;
        }

        await CreateAsync(resource, gr, id, obj, fromBackup, targetNs, name, tier, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> RestoreAdditionalItemsAsync(string id, string? targetNs, RestoreItemActionResult result, int tier, CancellationToken cancellationToken)
    {
        foreach (var extra in result.AdditionalItems)
        {
            var gr = extra.GroupResource.ToString();
            var entry = _reader.FindItem(gr, extra.Namespace, extra.Name);
            if (entry is null)
            {
                _log.Problem(false, $"additional item {extra} not found in the backup", extra.Namespace ?? targetNs);
                continue;
            }

            if (await RestoreItemAsync(gr, entry, additional: true, tier, cancellationToken).ConfigureAwait(false))
            {
                // Counted when new to this restore; its own tier does not count it again.
                Interlocked.Increment(ref _total);
                Interlocked.Increment(ref _done);
            }
        }

        if (!result.WaitForAdditionalItems || _dryRun)
        {
            return true;
        }

        var deadline = _time.GetUtcNow() + (result.AdditionalItemsReadyTimeout ?? _options.ResourceTimeout);
        foreach (var extra in result.AdditionalItems)
        {
            if (!_discovery.TryResolve(extra.GroupResource.ToString(), out var r))
            {
                continue;
            }

            var ns = extra.Namespace is null ? null : _mapping.Map(extra.Namespace);
            while (await _api.TryGetAsync(ApiPaths.Item(r, ns, extra.Name), cancellationToken: cancellationToken).ConfigureAwait(false) is null)
            {
                if (_time.GetUtcNow() >= deadline)
                {
                    _log.Problem(true, $"additional items for {id} are not ready to use", targetNs);
                    return false;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }

    private bool SelectorsMatch(JsonObject obj)
    {
        if (_request.OrLabelSelectors.Count == 0 && _request.LabelSelector is null)
        {
            return true;
        }

        var labels = Labels(obj);
        if (_request.OrLabelSelectors.Count > 0)
        {
            return _request.OrLabelSelectors.Any(s => s.Matches(labels));
        }

        return _request.LabelSelector is not { } selector || selector.Matches(labels);
    }

    private static bool IsCompleted(string gr, JsonObject obj) => gr switch
    {
        "pods" => obj["status"]?["phase"]?.GetValue<string>() is "Succeeded" or "Failed",
        "jobs.batch" => obj["status"]?["completionTime"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0,
        _ => false,
    };

    internal static Dictionary<string, string>? Labels(JsonObject obj)
    {
        if (obj["metadata"]?["labels"] is not JsonObject labels)
        {
            return null;
        }

        var result = new Dictionary<string, string>(labels.Count, StringComparer.Ordinal);
        foreach (var (k, v) in labels)
        {
            result[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? string.Empty;
        }

        return result;
    }

    /// <summary>Velero's metadata and status reset (velero-engine.md 4.8); false when there is no metadata object.</summary>
    internal static bool ResetMetadataAndStatus(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject metadata)
        {
            return false;
        }

        foreach (var field in ResetMetadataFields)
        {
            metadata.Remove(field);
        }

        obj.Remove("status");
        return true;
    }

    private void AddRestoreLabels(JsonObject obj)
    {
        var metadata = (JsonObject)obj["metadata"]!;
        if (metadata["labels"] is not JsonObject labels)
        {
            labels = [];
            metadata["labels"] = labels;
        }

        labels[VeleroLabels.BackupName] = _backupLabel;
        labels[VeleroLabels.RestoreName] = _restoreLabel;
    }

    /// <summary>The resource to create <paramref name="apiVersion"/>/<paramref name="kind"/> through; null when the cluster does not serve it.</summary>
    private ApiResourceInfo? ResourceFor(string gr, string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        ApiResourceInfo? found = null;
        if (_discovery.TryResolve(gr, out var r) && r.Group == group && r.Kind == kind)
        {
            found = r;
        }
        else
        {
            found = _discovery.Resources.FirstOrDefault(x => x.Group == group && x.Kind == kind && x.Verbs.Contains("create"))
                ?? _discovery.Resources.FirstOrDefault(x => x.Group == group && x.Kind == kind);
        }

        return found is null ? null : found.Version == version ? found : found with { Version = version };
    }

    private void Track(string apiVersion, string kind, string? ns, string name, RestoredItemAction action, string gr, int tier, string? reason = null, RestorePlanAction? plan = null)
    {
        _items.Add(apiVersion, kind, ns, name, action);
        if (action is RestoredItemAction.Created or RestoredItemAction.Updated)
        {
            Interlocked.Increment(ref _written);
        }
        if (_dryRun)
        {
            var planned = plan ?? action switch
            {
                RestoredItemAction.Created => RestorePlanAction.Create,
                RestoredItemAction.Updated => RestorePlanAction.Update,
                RestoredItemAction.Skipped => RestorePlanAction.Skip,
                _ => RestorePlanAction.Fail,
            };
            _plan.Enqueue(new RestorePlanStep(tier, gr, ns, name, planned, reason));
        }
    }

    private string DryRunQuery => _dryRun ? "?dryRun=All" : string.Empty;

    /// <summary>
    /// The item as it is in the backup, parsed only when something reads it (an action, a status or managedFields restore):
    /// most items never need this second copy.
    /// </summary>
    internal sealed class BackedUpItem(ReadOnlyMemory<byte> json)
    {
        private JsonObject? _parsed;

        /// <summary>Whether the backed-up JSON has a <c>managedFields</c> property anywhere (a cheap test before parsing).</summary>
        public bool MayHaveManagedFields { get; } = json.Span.IndexOf("\"managedFields\""u8) >= 0;

        /// <summary>The backed-up item, parsed into a copy of its own on first use.</summary>
        public JsonObject Value => _parsed ??= (JsonObject)JsonNode.Parse(json.Span)!;
    }

    private static string Same(string? value, string current) => value is null || value == current ? current : value;

    private static PooledJson PooledUtf8(JsonNode node) => PooledJson.Serialize(node, WriterOptions);

    private static byte[] Utf8(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static KubernetesApiException? AsApiError(Exception e) => e as KubernetesApiException;

    private static bool IsAlreadyExists(KubernetesApiException e, string gr) =>
        e.StatusCode == HttpStatusCode.Conflict && e.Reason == "AlreadyExists" ||
        gr == "services" && e.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.InternalServerError &&
        (e.ServerMessage ?? e.Message).Contains("provided port is already allocated", StringComparison.Ordinal);
}
