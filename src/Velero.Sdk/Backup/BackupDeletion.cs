using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Velero.Sdk.Actions;
using Velero.Sdk.Archive;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;
using Velero.Sdk.Storage;

namespace Velero.Sdk.Backup;

/// <summary>
/// Deletes a backup as Velero's deletion controller does: delete item actions over the archive's items, the native snapshots
/// of its records, then (only if nothing failed) every object under <c>backups/&lt;b&gt;/</c>.
/// </summary>
internal sealed class BackupDeletion(BackupStore store, IReadOnlyList<DeleteItemAction> actions, IReadOnlyList<SnapshotLocation> locations, ILogger logger)
{
    public async Task<IReadOnlyList<string>> DeleteAsync(string backupName, CancellationToken cancellationToken)
    {
        V1Backup backup;
        try
        {
            backup = await store.GetBackupAsync(backupName, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
        {
            throw new VeleroException(VeleroErrorCode.NotFound, "backup not found", e);
        }

        var errors = new List<string>();
        if (actions.Count > 0)
        {
            await RunDeleteItemActionsAsync(backup, errors, cancellationToken).ConfigureAwait(false);
        }

        foreach (var record in await store.GetVolumeSnapshotsAsync(backupName, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrEmpty(record.Status.ProviderSnapshotId))
            {
                continue;
            }

            var location = locations.FirstOrDefault(l => l.Name == record.Spec.Location);
            if (location is null)
            {
                errors.Add($"error deleting snapshot {record.Status.ProviderSnapshotId}: volume snapshot location {record.Spec.Location} not found");
                continue;
            }

            try
            {
                await location.Snapshotter.DeleteSnapshotAsync(record.Status.ProviderSnapshotId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                errors.Add($"error deleting snapshot {record.Status.ProviderSnapshotId}: {e.Message}");
            }
        }

        if (errors.Count == 0)
        {
            await store.DeleteBackupAsync(backupName, cancellationToken).ConfigureAwait(false);
        }

        return errors;
    }

    private async Task RunDeleteItemActionsAsync(V1Backup backup, List<string> errors, CancellationToken cancellationToken)
    {
        Stream contents;
        try
        {
            contents = await store.OpenBackupContentsAsync(backup.Metadata.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)
        {
            return;
        }
        catch (VeleroException e)
        {
            errors.Add($"error downloading backup tarball, CSI snapshot cleanup was skipped: {e.Message}");
            return;
        }

        await using (contents.ConfigureAwait(false))
        {
            BackupArchiveReader reader;
            try
            {
                reader = await BackupArchiveReader.OpenAsync(contents, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (VeleroException e)
            {
                errors.Add($"error invoking delete item actions: {e.Message}");
                return;
            }

            await using (reader.ConfigureAwait(false))
            {
                var selectors = actions.Select(a => (Action: a, Selector: new ResourceSelectorMatcher(a.AppliesTo))).ToList();
                foreach (var gr in reader.GroupResources)
                {
                    foreach (var item in reader.GetItems(gr))
                    {
                        JsonObject? json = null;
                        foreach (var (action, selector) in selectors)
                        {
                            if (!selector.MatchesResource(gr, item.Namespace))
                            {
                                continue;
                            }

                            try
                            {
                                json ??= JsonNode.Parse(await reader.ReadItemAsync(item, cancellationToken).ConfigureAwait(false))!.AsObject();
                                if (!selector.MatchesLabels(json))
                                {
                                    continue;
                                }

                                await action.ExecuteAsync(json, backup, cancellationToken).ConfigureAwait(false);
                            }
                            catch (Exception e) when (e is not OperationCanceledException)
                            {
                                // As in Velero, an action's error is logged and does not stop the deletion.
                                logger.LogWarning(e, "Delete item action {Action} failed on {GroupResource} {Namespace}/{Name}", action.Name, gr, item.Namespace, item.Name);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Matches archive items (which carry plain <c>resource.group</c> names) against a <see cref="ResourceSelector"/> without discovery.</summary>
    private sealed class ResourceSelectorMatcher(ResourceSelector selector)
    {
        private readonly IncludesExcludes _resources = new(selector.IncludedResources, selector.ExcludedResources);
        private readonly IncludesExcludes _namespaces = new(selector.IncludedNamespaces, selector.ExcludedNamespaces);
        private readonly LabelSelector _labels = string.IsNullOrWhiteSpace(selector.LabelSelector) ? LabelSelector.Everything : LabelSelector.Parse(selector.LabelSelector);

        public bool MatchesResource(string groupResource, string? ns)
        {
            var plain = GroupResource.Parse(groupResource).Resource;
            if (!_resources.ShouldInclude(groupResource) && !_resources.ShouldInclude(plain))
            {
                return false;
            }

            return ns is null ? _namespaces.IncludeEverything : _namespaces.ShouldInclude(ns);
        }

        public bool MatchesLabels(JsonObject item) =>
            _labels.Matches((item["metadata"]?["labels"] as JsonObject)?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? string.Empty));
    }
}
