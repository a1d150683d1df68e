using System.Text;
using Velero.Sdk.Filtering;

namespace Velero.Sdk.Cluster;

/// <summary>REST paths of the Kubernetes API.</summary>
internal static class ApiPaths
{
    /// <summary>The collection path of a resource, in a namespace or across all.</summary>
    public static string Collection(ApiResourceInfo r, string? ns)
    {
        var sb = new StringBuilder(string.IsNullOrEmpty(r.Group) ? "/api/" : "/apis/" + r.Group + "/");
        sb.Append(r.Version);
        if (r.Namespaced && !string.IsNullOrEmpty(ns))
        {
            sb.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        return sb.Append('/').Append(r.Resource).ToString();
    }

    /// <summary>The path of one object.</summary>
    public static string Item(ApiResourceInfo r, string? ns, string name) => Collection(r, ns) + "/" + Uri.EscapeDataString(name);

    /// <summary>A list query.</summary>
    public static string List(ApiResourceInfo r, string? ns, string? labelSelector, int limit, string? continueToken)
    {
        var sb = new StringBuilder(Collection(r, ns));
        char sep = '?';
        if (limit > 0)
        {
            sb.Append(sep).Append("limit=").Append(limit);
            sep = '&';
        }

        if (!string.IsNullOrEmpty(continueToken))
        {
            sb.Append(sep).Append("continue=").Append(Uri.EscapeDataString(continueToken));
            sep = '&';
        }

        if (!string.IsNullOrEmpty(labelSelector))
        {
            sb.Append(sep).Append("labelSelector=").Append(Uri.EscapeDataString(labelSelector));
        }

        return sb.ToString();
    }
}
