using System.Text.Json.Nodes;

namespace Velero.Sdk.Actions.BuiltIn;

/// <summary>The cluster role bindings naming a service account as a subject, and their cluster roles.</summary>
internal static class ServiceAccountRelatedItems
{
    public static async Task<IReadOnlyList<ResourceIdentifier>> OfAsync(BackupItemActionContext context, CancellationToken cancellationToken)
    {
        var ns = JsonPath.Namespace(context.Item);
        var name = JsonPath.Name(context.Item);
        var result = new List<ResourceIdentifier>();
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var crb in await context.Lookups.ClusterRoleBindingsAsync(cancellationToken).ConfigureAwait(false))
        {
            bool names = (JsonPath.Array(crb, "subjects") ?? []).Any(s =>
                JsonPath.String(s, "kind") == "ServiceAccount" && JsonPath.String(s, "namespace") == ns && JsonPath.String(s, "name") == name);
            if (!names)
            {
                continue;
            }

            result.Add(new ResourceIdentifier("rbac.authorization.k8s.io", "clusterrolebindings", null, JsonPath.Name(crb)));
            if (JsonPath.String(crb, "roleRef", "kind") == "ClusterRole" && JsonPath.String(crb, "roleRef", "name") is { Length: > 0 } role && roles.Add(role))
            {
                result.Add(new ResourceIdentifier("rbac.authorization.k8s.io", "clusterroles", null, role));
            }
        }

        return result;
    }
}
