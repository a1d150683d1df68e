using System.Net;
using System.Text.Json.Nodes;
using Velero.Sdk.Archive;
using Velero.Sdk.Cluster;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore;

/// <summary>The writes of a restore: namespaces, persistent volumes, creates, existing objects and what follows a create.</summary>
internal sealed partial class RestoreRun
{
    private static readonly string[] ClaimBindingAnnotations = ["pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller"];

    /// <summary>
    /// Makes sure <paramref name="targetNs"/> exists (velero-engine.md 4.6), once per namespace and restore: waits for a
    /// terminating one to go, creates a missing one from the backed-up Namespace (labels, annotations and spec) or empty.
    /// </summary>
    private Task<bool> EnsureNamespaceAsync(string targetNs, string originalNs, int tier, CancellationToken cancellationToken) =>
        _namespaces.GetOrAdd(targetNs, ns => new Lazy<Task<bool>>(() => CreateNamespaceAsync(ns, originalNs, tier, cancellationToken))).Value;

    private async Task<bool> CreateNamespaceAsync(string targetNs, string originalNs, int tier, CancellationToken cancellationToken)
    {
        var path = "/api/v1/namespaces/" + Uri.EscapeDataString(targetNs);
        var deadline = _time.GetUtcNow() + _options.ResourceTimeout;
        while (true)
        {
            var existing = await _api.TryGetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                break;
            }

            var ns = JsonNode.Parse(existing.Value.Body);
            bool terminating = ns?["status"]?["phase"]?.GetValue<string>() == "Terminating" || ns?["metadata"]?["deletionTimestamp"] is not null;
            if (!terminating)
            {
                return true;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                _log.Problem(true, $"timed out waiting for terminating namespace {targetNs} to disappear before restoring", null, velero: true);
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        var created = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace" };
        var metadata = new JsonObject { ["name"] = targetNs };
        if (_reader.FindItem(NamespacesResource, null, originalNs) is { } entry)
        {
            try
            {
                var backedUp = JsonNode.Parse(await _reader.ReadItemAsync(entry, cancellationToken).ConfigureAwait(false));
                if (backedUp?["metadata"]?["labels"] is JsonObject labels)
                {
                    metadata["labels"] = labels.DeepClone();
                }

                if (backedUp?["metadata"]?["annotations"] is JsonObject annotations)
                {
                    metadata["annotations"] = annotations.DeepClone();
                }

                if (backedUp?["spec"] is JsonObject spec)
                {
                    created["spec"] = spec.DeepClone();
                }
            }
            catch (System.Text.Json.JsonException e)
            {
                _log.Problem(false, $"error decoding \"{entry.Path}\": {e.Message}; namespace {targetNs} is created empty", null, velero: true);
            }
        }

        created["metadata"] = metadata;
        AddRestoreLabels(created);
        try
        {
            await _api.SendJsonAsync(HttpMethod.Post, "/api/v1/namespaces" + DryRunQuery, Utf8(created), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (_dryRun)
            {
                lock (_plannedNamespaces)
                {
                    _plannedNamespaces.Add(targetNs);
                }
            }

            Track("v1", "Namespace", null, targetNs, RestoredItemAction.Created, NamespacesResource, tier);
            return true;
        }
        catch (KubernetesApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            return true;
        }
        catch (KubernetesApiException e)
        {
            _log.Problem(true, $"error creating namespace {targetNs}: {e.Message}", null, velero: true);
            Track("v1", "Namespace", null, targetNs, RestoredItemAction.Failed, NamespacesResource, tier, e.ServerMessage ?? e.Message);
            return false;
        }
    }

    /// <summary>
    /// Velero's decision for a PersistentVolume (velero-engine.md 4.9): restore it (as is, renamed, or from its snapshot), or
    /// leave it to dynamic provisioning (returns null; the item is recorded as skipped).
    /// </summary>
    private async Task<JsonObject?> DecidePersistentVolumeAsync(JsonObject pv, string name, int tier, CancellationToken cancellationToken)
    {
        var apiVersion = pv["apiVersion"]?.GetValue<string>() ?? "v1";
        var reclaim = pv["spec"]?["persistentVolumeReclaimPolicy"]?.GetValue<string>();
        var info = _volumeInfos.FirstOrDefault(v => v.PvName == name);
        bool snapshotPath, reprovision = false;
        if (info is not null)
        {
            snapshotPath = info.BackupMethod == "NativeSnapshot";
            reprovision = info.BackupMethod is "PodVolumeBackup" or "CSISnapshot" || (string.IsNullOrEmpty(info.BackupMethod) && reclaim == "Delete");
        }
        else
        {
            snapshotPath = _snapshots.Any(s => s.Spec.PersistentVolumeName == name);
            reprovision = !snapshotPath && reclaim == "Delete";
        }

        if (!snapshotPath && reprovision)
        {
            _dynamicPvs.TryAdd(name, 0);
            _log.Info($"Dynamically re-provisioning persistent volume {name}: it is not restored");
            Track(apiVersion, "PersistentVolume", null, name, RestoredItemAction.Skipped, PvResource, tier, "left to dynamic provisioning");
            return null;
        }

        var claimRef = pv["spec"]?["claimRef"] as JsonObject;
        var claimNs = claimRef?["namespace"]?.GetValue<string>();
        if (!snapshotPath)
        {
            RemapClaim(pv, claimRef, claimNs);
            return pv;
        }

        bool mapped = claimNs is not null && _mapping.ContainsKey(claimNs);
        var path = "/api/v1/persistentvolumes/" + Uri.EscapeDataString(name);
        bool exists = await _api.TryGetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false) is not null;
        bool rename = mapped && exists;
        RemapClaim(pv, claimRef, claimNs);
        if (!rename && exists)
        {
            // A healthy PV of that name is left alone: the create below meets it as an existing object.
            return pv;
        }

        var newName = rename ? "velero-clone-" + Guid.NewGuid().ToString() : null;
        if (_request.RestorePVs != false && _snapshots.FirstOrDefault(s => s.Spec.PersistentVolumeName == name) is { } record)
        {
            var location = _snapshotLocations.FirstOrDefault(l => l.Name == record.Spec.Location);
            if (location is null)
            {
                _log.Problem(true, $"error restoring persistentvolumes/{name}: no volume snapshot location named {record.Spec.Location} is configured", null);
                Track(apiVersion, "PersistentVolume", null, name, RestoredItemAction.Failed, PvResource, tier, "volume snapshot location missing");
                return null;
            }

            if (_dryRun)
            {
                _log.Info($"Would create a volume from snapshot {record.Status.ProviderSnapshotId} for persistent volume {name}");
            }
            else
            {
                try
                {
                    var volumeId = await location.Snapshotter.CreateVolumeFromSnapshotAsync(
                        record.Status.ProviderSnapshotId ?? string.Empty, record.Spec.VolumeType, record.Spec.VolumeAz, record.Spec.VolumeIops, cancellationToken).ConfigureAwait(false);
                    pv = await location.Snapshotter.SetVolumeIdAsync(pv, volumeId, cancellationToken).ConfigureAwait(false);
                    var after = pv["metadata"]?["name"]?.GetValue<string>();
                    if (after is not null && after != name)
                    {
                        newName = after;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _log.Problem(true, $"error restoring persistentvolumes/{name}: error creating a volume from snapshot {record.Status.ProviderSnapshotId}: {e.Message}", null);
                    Track(apiVersion, "PersistentVolume", null, name, RestoredItemAction.Failed, PvResource, tier, e.Message);
                    return null;
                }
            }
        }

        if (newName is not null)
        {
            var metadata = (JsonObject)pv["metadata"]!;
            metadata["name"] = newName;
            if (metadata["annotations"] is not JsonObject annotations)
            {
                annotations = [];
                metadata["annotations"] = annotations;
            }

            annotations[VeleroAnnotations.OriginalPvName] = name;
            _renamedPvs[name] = newName;
        }

        return pv;
    }

    private void RemapClaim(JsonObject pv, JsonObject? claimRef, string? claimNs)
    {
        if (claimRef is not null)
        {
            if (claimNs is not null)
            {
                claimRef["namespace"] = _mapping.Map(claimNs);
            }

            claimRef.Remove("uid");
            claimRef.Remove("resourceVersion");
        }

        if (pv["metadata"]?["annotations"] is JsonObject annotations)
        {
            foreach (var a in ClaimBindingAnnotations)
            {
                annotations.Remove(a);
            }
        }
    }

    /// <summary>A claim's binding as restored PVs require (velero-engine.md 4.7 step 9).</summary>
    private void RebindClaim(JsonObject pvc)
    {
        if (pvc["spec"] is not JsonObject spec || spec["volumeName"]?.GetValue<string>() is not { Length: > 0 } volume)
        {
            return;
        }

        if (pvc["metadata"]?["annotations"] is JsonObject annotations)
        {
            foreach (var a in ClaimBindingAnnotations)
            {
                annotations.Remove(a);
            }
        }

        if (_dynamicPvs.ContainsKey(volume))
        {
            spec.Remove("volumeName");
        }
        else if (_renamedPvs.TryGetValue(volume, out var renamed))
        {
            spec["volumeName"] = renamed;
        }
    }

    private async Task CreateAsync(
        ApiResourceInfo resource, string gr, string id, JsonObject obj, BackedUpItem fromBackup, string? targetNs, string name, int tier, CancellationToken cancellationToken)
    {
        var apiVersion = resource.ApiVersion;
        var kind = resource.Kind;
        byte[] created;
        try
        {
            // The server's answer is read only when the backed-up managed fields are compared with it.
            using var body = PooledUtf8(obj);
            var path = ApiPaths.Collection(resource, targetNs) + DryRunQuery;
            if (fromBackup.MayHaveManagedFields)
            {
                created = await _api.SendJsonAsync(HttpMethod.Post, path, body.Memory, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _api.SendJsonDroppingAnswerAsync(HttpMethod.Post, path, body.Memory, cancellationToken).ConfigureAwait(false);
                created = [];
            }
        }
        catch (KubernetesApiException e) when (IsAlreadyExists(e, gr))
        {
            await HandleExistingAsync(resource, gr, id, obj, targetNs, name, tier, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (KubernetesApiException e) when (_dryRun && targetNs is not null && e.StatusCode == HttpStatusCode.NotFound && IsPlannedNamespace(targetNs))
        {
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Created, gr, tier, $"namespace {targetNs} is created first: not checked by the server");
            return;
        }
        catch (KubernetesApiException e)
        {
            var reason = e.ServerMessage ?? e.Message;
            var message = e.StatusCode == HttpStatusCode.NotFound && e.Reason == "NotFound" && !reason.Contains("namespaces", StringComparison.Ordinal)
                ? $"error restoring {id}: the cluster does not serve {apiVersion}, Kind={kind}: {reason}"
                : $"error restoring {id}: {reason}";
            _log.Problem(true, message, targetNs);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, reason);
            return;
        }

        Track(apiVersion, kind, targetNs, name, RestoredItemAction.Created, gr, tier);
        if (_dryRun)
        {
            if (gr == CrdResource && obj["spec"]?["group"]?.GetValue<string>() is { } crdGroup && obj["spec"]?["names"]?["kind"]?.GetValue<string>() is { } crdKind)
            {
                lock (_plannedNamespaces)
                {
                    _plannedKinds.Add(crdGroup + "/" + crdKind);
                }
            }

            return;
        }

        var itemPath = ApiPaths.Item(resource, targetNs, name);
        if (ShouldRestoreStatus(gr, obj) && fromBackup.Value["status"] is JsonObject status)
        {
            try
            {
                var patch = new JsonObject { ["status"] = status.DeepClone() };
                await _api.SendJsonAsync(HttpMethod.Patch, itemPath + "/status", Utf8(patch), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e)
            {
                _log.Problem(false, $"could not restore status of {id}: {e.ServerMessage ?? e.Message}", targetNs);
            }
        }

        if (fromBackup.MayHaveManagedFields && fromBackup.Value["metadata"]?["managedFields"] is JsonArray { Count: > 0 } managed && !SameManagedFields(created, managed))
        {
            try
            {
                var patch = new JsonObject { ["metadata"] = new JsonObject { ["managedFields"] = managed.DeepClone() } };
                await _api.SendJsonAsync(HttpMethod.Patch, itemPath, Utf8(patch), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e)
            {
                _log.Problem(false, $"error restoring managedFields of {id}: {e.ServerMessage ?? e.Message}", targetNs);
            }
        }

        if (gr == CrdResource)
        {
            await WaitForCrdAsync(itemPath, name, cancellationToken).ConfigureAwait(false);
        }

        if (gr == "pods")
        {
            await RunExecHooksAsync(obj, resource, targetNs!, name, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether the server kept the backed-up managed fields on create (then there is nothing to patch back).</summary>
    private static bool SameManagedFields(byte[] created, JsonArray managed)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(created);
            return doc.RootElement.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("managedFields", out var kept) &&
                JsonNode.DeepEquals(JsonNode.Parse(kept.GetRawText()), managed);
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private bool IsPlannedKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        lock (_plannedNamespaces)
        {
            return slash > 0 && _plannedKinds.Contains(apiVersion[..slash] + "/" + kind);
        }
    }

    private bool IsPlannedNamespace(string ns)
    {
        lock (_plannedNamespaces)
        {
            return _plannedNamespaces.Contains(ns);
        }
    }

    private bool ShouldRestoreStatus(string gr, JsonObject obj)
    {
        if (_statusFilter is null && obj["metadata"]?["annotations"]?[VeleroAnnotations.RestoreStatus] is null)
        {
            return false;
        }

        bool byspec = _statusFilter?.ShouldInclude(gr) ?? false;
        var annotation = obj["metadata"]?["annotations"]?[VeleroAnnotations.RestoreStatus]?.GetValue<string>()?.Trim();
        return annotation?.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => byspec,
        };
    }

    private async Task WaitForCrdAsync(string path, string name, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.ResourceTimeout;
        while (true)
        {
            var answer = await _api.TryGetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (answer is { } a && JsonNode.Parse(a.Body)?["status"]?["conditions"] is JsonArray conditions &&
                IsTrue(conditions, "Established") && IsTrue(conditions, "NamesAccepted"))
            {
                return;
            }

            if (_time.GetUtcNow() >= deadline)
            {
                _log.Problem(true, $"the CRD {name} is not available to use for custom resources", null);
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        static bool IsTrue(JsonArray conditions, string type) =>
            conditions.Any(c => c?["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True");
    }

    /// <summary>An object that already exists (velero-engine.md 4.10).</summary>
    private async Task HandleExistingAsync(
        ApiResourceInfo resource, string gr, string id, JsonObject desired, string? targetNs, string name, int tier, CancellationToken cancellationToken)
    {
        var apiVersion = resource.ApiVersion;
        var kind = resource.Kind;
        var itemPath = ApiPaths.Item(resource, targetNs, name);
        JsonObject inCluster;
        try
        {
            var answer = await _api.GetAsync(itemPath, cancellationToken: cancellationToken).ConfigureAwait(false);
            inCluster = (JsonObject)JsonNode.Parse(answer)!;
        }
        catch (Exception e) when (e is KubernetesApiException or System.Text.Json.JsonException or InvalidCastException)
        {
            _log.Problem(false, $"could not restore, {kind} \"{name}\" already exists, and the in-cluster object could not be read: {e.Message}", targetNs);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, "exists; could not be read");
            return;
        }

        var policy = _restore.Spec.ExistingResourcePolicy;
        ResetMetadataAndStatus(inCluster);
        var current = (JsonObject)inCluster.DeepClone();
        AddRestoreLabels(current);
        if (SemanticallyEqual(current, desired))
        {
            if (policy == ExistingResourcePolicy.Update)
            {
                await PatchLabelsAsync(itemPath, id, targetNs, cancellationToken).ConfigureAwait(false);
            }

            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Skipped, gr, tier, "exists and is identical");
            return;
        }

        if (gr == "serviceaccounts")
        {
            var patch = ServiceAccountMerge(current, desired);
            try
            {
                await _api.SendJsonAsync(HttpMethod.Patch, itemPath + DryRunQuery, Utf8(patch), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
                Track(apiVersion, kind, targetNs, name, RestoredItemAction.Updated, gr, tier);
            }
            catch (KubernetesApiException e)
            {
                _log.Problem(false, $"error merging the in-cluster service account {id}: {e.ServerMessage ?? e.Message}", targetNs);
                Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, e.ServerMessage ?? e.Message);
            }

            return;
        }

        if (policy != ExistingResourcePolicy.Update)
        {
            var message = string.IsNullOrEmpty(policy)
                ? $"could not restore, {kind}:{name} already exists. Warning: the in-cluster version is different than the backed-up version"
                : $"could not restore, {kind} \"{name}\" already exists. Warning: the in-cluster version is different than the backed-up version";
            _log.Problem(false, message, targetNs);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Failed, gr, tier, "exists and differs", RestorePlanAction.Skip);
            return;
        }

        try
        {
            var patch = MergePatch.Create(inCluster, desired);
            await _api.SendJsonAsync(HttpMethod.Patch, itemPath + DryRunQuery, Utf8(patch), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            Track(apiVersion, kind, targetNs, name, RestoredItemAction.Updated, gr, tier);
        }
        catch (KubernetesApiException e)
        {
            _log.Problem(false, $"could not update existing {id}: {e.ServerMessage ?? e.Message}", targetNs);
            bool labelled = await PatchLabelsAsync(itemPath, id, targetNs, cancellationToken).ConfigureAwait(false);
            Track(apiVersion, kind, targetNs, name, labelled ? RestoredItemAction.Updated : RestoredItemAction.Failed, gr, tier, e.ServerMessage ?? e.Message);
        }
    }

    private async Task<bool> PatchLabelsAsync(string itemPath, string id, string? targetNs, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject { [VeleroLabels.BackupName] = _backupLabel, [VeleroLabels.RestoreName] = _restoreLabel },
            },
        };
        try
        {
            await _api.SendJsonAsync(HttpMethod.Patch, itemPath + DryRunQuery, Utf8(patch), "application/merge-patch+json", cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubernetesApiException e)
        {
            _log.Problem(true, $"error patching the restore labels of {id}: {e.ServerMessage ?? e.Message}", targetNs);
            return false;
        }
    }

    /// <summary>
    /// Velero's semantic comparison of the in-cluster object with the desired one, both reset. <c>managedFields</c> are left out:
    /// the API server rewrites them on every write, so comparing them would call every existing object different.
    /// </summary>
    private static bool SemanticallyEqual(JsonObject current, JsonObject desired)
    {
        var a = (JsonObject)current.DeepClone();
        var b = (JsonObject)desired.DeepClone();
        (a["metadata"] as JsonObject)?.Remove("managedFields");
        (b["metadata"] as JsonObject)?.Remove("managedFields");
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>The merge of an existing ServiceAccount: backed-up secrets and pull secrets and labels/annotations it lacks are added.</summary>
    private static JsonObject ServiceAccountMerge(JsonObject current, JsonObject desired)
    {
        var patch = new JsonObject();
        foreach (var field in new[] { "secrets", "imagePullSecrets" })
        {
            var have = current[field] as JsonArray ?? [];
            var names = have.Select(s => s?["name"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var merged = new JsonArray([.. have.Select(s => s?.DeepClone())]);
            bool changed = false;
            foreach (var s in desired[field] as JsonArray ?? [])
            {
                if (!names.Contains(s?["name"]?.GetValue<string>()))
                {
                    merged.Add(s?.DeepClone());
                    changed = true;
                }
            }

            if (changed)
            {
                patch[field] = merged;
            }
        }

        var metadata = new JsonObject();
        foreach (var field in new[] { "labels", "annotations" })
        {
            var have = current["metadata"]?[field] as JsonObject;
            var add = new JsonObject();
            foreach (var (k, v) in desired["metadata"]?[field] as JsonObject ?? [])
            {
                if (have is null || !have.ContainsKey(k))
                {
                    add[k] = v?.DeepClone();
                }
            }

            if (add.Count > 0)
            {
                metadata[field] = add;
            }
        }

        if (metadata.Count > 0)
        {
            patch["metadata"] = metadata;
        }

        return patch;
    }
}
