using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Backup.Hooks;
using Velero.Sdk.Cluster;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Backup;

/// <summary>
/// One backup, run as Velero's engine runs it (velero-engine.md section 3), but streaming and parallel: resource types are
/// listed page by page in Velero's order, items are grouped into item blocks, and blocks are backed up by several workers.
/// Memory holds one page per list, the blocks in flight and the set of item keys, never the whole cluster.
/// </summary>
internal sealed partial class BackupRun
{
    private const string CrdResource = "customresourcedefinitions.apiextensions.k8s.io";

    private static readonly string[] AutomaticExcludes =
    [
        "volumesnapshots.snapshot.storage.k8s.io", "volumesnapshotcontents.snapshot.storage.k8s.io",
    ];

    private static readonly (string Resource, string[] Groups)[] Cohabiting =
    [
        ("deployments", ["extensions", "apps"]), ("daemonsets", ["extensions", "apps"]), ("replicasets", ["extensions", "apps"]),
        ("networkpolicies", ["extensions", "networking.k8s.io"]), ("events", [string.Empty, "events.k8s.io"]),
    ];

    private readonly V1Backup _backup;
    private readonly KubeApi _api;
    private readonly ClusterInfo _cluster;
    private readonly ResourceLister _lister;
    private readonly ClusterLookups _lookups;
    private readonly IItemSink _sink;
    private readonly BackupLog _log;
    private readonly BackupOptions _options;
    private readonly IProgress<BackupProgress>? _progress;
    private readonly TimeProvider _time;
    private readonly List<(BackupItemAction Action, ResolvedSelector Selector)> _itemActions = [];
    private readonly List<(ItemBlockAction Action, ResolvedSelector Selector)> _blockActions = [];
    private readonly ItemKeySet _backedUp;
    private readonly ConcurrentDictionary<ItemKey, byte> _missing = new();
    private readonly ConcurrentDictionary<string, int> _written = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _trackedNamespaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _blockResources = new(StringComparer.Ordinal);
    private NamespaceFilter _namespaces = NamespaceFilter.Everything;
    private ResourceFilter _resources = null!;
    private HookResolver _hooks = null!;
    private HookRunner _hookRunner = null!;
    private VolumeSnapshots _snapshots = null!;
    private int _listed;
    private string? _currentResource;
    private long _lastReport;

    public BackupRun(
        V1Backup backup,
        KubeApi api,
        ClusterInfo cluster,
        IItemSink sink,
        BackupLog log,
        BackupOptions options,
        IEnumerable<BackupItemAction> itemActions,
        IEnumerable<ItemBlockAction> blockActions,
        IReadOnlyList<SnapshotLocation> locations,
        IProgress<BackupProgress>? progress,
        TimeProvider time,
        ILogger logger,
        Stream? resourceListSpill = null,
        Collections.KeyBucketFile? keyFile = null)
    {
        _backedUp = new ItemKeySet(recordEntries: true, resourceListSpill, keyFile, options.ItemKeysInMemory);
        _backup = backup;
        _api = api;
        _cluster = cluster;
        _sink = sink;
        _log = log;
        _options = options;
        _progress = progress;
        _time = time;
        _lister = new ResourceLister(api, logger);
        _lookups = new ClusterLookups(_lister, cluster.Discovery);
        foreach (var a in itemActions)
        {
            _itemActions.Add((a, new ResolvedSelector(a.AppliesTo, cluster.Discovery)));
        }

        foreach (var a in blockActions.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            _blockActions.Add((a, new ResolvedSelector(a.AppliesTo, cluster.Discovery)));
        }

        Locations = locations;
    }

    public IReadOnlyList<SnapshotLocation> Locations { get; }

    public VolumeSnapshots Snapshots => _snapshots;

    public int HooksAttempted => _hookRunner?.Attempted ?? 0;

    public int HooksFailed => _hookRunner?.Failed ?? 0;

    public IReadOnlyDictionary<string, int> ItemsPerResource => new SortedDictionary<string, int>(_written, StringComparer.Ordinal);

    public int ItemCount => _backedUp.Count;

