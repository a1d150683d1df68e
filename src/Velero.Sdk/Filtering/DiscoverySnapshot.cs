using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Velero.Sdk.Filtering;

/// <summary>
/// The resource types an API server serves, one entry per resource in its group's preferred version, in
/// discovery order. Resolves the names users write in filters (<c>pods</c>, <c>po</c>, <c>pod</c>, <c>Pod</c>,
/// <c>deployments.apps</c>, <c>deploy.apps</c>) as Velero's discovery helper does. Immutable and thread-safe.
/// </summary>
public sealed class DiscoverySnapshot
{
    private readonly ApiResourceInfo[] _resources;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ApiResourceInfo?> _resolved = new(StringComparer.Ordinal);

    /// <summary>Creates a snapshot from resources in discovery order (groups in server order, preferred versions only).</summary>
    public DiscoverySnapshot(IEnumerable<ApiResourceInfo> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        _resources = [.. resources];
    }

    /// <summary>The resources, in discovery order.</summary>
    public IReadOnlyList<ApiResourceInfo> Resources => _resources;

    /// <summary>
    /// Parses an aggregated discovery document (<c>APIGroupDiscoveryList</c>, apidiscovery.k8s.io/v2) and keeps the first
    /// (preferred) version of each group. Subresources are not listed.
    /// </summary>
    public static DiscoverySnapshot FromAggregatedDiscovery(JsonElement groupDiscoveryList)
    {
        var list = new List<ApiResourceInfo>();
        AddAggregated(groupDiscoveryList, list);
        return new DiscoverySnapshot(list);
    }

    /// <summary>
    /// Builds a snapshot from legacy <c>APIResourceList</c> documents (the answers of <c>/api/v1</c> and
    /// <c>/apis/&lt;group&gt;/&lt;version&gt;</c>), one per group in preferred version, in server order.
    /// Subresources (names with a '/') are left out.
    /// </summary>
    public static DiscoverySnapshot FromResourceLists(IEnumerable<JsonElement> resourceLists)
    {
        ArgumentNullException.ThrowIfNull(resourceLists);
        var list = new List<ApiResourceInfo>();
        foreach (var doc in resourceLists)
        {
            AddResourceList(doc, list);
        }

        return new DiscoverySnapshot(list);
    }

    /// <summary>
    /// Builds a snapshot from the core group's <c>APIResourceList</c> (<c>/api/v1</c>) followed by an aggregated
    /// discovery document for the named groups (<c>/apis</c>), the way a current client reads a server.
    /// </summary>
    public static DiscoverySnapshot FromCoreAndAggregated(JsonElement coreResourceList, JsonElement groupDiscoveryList)
    {
        var list = new List<ApiResourceInfo>();
        AddResourceList(coreResourceList, list);
        AddAggregated(groupDiscoveryList, list);
        return new DiscoverySnapshot(list);
    }

    /// <summary>
    /// Resolves a name as Velero's discovery helper does: <c>resource</c> or <c>resource.group</c> (split at the first dot),
    /// a short name (optionally qualified by its group or a prefix of it), a singular name or a kind, case-insensitively.
    /// When several groups serve the name, the first in discovery order wins (so <c>events</c> is the core group's).
    /// </summary>
    public bool TryResolve(string name, [NotNullWhen(true)] out ApiResourceInfo? resource)
    {
        ArgumentNullException.ThrowIfNull(name);
        resource = _resolved.GetOrAdd(name, n => Resolve(n));
        return resource is not null;
    }

    private ApiResourceInfo? Resolve(string name)
    {
        return TryResolveUncached(name, out var r) ? r : null;
    }

    private bool TryResolveUncached(string name, [NotNullWhen(true)] out ApiResourceInfo? resource)
    {
        resource = null;
        if (name.Length == 0)
        {
            return false;
        }

        var candidate = GroupResource.Parse(name);
        {
            var lower = candidate.Resource.ToLowerInvariant();
            bool hasGroup = candidate.Group.Length > 0;

            // Short names: the group given may be a prefix of the real group.
            foreach (var r in _resources)
            {
                if ((!hasGroup || r.Group.StartsWith(candidate.Group, StringComparison.Ordinal)) &&
                    r.ShortNames.Contains(lower))
                {
                    resource = r;
                    return true;
                }
            }

            foreach (var r in _resources)
            {
                if (hasGroup && !string.Equals(r.Group, candidate.Group, StringComparison.Ordinal))
                {
                    continue;
                }

                if (string.Equals(r.Resource, lower, StringComparison.Ordinal) ||
                    string.Equals(r.SingularName, lower, StringComparison.Ordinal) ||
                    string.Equals(r.Kind, candidate.Resource, StringComparison.OrdinalIgnoreCase))
                {
                    resource = r;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Resolves a filter entry to its <c>resource.group</c> form, or returns it unchanged when discovery cannot resolve
    /// it (so an unknown name matches nothing, unless it is a glob). <c>*</c> stays <c>*</c>.
    /// </summary>
    public string ResolveFilterEntry(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry == "*")
        {
            return entry;
        }

        return TryResolve(entry, out var r) ? r.GroupResource.ToString() : entry;
    }

    private static void AddResourceList(JsonElement doc, List<ApiResourceInfo> list)
    {
        var gv = doc.GetProperty("groupVersion").GetString() ?? string.Empty;
        int slash = gv.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? string.Empty : gv[..slash];
        var version = slash < 0 ? gv : gv[(slash + 1)..];
        if (!doc.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var r in resources.EnumerateArray())
        {
            var name = r.GetProperty("name").GetString() ?? string.Empty;
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            list.Add(new ApiResourceInfo
            {
                Group = group,
                Version = version,
                Resource = name,
                Kind = r.GetProperty("kind").GetString() ?? string.Empty,
                SingularName = Str(r, "singularName"),
                Namespaced = r.TryGetProperty("namespaced", out var ns) && ns.ValueKind == JsonValueKind.True,
                Verbs = Strings(r, "verbs"),
                ShortNames = Strings(r, "shortNames"),
                Categories = Strings(r, "categories"),
            });
        }
    }

    private static void AddAggregated(JsonElement doc, List<ApiResourceInfo> list)
    {
        if (!doc.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var g in items.EnumerateArray())
        {
            var group = g.GetProperty("metadata").TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            if (!g.TryGetProperty("versions", out var versions) || versions.GetArrayLength() == 0)
            {
                continue;
            }

            var preferred = versions[0];
            var version = Str(preferred, "version");
            if (!preferred.TryGetProperty("resources", out var resources))
            {
                continue;
            }

            foreach (var r in resources.EnumerateArray())
            {
                list.Add(new ApiResourceInfo
                {
                    Group = group,
                    Version = version,
                    Resource = Str(r, "resource"),
                    Kind = r.TryGetProperty("responseKind", out var rk) ? Str(rk, "kind") : string.Empty,
                    SingularName = Str(r, "singularResource"),
                    Namespaced = Str(r, "scope") == "Namespaced",
                    Verbs = Strings(r, "verbs"),
                    ShortNames = Strings(r, "shortNames"),
                    Categories = Strings(r, "categories"),
                });
            }
        }
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? string.Empty : string.Empty;

    private static string[] Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Select(x => x.GetString() ?? string.Empty)]
            : [];
}
