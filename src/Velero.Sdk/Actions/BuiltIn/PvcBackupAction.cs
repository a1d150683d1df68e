using System.Text.Json.Nodes;
using Velero.Sdk.Model;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>
/// <c>velero.io/pv</c>: for a bound claim, backs up its PersistentVolume with it and clears what would stop the claim from
/// binding again on restore (data sources, a dynamic selector, stale Velero labels).
/// </summary>
internal sealed class PvcBackupAction : BackupItemAction
{
    private static readonly string[] StaleLabels =
    [
        VeleroLabels.RestoreName, VeleroAnnotations.MustIncludeAdditionalItems, VeleroLabels.VolumeSnapshotName,
    ];

    public override string Name => "velero.io/pv";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("persistentvolumeclaims");

    public override Task<BackupItemActionResult> ExecuteAsync(BackupItemActionContext context, CancellationToken cancellationToken)
    {
        var pvc = context.Item;
        var volumeName = JsonPath.String(pvc, "spec", "volumeName");
        if (JsonPath.String(pvc, "status", "phase") != "Bound" || string.IsNullOrEmpty(volumeName))
        {
            return Task.FromResult(new BackupItemActionResult(pvc));
        }

        if (JsonPath.Object(pvc, "spec") is { } spec)
        {
            spec.Remove("dataSource");
            spec.Remove("dataSourceRef");
            bool staticBinding = spec.TryGetPropertyValue("storageClassName", out var sc) && sc is JsonValue v && v.TryGetValue<string>(out var s) && s.Length == 0;
            if (!staticBinding)
            {
                spec.Remove("selector");
            }
            else if (JsonPath.Object(spec, "selector", "matchLabels") is { } matchLabels)
            {
                foreach (var key in matchLabels.Select(kv => kv.Key).Where(k => k.StartsWith("velero.io/", StringComparison.Ordinal)).ToList())
                {
                    matchLabels.Remove(key);
                }
            }
        }

        if (JsonPath.Object(pvc, "metadata", "labels") is { } labels)
        {
            foreach (var key in StaleLabels)
            {
                labels.Remove(key);
            }

            var current = LabelValue.GetValidName(context.Backup.Metadata.Name);
            if (JsonPath.String(labels, VeleroLabels.BackupName) is { } old && old != current)
            {
                labels.Remove(VeleroLabels.BackupName);
            }
        }

        return Task.FromResult(new BackupItemActionResult(pvc, [new ResourceIdentifier(string.Empty, "persistentvolumes", null, volumeName)]));
    }
}