    /// <summary>The resource list file: <c>apiVersion/Kind</c> → sorted <c>ns/name</c> entries of every item key in the backup.</summary>
    public SortedDictionary<string, IReadOnlyList<string>> ResourceList() => _backedUp.ResourceList();

    /// <summary>Runs the item part of the backup. Fatal problems throw <see cref="VeleroException"/>; item problems are logged.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var discovery = _cluster.Discovery;
        var spec = _backup.Spec;

        // Namespaces that exist, and those labelled to stay out of backups.
        var nsInfo = discovery.TryResolve("namespaces", out var nsResource) ? nsResource : throw new VeleroException(VeleroErrorCode.ClusterFailure, "the cluster does not serve namespaces");
        var namespaceObjects = new List<RawObject>();
        await foreach (var ns in _lister.ListAsync(nsInfo, null, null, cancellationToken).ConfigureAwait(false))
        {
            namespaceObjects.Add(ns);
        }

        var active = namespaceObjects.Select(n => n.Name).ToList();
        var labelled = new List<string>();
        foreach (var ns in namespaceObjects.Where(ns => ns.ExcludedFromBackup))
        {
            if (spec.IncludedNamespaces?.Contains(ns.Name) == true)
            {
                throw new VeleroException(VeleroErrorCode.Invalid, BackupEngine.InvalidNamespacesPrefix + "excludes list cannot contain an item in the includes list: " + ns.Name);
            }

            labelled.Add(ns.Name);
        }

        try
        {
            _namespaces = NamespaceFilter.Create(spec.IncludedNamespaces, spec.ExcludedNamespaces, active, labelled);
        }
        catch (FormatException e)
        {
            throw new VeleroException(VeleroErrorCode.Invalid, $"invalid namespace wildcard pattern: {e.Message}", e);
        }

        if (_namespaces.IsWildcardExpanded && _namespaces.SelectsNothing)
        {
            _log.Warning("no namespaces matched the wildcard patterns of the backup's included namespaces");
        }

        foreach (var included in (spec.IncludedNamespaces ?? []).Where(n => n.Length > 0 && n != "*" && n.AsSpan().IndexOfAny('*', '?', '[') < 0))
        {
            if (!active.Contains(included))
            {
                _log.Error($"fail to get the namespace {included} specified in backup.Spec.IncludedNamespaces", ns: null);
            }
        }

        _resources = ResourceFilter.UsesOldModel(spec.IncludedResources, spec.ExcludedResources, spec.IncludeClusterResources)
            ? ResourceFilter.CreateOld(discovery, _namespaces, spec.IncludedResources, (spec.ExcludedResources ?? []).Concat(AutomaticExcludes), spec.IncludeClusterResources)
            : ResourceFilter.CreateScoped(discovery, _namespaces, spec.IncludedNamespaceScopedResources, spec.ExcludedNamespaceScopedResources, spec.IncludedClusterScopedResources, spec.ExcludedClusterScopedResources, AutomaticExcludes);

        try
        {
            _hooks = new HookResolver(spec.Hooks, discovery);
        }
        catch (LabelSelectorParseException e)
        {
            throw new VeleroException(VeleroErrorCode.Invalid, $"invalid label selector in backup hooks: {e.Reason}", e);
        }

        _hookRunner = new HookRunner(_api.Client);
        _snapshots = new VolumeSnapshots(_backup, Locations, _lookups);

