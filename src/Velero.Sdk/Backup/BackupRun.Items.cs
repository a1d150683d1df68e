using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Backup.Hooks;
using Velero.Sdk.Cluster;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup;

internal sealed partial class BackupRun
{
    private static ItemKey KeyOf(ApiResourceInfo r, RawObject item) =>
        new(r.ApiVersionKind, item.Namespace ?? string.Empty, item.Name);

    /// <summary>
    /// Forms the item block of <paramref name="item"/> (its related items, recursively, through the item block actions) and
    /// backs it up: pre hooks of its pods, every item, then post hooks.
    /// </summary>
    private async Task BackupBlockAsync(ApiResourceInfo resource, RawObject item, CancellationToken cancellationToken)
    {
        if (!PassesChecks(resource, item, mustInclude: false, out _) || !_backedUp.Mark(KeyOf(resource, item), ItemKeySet.Claimed))
        {
            return;
        }

        var block = new List<BlockMember> { new(resource, item) };
        for (int i = 0; i < block.Count; i++)
        {
            var member = block[i];
            var gr = member.Resource.GroupResourceName;
            foreach (var (action, selector) in _blockActions)
            {
                if (!selector.Matches(gr, member.Item))
                {
                    continue;
                }

                IReadOnlyList<ResourceIdentifier> related;
                try
                {
                    related = action is IRawRelatedItems raw && member.Json is null
                        ? raw.RelatedItems(member.Item)
                        : await action.GetRelatedItemsAsync(Context(member.Resource, member.Item, member.Parse()), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.Error($"error getting related items from item block action {action.Name}: {e.Message}", member.Item.Namespace, gr, member.Item.Name);
                    continue;
                }

                foreach (var id in related)
                {
                    if (IsKnown(id, ItemKeySet.Claimed))
                    {
                        continue; // already in a block: no need to read it again
                    }

                    var found = await FetchAsync(id, cancellationToken).ConfigureAwait(false);
                    if (found is not { } f)
                    {
                        continue;
                    }

                    if (PassesChecks(f.Resource, f.Item, mustInclude: false, out _) && _backedUp.Mark(KeyOf(f.Resource, f.Item), ItemKeySet.Claimed))
                    {
                        block.Add(new BlockMember(f.Resource, f.Item));
                    }
                }
            }
        }

        // Pre hooks of every pod of the block not yet backed up; a pod whose Fail-mode hook failed is dropped.
        // (Most blocks have no such pod: the lists are made only when one does.)
        List<BlockMember>? pods = null;
        foreach (var m in block)
        {
            if (m.Resource.Group.Length == 0 && m.Resource.Resource == "pods" && MayHaveHooks(m.Item) && !_backedUp.Contains(KeyOf(m.Resource, m.Item)))
            {
                (pods ??= []).Add(m);
            }
        }

        HashSet<BlockMember>? dropped = null;
        foreach (var pod in pods ?? Enumerable.Empty<BlockMember>())
        {
            if (!await RunHooksAsync(pod.Parse(), HookPhase.Pre, cancellationToken).ConfigureAwait(false))
            {
                _backedUp.Add(KeyOf(pod.Resource, pod.Item));
                (dropped ??= []).Add(pod);
                _log.Error("Error running pre hooks for pod", pod.Item.Namespace, "pods", pod.Item.Name);
            }
        }

        foreach (var member in block)
        {
            if (dropped?.Contains(member) != true && await BackupItemAsync(member.Resource, member.Item, mustInclude: false, cancellationToken, member.Json).ConfigureAwait(false))
            {
                _blockResources.TryAdd(member.Resource.GroupResourceName, 0);
            }
        }

        foreach (var pod in pods ?? Enumerable.Empty<BlockMember>())
        {
            if (dropped?.Contains(pod) != true && !await RunHooksAsync(pod.Parse(), HookPhase.Post, cancellationToken).ConfigureAwait(false))
            {
                _log.Error("Error running post hooks for pod", pod.Item.Namespace, "pods", pod.Item.Name);
            }
        }
    }

    /// <summary>Whether hooks could apply to a pod: the backup's spec has hooks, or the pod has a hook command annotation.</summary>
    private bool MayHaveHooks(RawObject pod) =>
        _hooks.HasSpecs || (pod.Annotations is { Count: > 0 } a && (a.ContainsKey("pre." + VeleroAnnotations.BackupHookCommand)
            || a.ContainsKey("post." + VeleroAnnotations.BackupHookCommand) || a.ContainsKey(VeleroAnnotations.BackupHookCommand)));

    /// <summary>An item of a block, parsed at most once.</summary>
    private sealed class BlockMember(ApiResourceInfo resource, RawObject item)
    {
        public ApiResourceInfo Resource { get; } = resource;

        public RawObject Item { get; } = item;

        public JsonObject? Json { get; private set; }

        public JsonObject Parse() => Json ??= JsonNode.Parse(Item.Json.Span)!.AsObject();
    }

    private async Task<bool> RunHooksAsync(JsonObject pod, HookPhase phase, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var errors = new List<string>();
        var hooks = _hooks.Resolve(pod, phase, warnings);
        bool ok = await _hookRunner.RunAsync(pod, hooks, phase, errors, cancellationToken).ConfigureAwait(false);
        var ns = JsonPath.Namespace(pod);
        var name = JsonPath.Name(pod);
        foreach (var w in warnings)
        {
            _log.Warning(w, ns, "pods", name);
        }

        foreach (var e in errors)
        {
            _log.Error(e, ns, "pods", name);
        }

        return ok;
    }

    /// <summary>
    /// Velero's per-item inclusion checks (velero-engine.md 3.7). <paramref name="mustInclude"/> skips checks 1-4; an item being
    /// deleted is always skipped.
    /// </summary>
    private bool PassesChecks(ApiResourceInfo r, RawObject item, bool mustInclude, out string? reason)
    {
        reason = null;
        if (item.Deleting)
        {
            reason = "being deleted";
            return false;
        }

        if (mustInclude)
        {
            return true;
        }

        var gr = r.GroupResourceName;
        if (item.ExcludedFromBackup)
        {
            reason = "excluded by label";
            return false;
        }

        if (item.Namespace is { } ns)
        {
            if (!_namespaces.ShouldInclude(ns))
            {
                reason = "namespace excluded";
                return false;
            }

            if (!_resources.ShouldInclude(gr))
            {
                reason = "resource excluded";
                return false;
            }
        }
        else if (gr != "namespaces" && _resources.ShouldExclude(gr))
        {
            reason = "resource explicitly excluded";
            return false;
        }

        return true;
    }

    /// <summary>Backs up one item: checks, de-duplication, actions and their additional items, snapshots, then the archive entry.</summary>
    /// <returns>True when the item was written.</returns>
    private async Task<bool> BackupItemAsync(ApiResourceInfo r, RawObject item, bool mustInclude, CancellationToken cancellationToken, JsonObject? parsed = null)
    {
        if (!PassesChecks(r, item, mustInclude, out _))
        {
            return false;
        }

        var key = KeyOf(r, item);
        if (!_backedUp.Add(key))
        {
            return false;
        }

        var gr = r.GroupResourceName;
        JsonObject? json = null;
        List<string>? errors = null;
        var hooksParsed = parsed;
        bool changed = false;
        bool actionRan = false;
        foreach (var (action, selector) in _itemActions)
        {
            if (!selector.Matches(gr, item))
            {
                continue;
            }

            actionRan = true;
            IReadOnlyList<ResourceIdentifier> additional;
            bool must;
            if (action is IRawRelatedItems raw && json is null && hooksParsed is null)
            {
                // A read-only built-in action: its answer comes from the raw bytes, the item stays as it was listed.
                additional = raw.RelatedItems(item);
                must = item.Annotations?.GetValueOrDefault(VeleroAnnotations.MustIncludeAdditionalItems) == "true";
            }
            else
            {
                json ??= hooksParsed ?? JsonNode.Parse(item.Json.Span)!.AsObject();
                BackupItemActionResult result;
                try
                {
                    result = await action.ExecuteAsync(Context(r, item, json), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    (errors ??= []).Add($"error executing custom action (groupResource={gr}, namespace={item.Namespace ?? string.Empty}, name={item.Name}): {e.Message}");
                    break;
                }

                changed |= action is not IReadOnlyAction || !ReferenceEquals(result.UpdatedItem, json);
                json = result.UpdatedItem;
                must = JsonPath.String(json, "metadata", "annotations", VeleroAnnotations.MustIncludeAdditionalItems) == "true";
                additional = result.AdditionalItems;
            }

            foreach (var id in additional)
            {
                if (IsKnown(id, ItemKeySet.Member))
                {
                    continue; // already backed up
                }

                var found = await FetchAsync(id, cancellationToken).ConfigureAwait(false);
                if (found is not { } f)
                {
                    continue;
                }

                try
                {
                    await BackupItemAsync(f.Resource, f.Item, must, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    (errors ??= []).Add($"error backing up additional item {id}: {e.Message}");
                }
            }
        }

        if (json is null && actionRan && item.Annotations is { Count: > 0 } listed &&
            (listed.ContainsKey(VeleroAnnotations.SkipFromBackup) || listed.ContainsKey(VeleroAnnotations.MustIncludeAdditionalItems) || listed.ContainsKey(VeleroAnnotations.SkippedNoCsiPv)))
        {
            json = JsonNode.Parse(item.Json.Span)!.AsObject(); // only raw actions ran: the annotation rules below read the document
        }

        if (json is not null)
        {
            if (JsonPath.Object(json, "metadata", "annotations") is { } annotations)
            {
                if (annotations.ContainsKey(VeleroAnnotations.SkipFromBackup))
                {
                    _backedUp.Remove(key);
                    return false;
                }

                changed |= annotations.Remove(VeleroAnnotations.MustIncludeAdditionalItems);
                changed |= annotations.Remove(VeleroAnnotations.SkippedNoCsiPv);
            }
        }

        if (errors is null && r.Group.Length == 0 && r.Resource == "persistentvolumes")
        {
            json ??= hooksParsed ?? JsonNode.Parse(item.Json.Span)!.AsObject();
            var warnings = new List<string>();
            var snapshotErrors = new List<string>();
            var failure = await _snapshots.SnapshotAsync(json, warnings, snapshotErrors, cancellationToken).ConfigureAwait(false);
            foreach (var w in warnings)
            {
                _log.Warning(w, null, gr, item.Name);
            }

            foreach (var e in snapshotErrors)
            {
                _log.Error(e, null, gr, item.Name);
            }

            if (failure is not null)
            {
                (errors ??= []).Add(failure);
            }
        }

        if (errors is not null)
        {
            foreach (var e in errors)
            {
                _log.Error(e, item.Namespace, gr, item.Name);
            }

            return false;
        }

        var ns = item.Namespace;
        var name = item.Name;
        ReadOnlyMemory<byte> head = item.Head, tail = item.Tail;
        if (json is not null && changed)
        {
            ns = JsonPath.String(json, "metadata", "namespace") is { Length: > 0 } n ? n : null;
            name = JsonPath.Name(json);
            head = default;
            tail = JsonSerializer.SerializeToUtf8Bytes(json);
        }

        // One archive path per written item. The path is the resource's group-resource, namespace and name, and a discovery
        // snapshot serves one apiVersion/Kind per group-resource, so the key of the written name stands for the path: the
        // same table entry as the item's own key when no action renamed it.
        if (!_backedUp.Mark(new ItemKey(r.ApiVersionKind, r.Namespaced ? ns ?? string.Empty : string.Empty, name), ItemKeySet.Written))
        {
            _log.Warning($"Item was not written: another item was already written at its path in the archive", ns, gr, name);
            return false;
        }

        await _sink.WriteItemAsync(gr, r.Namespaced ? ns : null, name, r.Version, head, tail, cancellationToken).ConfigureAwait(false);
        _written.AddOrUpdate(gr, 1, static (_, v) => v + 1);
        return true;
    }

    private bool IsKnown(ResourceIdentifier id, byte mark) =>
        _cluster.Discovery.TryResolve(id.GroupResource.ToString(), out var r) &&
        _backedUp.Has(new ItemKey(r.ApiVersionKind, r.Namespaced ? id.Namespace ?? string.Empty : string.Empty, id.Name), mark);

    /// <summary>Reads an item an action named; a missing item is a warning, as in Velero. Items found missing are not asked for again.</summary>
    private async Task<(ApiResourceInfo Resource, RawObject Item)?> FetchAsync(ResourceIdentifier id, CancellationToken cancellationToken)
    {
        if (!_cluster.Discovery.TryResolve(id.GroupResource.ToString(), out var r))
        {
            _log.Warning($"Additional item {id} cannot be resolved by discovery; skipping it", id.Namespace, id.GroupResource.ToString(), id.Name);
            return null;
        }

        var missingKey = new ItemKey(r.ApiVersionKind, id.Namespace ?? string.Empty, id.Name);
        if (!_missing.ContainsKey(missingKey))
        {
            var found = await _api.TryGetAsync(ApiPaths.Item(r, id.Namespace, id.Name), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (found is { } f)
            {
                return (r, RawObject.Parse(f.Body.AsMemory(), r.ApiVersion, r.Kind));
            }

            _missing.TryAdd(missingKey, 0);
        }

        _log.Warning($"Additional item was not found in Kubernetes API, can't back it up", id.Namespace, id.GroupResource.ToString(), id.Name);
        return null;
    }

    private BackupItemActionContext Context(ApiResourceInfo r, RawObject item, JsonObject? json = null) =>
        new(json ?? JsonNode.Parse(item.Json.Span)!.AsObject(), new ResourceIdentifier(r.Group, r.Resource, item.Namespace, item.Name), _backup, _api.Client, _lookups);

    /// <summary>
    /// CRD auto-inclusion (velero-engine.md 3.11): when the CRD type is neither included nor explicitly excluded, the CRD of
    /// every group-resource with backed-up block items is backed up too.
    /// </summary>
    private async Task IncludeCustomResourceDefinitionsAsync(CancellationToken cancellationToken)
    {
        if (_resources.ShouldInclude(CrdResource) || _resources.ShouldExclude(CrdResource) ||
            !_cluster.Discovery.TryResolve(CrdResource, out var crdResource))
        {
            return;
        }

        foreach (var gr in _blockResources.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (!gr.Contains('.', StringComparison.Ordinal))
            {
                continue; // core types have no CRD
            }

            var found = await _api.TryGetAsync(ApiPaths.Item(crdResource, null, gr), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (found is { } f)
            {
                await BackupItemAsync(crdResource, RawObject.Parse(f.Body.AsMemory(), crdResource.ApiVersion, crdResource.Kind), mustInclude: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
