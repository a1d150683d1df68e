using System.Text.Json.Nodes;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>A pod's related items: its priority class and the claims of its persistentVolumeClaim volumes.</summary>
internal static class PodRelatedItems
{
    public static IReadOnlyList<ResourceIdentifier> Of(JsonObject pod)
    {
        var result = new List<ResourceIdentifier>();
        var ns = JsonPath.Namespace(pod);
        if (JsonPath.String(pod, "spec", "priorityClassName") is { Length: > 0 } pc)
        {
            result.Add(new ResourceIdentifier("scheduling.k8s.io", "priorityclasses", null, pc));
        }

        foreach (var volume in JsonPath.Array(pod, "spec", "volumes") ?? [])
        {
            if (JsonPath.String(volume, "persistentVolumeClaim", "claimName") is { Length: > 0 } claim)
            {
                result.Add(new ResourceIdentifier(string.Empty, "persistentvolumeclaims", ns, claim));
            }
        }

        return result;
    }
}