        // Blocks are backed up by workers while the lists go on.
        // Items go to the workers in batches of a page's items; the queue holds a few batches per worker.
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(Math.Max(4, _options.ItemBlockWorkers * 2))
        {
            SingleWriter = true,
        });
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, Math.Max(1, _options.ItemBlockWorkers))
            .Select(_ => Task.Run(() => WorkAsync(channel.Reader, failure.Token), failure.Token))
            .ToArray();
        try
        {
            await ProduceAsync(channel.Writer, failure.Token).ConfigureAwait(false);
            channel.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch
        {
            channel.Writer.TryComplete();
            await failure.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(workers).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        // Namespace objects: those the rules track (velero-engine.md 3.6; an excluded namespace never).
        if (_resources.ShouldInclude("namespaces"))
        {
            bool selectorInUse = spec.LabelSelector is not null || spec.OrLabelSelectors is { Count: > 0 };
            foreach (var ns in namespaceObjects)
            {
                if (!_namespaces.ShouldInclude(ns.Name))
                {
                    continue;
                }

                bool tracked = _trackedNamespaces.ContainsKey(ns.Name)
                    || (IsActive(ns) && (MatchesSelectors(ns.Labels) || !(_namespaces.IncludeEverything && selectorInUse)));
                if (tracked)
                {
                    await BackupBlockAsync(nsInfo, ns, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        await IncludeCustomResourceDefinitionsAsync(cancellationToken).ConfigureAwait(false);
        Report(force: true);
    }

    private static bool IsActive(RawObject ns) =>
        JsonPath.String(JsonNode.Parse(ns.Json.Span), "status", "phase") is null or "Active";

    private bool MatchesSelectors(IReadOnlyDictionary<string, string>? labels)
    {
        var spec = _backup.Spec;
        if (spec.OrLabelSelectors is { Count: > 0 } ors)
        {
            return ors.Any(s => LabelSelector.FromLabelSelector(s).Matches(labels));
        }

        return spec.LabelSelector is not null && LabelSelector.FromLabelSelector(spec.LabelSelector).Matches(labels);
    }

    /// <summary>Items for the workers: a slice of a list page, holding one reference to the page's pooled buffer (if any).</summary>
    private readonly record struct Batch(ApiResourceInfo Resource, ArraySegment<RawObject> Items, PageBuffer? Buffer);

    private const int BatchSize = 64;

    private async Task ProduceAsync(ChannelWriter<Batch> writer, CancellationToken cancellationToken)
    {
        var spec = _backup.Spec;
        List<string?> selectors = spec.OrLabelSelectors is { Count: > 0 } ors
            ? ors.Select(s => (string?)LabelSelector.FromLabelSelector(s).ToString()).ToList()
            : [spec.LabelSelector is null ? null : LabelSelector.FromLabelSelector(spec.LabelSelector).ToString()];
        var seenCohabiting = new HashSet<string>(StringComparer.Ordinal);

        foreach (var resource in Order(_cluster.Discovery.Resources))
        {
            var gr = resource.GroupResourceName;
            if (resource.Resource == "namespaces" && resource.Group.Length == 0)
            {
                continue; // handled at the end, once the namespaces of collected items are known
            }

            if (!resource.IsBackupCandidate || !_resources.ShouldInclude(gr))
            {
                continue;
            }

            var cohabit = Cohabiting.FirstOrDefault(c => c.Resource == resource.Resource && c.Groups.Contains(resource.Group));
            if (cohabit.Resource is not null && !seenCohabiting.Add(cohabit.Resource))
            {
                continue;
            }

            _currentResource = gr;
            var namespaces = resource.Namespaced ? NamespacesToList() : [null];
            var ordered = spec.OrderedResources is { } o && o.TryGetValue(resource.Resource, out var order) ? order : null;
            var buffer = ordered is null ? null : new List<RawObject>();
            foreach (var ns in namespaces)
            {
                foreach (var selector in selectors)
                {
                    // Ordered resources are held until listed whole, so their pages are not pooled.
                    await foreach (var page in _lister.ListPagesAsync(resource, ns, selector, pooled: buffer is null, cancellationToken).ConfigureAwait(false))
                    {
                        Interlocked.Add(ref _listed, page.Items.Count);
                        foreach (var item in page.Items)
                        {
                            if (item.Namespace is { } itemNs && _namespaces.ShouldInclude(itemNs) && !_trackedNamespaces.ContainsKey(itemNs))
                            {
                                _trackedNamespaces.TryAdd(itemNs, 0);
                            }
                        }

                        if (buffer is not null)
                        {
                            buffer.AddRange(page.Items);
                            continue;
                        }

                        await PostAsync(writer, resource, page.Items, page.Buffer, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (buffer is not null)
            {
                await PostAsync(writer, resource, [.. ApplyOrder(resource, buffer, ordered!)], null, cancellationToken).ConfigureAwait(false);
            }

            Report(force: false);
        }

        _currentResource = null;
    }

    /// <summary>Posts items in batches; each batch holds a reference to the page buffer, the producer's own is dropped at the end.</summary>
    private static async Task PostAsync(ChannelWriter<Batch> writer, ApiResourceInfo resource, List<RawObject> items, PageBuffer? pageBuffer, CancellationToken cancellationToken)
    {
        var array = items.ToArray();
        pageBuffer?.AddReferences((array.Length + BatchSize - 1) / BatchSize);
        for (int start = 0; start < array.Length; start += BatchSize)
        {
            var batch = new ArraySegment<RawObject>(array, start, Math.Min(BatchSize, array.Length - start));
            await writer.WriteAsync(new Batch(resource, batch, pageBuffer), cancellationToken).ConfigureAwait(false);
        }

        pageBuffer?.Release();
    }

    /// <summary>Velero's collection order: core pods, PVCs, PVs, the rest of core; then the other groups (extensions last).</summary>
    private static IEnumerable<ApiResourceInfo> Order(IReadOnlyList<ApiResourceInfo> resources)
    {
        string[] first = ["pods", "persistentvolumeclaims", "persistentvolumes"];
        var core = resources.Where(r => r.Group.Length == 0).ToList();
        foreach (var name in first)
        {
            foreach (var r in core.Where(r => r.Resource == name))
            {
                yield return r;
            }
        }

        foreach (var r in core.Where(r => !first.Contains(r.Resource)))
        {
            yield return r;
        }

        foreach (var r in resources.Where(r => r.Group.Length > 0))
        {
            yield return r;
        }
    }

    /// <summary>One list across all namespaces when the filter accepts everything; otherwise one list per included namespace.</summary>
    private List<string?> NamespacesToList()
    {
        if (_namespaces.SelectsNothing)
        {
            return [];
        }

        var includes = _namespaces.Lists.Includes;
        if (includes.Count == 0 || _namespaces.Lists.IncludesAll)
        {
            return [null];
        }

        return [.. includes.Where(_namespaces.ShouldInclude)];
    }

    private IEnumerable<RawObject> ApplyOrder(ApiResourceInfo resource, List<RawObject> items, string order)
    {
        var byKey = new Dictionary<string, RawObject>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            byKey.TryAdd(item.ToString(), item);
        }

        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in order.Split(','))
        {
            if (byKey.TryGetValue(entry, out var item) && done.Add(entry))
            {
                yield return item;
            }
            else
            {
                _log.Warning($"Cannot find resource '{entry}'.", resource: resource.GroupResourceName);
            }
        }

        foreach (var item in items)
        {
            if (done.Add(item.ToString()))
            {
                yield return item;
            }
        }
    }

    private async Task WorkAsync(ChannelReader<Batch> reader, CancellationToken cancellationToken)
    {
        await foreach (var (resource, items, pageBuffer) in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in items)
            {
                await BackupBlockAsync(resource, item, cancellationToken).ConfigureAwait(false);
            }

            // Nothing keeps the items past their blocks (their bytes were copied into the archive), so the page can go back.
            pageBuffer?.Release();
            Report(force: false);
        }
    }

    private void Report(bool force)
    {
        if (_progress is null)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastReport);
        if (!force && _time.GetElapsedTime(last, now) < TimeSpan.FromMilliseconds(250))
        {
            return;
        }

        if (!force && Interlocked.CompareExchange(ref _lastReport, now, last) != last)
        {
            return;
        }

        Interlocked.Exchange(ref _lastReport, now);
        _progress.Report(new BackupProgress
        {
            Phase = BackupPhase.InProgress,
            TotalItems = Math.Max(_listed, _backedUp.Count),
            ItemsBackedUp = _backedUp.Count,
            CurrentResource = _currentResource,
            ItemsPerResource = ItemsPerResource,
        });
    }
}
