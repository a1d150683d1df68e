using Velero.Sdk.Model;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>
/// <c>velero.io/pvc</c> item block action: a bound claim's block holds its volume, the running pods that mount it, and the
/// other claims of its volume group.
/// </summary>
internal sealed class PvcBlockAction : ItemBlockAction
{
    public override string Name => "velero.io/pvc";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("persistentvolumeclaims");

    public override async Task<IReadOnlyList<ResourceIdentifier>> GetRelatedItemsAsync(BackupItemActionContext context, CancellationToken cancellationToken)
    {
        var pvc = context.Item;
        var volumeName = JsonPath.String(pvc, "spec", "volumeName");
        if (JsonPath.String(pvc, "status", "phase") != "Bound" || string.IsNullOrEmpty(volumeName))
        {
            return [];
        }

        var ns = JsonPath.Namespace(pvc);
        var name = JsonPath.Name(pvc);
        var result = new List<ResourceIdentifier> { new(string.Empty, "persistentvolumes", null, volumeName) };
        foreach (var pod in await context.Lookups.PodsAsync(ns, cancellationToken).ConfigureAwait(false))
        {
            bool running = !string.IsNullOrEmpty(JsonPath.String(pod, "spec", "nodeName")) &&
                           JsonPath.String(pod, "status", "phase") == "Running" &&
                           JsonPath.Get(pod, "metadata", "deletionTimestamp") is null;
            bool mounts = (JsonPath.Array(pod, "spec", "volumes") ?? []).Any(v => JsonPath.String(v, "persistentVolumeClaim", "claimName") == name);
            if (running && mounts)
            {
                result.Add(new ResourceIdentifier(string.Empty, "pods", ns, JsonPath.Name(pod)));
            }
        }

        var groupKey = string.IsNullOrEmpty(context.Backup.Spec.VolumeGroupSnapshotLabelKey)
            ? VeleroConstants.DefaultVolumeGroupSnapshotLabelKey
            : context.Backup.Spec.VolumeGroupSnapshotLabelKey;
        if (JsonPath.String(pvc, "metadata", "labels", groupKey) is { Length: > 0 } group)
        {
            foreach (var other in await context.Lookups.ClaimsAsync(ns, cancellationToken).ConfigureAwait(false))
            {
                if (JsonPath.Name(other) != name && JsonPath.String(other, "metadata", "labels", groupKey) == group)
                {
                    result.Add(new ResourceIdentifier(string.Empty, "persistentvolumeclaims", ns, JsonPath.Name(other)));
                }
            }
        }

        return result;
    }
}
