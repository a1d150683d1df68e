using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Discovery;

/// <summary>
/// The served resources: the built-in ones read from recorded discovery documents, plus the ones that
/// CustomResourceDefinitions register. Copy-on-write: readers take <see cref="Current"/> without locking.
/// </summary>
internal sealed class ResourceRegistry
{
    private readonly object _gate = new();
    private readonly IReadOnlyList<GroupInfo> _builtInGroups;
    private readonly Dictionary<string, IReadOnlyList<ResourceType>> _custom = new(StringComparer.Ordinal);
    private volatile Snapshot _current;

    public ResourceRegistry()
    {
        _builtInGroups = LoadBuiltIns();
        _current = new Snapshot(_builtInGroups);
    }

    public Snapshot Current => _current;

    /// <summary>Registers (or replaces) the resources of one CustomResourceDefinition.</summary>
    public void SetCustom(string crdName, IReadOnlyList<ResourceType> types)
    {
        lock (_gate)
        {
            _custom[crdName] = types;
            Rebuild();
        }
    }

    /// <summary>Removes the resources of one CustomResourceDefinition.</summary>
    public void RemoveCustom(string crdName)
    {
        lock (_gate)
        {
            if (_custom.Remove(crdName))
            {
                Rebuild();
            }
        }
    }

    private void Rebuild()
    {
        var groups = new List<GroupInfo>(_builtInGroups);
        var byGroup = new Dictionary<string, List<ResourceType>>(StringComparer.Ordinal);
        foreach (var types in _custom.Values)
        {
            foreach (var t in types)
            {
                if (!byGroup.TryGetValue(t.Group, out var list))
                {
                    byGroup[t.Group] = list = [];
                }

                list.Add(t);
            }
        }

        foreach (var (group, types) in byGroup.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var versions = types.Select(t => t.Version).Distinct().OrderBy(v => v, KubeVersionComparer.Instance).ToList();
            var existing = groups.FindIndex(g => g.Name == group);
            var gvs = new List<GroupVersionInfo>();
            foreach (var v in versions)
            {
                gvs.Add(new GroupVersionInfo(v, types.Where(t => t.Version == v).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList()));
            }

            if (existing >= 0)
            {
                // A CRD may add resources to a built-in group/version; merge them.
                var merged = groups[existing].Versions.ToList();
                foreach (var gv in gvs)
                {
                    var i = merged.FindIndex(m => m.Version == gv.Version);
                    if (i >= 0)
                    {
                        merged[i] = new GroupVersionInfo(gv.Version, merged[i].Resources.Concat(gv.Resources).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList());
                    }
                    else
                    {
                        merged.Add(gv);
                    }
                }

                groups[existing] = groups[existing] with { Versions = merged };
            }
            else
            {
                groups.Add(new GroupInfo(group, gvs, gvs[0].Version));
            }
        }

        _current = new Snapshot(groups);
    }

    private static List<GroupInfo> LoadBuiltIns()
    {
        var apis = JsonNode.Parse(ReadResource("apis.v1-32.json"))!.AsObject();
        var aggregated = JsonNode.Parse(ReadResource("aggregated_v2.json"))!.AsObject();
        var core = JsonNode.Parse(ReadResource("api__v1.json"))!.AsObject();

        var groups = new List<GroupInfo>
        {
            new(string.Empty, [new GroupVersionInfo("v1", FromResourceList(string.Empty, "v1", core["resources"]!.AsArray()))], "v1"),
        };

        var aggregatedByGroup = aggregated["items"]!.AsArray()
            .Select(i => i!.AsObject())
            .ToDictionary(i => (string)i["metadata"]!["name"]!, StringComparer.Ordinal);

        foreach (var g in apis["groups"]!.AsArray())
        {
            var name = (string)g!["name"]!;
            var preferred = (string)g["preferredVersion"]!["version"]!;
            var versions = new List<GroupVersionInfo>();
            foreach (var v in g["versions"]!.AsArray())
            {
                var version = (string)v!["version"]!;
                if (!aggregatedByGroup.TryGetValue(name, out var agg))
                {
                    throw new InvalidOperationException($"discovery data: group {name} has no aggregated document");
                }

                var av = agg["versions"]!.AsArray().FirstOrDefault(x => (string)x!["version"]! == version)
                    ?? throw new InvalidOperationException($"discovery data: {name}/{version} has no aggregated document");
                versions.Add(new GroupVersionInfo(version, FromAggregated(name, version, av["resources"]!.AsArray())));
            }

            groups.Add(new GroupInfo(name, versions, preferred));
        }

        return groups;
    }

    private static List<ResourceType> FromResourceList(string group, string version, JsonArray resources)
    {
        var result = new List<ResourceType>();
        var subs = new Dictionary<string, List<SubresourceType>>(StringComparer.Ordinal);
        foreach (var r in resources)
        {
            var name = (string)r!["name"]!;
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var parent = name[..slash];
            if (!subs.TryGetValue(parent, out var list))
            {
                subs[parent] = list = [];
            }

            list.Add(new SubresourceType(name[(slash + 1)..], (string)r["kind"]!, (string?)r["group"] ?? string.Empty, (string?)r["version"] ?? string.Empty, Strings(r["verbs"])));
        }

        foreach (var r in resources)
        {
            var name = (string)r!["name"]!;
            if (name.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            result.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Plural = name,
                Singular = (string?)r["singularName"] ?? string.Empty,
                Kind = (string)r["kind"]!,
                Namespaced = (bool)r["namespaced"]!,
                Verbs = Strings(r["verbs"]),
                ShortNames = Strings(r["shortNames"]),
                Categories = Strings(r["categories"]),
                Subresources = subs.TryGetValue(name, out var s) ? s : [],
            });
        }

        return result;
    }

    private static List<ResourceType> FromAggregated(string group, string version, JsonArray resources)
    {
        var result = new List<ResourceType>();
        foreach (var r in resources)
        {
            var subs = new List<SubresourceType>();
            foreach (var s in r!["subresources"]?.AsArray() ?? [])
            {
                subs.Add(new SubresourceType(
                    (string)s!["subresource"]!,
                    (string)s["responseKind"]!["kind"]!,
                    (string?)s["responseKind"]!["group"] ?? string.Empty,
                    (string?)s["responseKind"]!["version"] ?? string.Empty,
                    Strings(s["verbs"])));
            }

            result.Add(new ResourceType
            {
                Group = group,
                Version = version,
                Plural = (string)r["resource"]!,
                Singular = (string?)r["singularResource"] ?? string.Empty,
                Kind = (string)r["responseKind"]!["kind"]!,
                Namespaced = (string)r["scope"]! == "Namespaced",
                Verbs = Strings(r["verbs"]),
                ShortNames = Strings(r["shortNames"]),
                Categories = Strings(r["categories"]),
                Subresources = subs,
            });
        }

        return result;
    }

    internal static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => (string)x!).ToArray() : [];

    internal static string ReadResource(string name)
    {
        using var stream = typeof(ResourceRegistry).Assembly.GetManifestResourceStream("Velero.Sdk.Testing.Data." + name)
            ?? throw new InvalidOperationException("missing embedded resource " + name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>One group with its served versions, in discovery order.</summary>
    internal sealed record GroupInfo(string Name, IReadOnlyList<GroupVersionInfo> Versions, string PreferredVersion);

    /// <summary>One served version of a group.</summary>
    internal sealed record GroupVersionInfo(string Version, IReadOnlyList<ResourceType> Resources);

    /// <summary>An immutable view of everything served, with the discovery documents rendered once.</summary>
    internal sealed class Snapshot
    {
        private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };
        private readonly FrozenDictionary<string, ResourceType> _byPath;
        private readonly FrozenDictionary<string, ResourceType> _byKind;
        private readonly FrozenDictionary<string, byte[]> _resourceLists;

        public Snapshot(IReadOnlyList<GroupInfo> groups)
        {
            Groups = groups;
            var byPath = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            var byKind = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            var lists = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var g in groups)
            {
                foreach (var v in g.Versions)
                {
                    foreach (var r in v.Resources)
                    {
                        byPath[g.Name + "/" + v.Version + "/" + r.Plural] = r;
                        byKind.TryAdd(r.GroupVersion + "/" + r.Kind, r);
                    }

                    var gv = g.Name.Length == 0 ? v.Version : g.Name + "/" + v.Version;
                    lists[gv] = JsonSerializer.SerializeToUtf8Bytes(ResourceList(g.Name, v), Compact);
                }
            }

            _byPath = byPath.ToFrozenDictionary(StringComparer.Ordinal);
            _byKind = byKind.ToFrozenDictionary(StringComparer.Ordinal);
            _resourceLists = lists.ToFrozenDictionary(StringComparer.Ordinal);
            ApiVersions = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
            }, Compact);
            GroupList = JsonSerializer.SerializeToUtf8Bytes(BuildGroupList(), Compact);
            AggregatedApis = JsonSerializer.SerializeToUtf8Bytes(BuildAggregated(groups.Where(g => g.Name.Length > 0)), Compact);
            AggregatedCore = JsonSerializer.SerializeToUtf8Bytes(BuildAggregated(groups.Where(g => g.Name.Length == 0)), Compact);
        }

        public IReadOnlyList<GroupInfo> Groups { get; }

        public byte[] ApiVersions { get; }

        public byte[] GroupList { get; }

        public byte[] AggregatedApis { get; }

        public byte[] AggregatedCore { get; }

        public ResourceType? Find(string group, string version, string plural) =>
            _byPath.TryGetValue(group + "/" + version + "/" + plural, out var t) ? t : null;

        public ResourceType? FindByKind(string apiVersion, string kind) =>
            _byKind.TryGetValue(apiVersion + "/" + kind, out var t) ? t : null;

        public byte[]? ResourceListBytes(string groupVersion) =>
            _resourceLists.TryGetValue(groupVersion, out var b) ? b : null;

        public GroupInfo? FindGroup(string name) => Groups.FirstOrDefault(g => g.Name == name);

        public IEnumerable<ResourceType> AllResources() => Groups.SelectMany(g => g.Versions).SelectMany(v => v.Resources);

        public static JsonObject GroupJson(GroupInfo g) => new()
        {
            ["name"] = g.Name,
            ["versions"] = new JsonArray(g.Versions.Select(v => (JsonNode)new JsonObject
            {
                ["groupVersion"] = g.Name + "/" + v.Version,
                ["version"] = v.Version,
            }).ToArray()),
            ["preferredVersion"] = new JsonObject
            {
                ["groupVersion"] = g.Name + "/" + g.PreferredVersion,
                ["version"] = g.PreferredVersion,
            },
        };

        private JsonObject BuildGroupList() => new()
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray(Groups.Where(g => g.Name.Length > 0).Select(g => (JsonNode)GroupJson(g)).ToArray()),
        };

        private static JsonObject ResourceList(string group, GroupVersionInfo v)
        {
            var resources = new JsonArray();
            foreach (var r in v.Resources)
            {
                var o = new JsonObject
                {
                    ["name"] = r.Plural,
                    ["singularName"] = r.Singular,
                    ["namespaced"] = r.Namespaced,
                    ["kind"] = r.Kind,
                    ["verbs"] = StringArray(r.Verbs),
                };
                if (r.ShortNames.Count > 0)
                {
                    o["shortNames"] = StringArray(r.ShortNames);
                }

                if (r.Categories.Count > 0)
                {
                    o["categories"] = StringArray(r.Categories);
                }

                resources.Add(o);
                foreach (var s in r.Subresources)
                {
                    var so = new JsonObject
                    {
                        ["name"] = r.Plural + "/" + s.Name,
                        ["singularName"] = string.Empty,
                        ["namespaced"] = r.Namespaced,
                    };
                    if (s.ResponseGroup.Length > 0)
                    {
                        so["group"] = s.ResponseGroup;
                    }

                    if (s.ResponseVersion.Length > 0)
                    {
                        so["version"] = s.ResponseVersion;
                    }

                    so["kind"] = s.Kind;
                    so["verbs"] = StringArray(s.Verbs);
                    resources.Add(so);
                }
            }

            var result = new JsonObject { ["kind"] = "APIResourceList" };
            if (group.Length > 0)
            {
                result["apiVersion"] = "v1";
            }

            result["groupVersion"] = group.Length == 0 ? v.Version : group + "/" + v.Version;
            result["resources"] = resources;
            return result;
        }

        private static JsonObject BuildAggregated(IEnumerable<GroupInfo> groups)
        {
            var items = new JsonArray();
            foreach (var g in groups)
            {
                var versions = new JsonArray();

                // Aggregated discovery lists the preferred version first.
                foreach (var v in g.Versions.OrderBy(v => v.Version == g.PreferredVersion ? 0 : 1))
                {
                    var resources = new JsonArray();
                    foreach (var r in v.Resources.OrderBy(r => r.Plural, StringComparer.Ordinal))
                    {
                        var o = new JsonObject
                        {
                            ["resource"] = r.Plural,
                            ["responseKind"] = Kind(string.Empty, string.Empty, r.Kind),
                            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                            ["singularResource"] = r.Singular,
                            ["verbs"] = StringArray(r.Verbs),
                        };
                        if (r.ShortNames.Count > 0)
                        {
                            o["shortNames"] = StringArray(r.ShortNames);
                        }

                        if (r.Categories.Count > 0)
                        {
                            o["categories"] = StringArray(r.Categories);
                        }

                        if (r.Subresources.Count > 0)
                        {
                            o["subresources"] = new JsonArray(r.Subresources.Select(s => (JsonNode)new JsonObject
                            {
                                ["subresource"] = s.Name,
                                ["responseKind"] = Kind(s.ResponseGroup, s.ResponseVersion, s.Kind),
                                ["verbs"] = StringArray(s.Verbs),
                            }).ToArray());
                        }

                        resources.Add(o);
                    }

                    versions.Add(new JsonObject { ["version"] = v.Version, ["resources"] = resources, ["freshness"] = "Current" });
                }

                var metadata = new JsonObject();
                if (g.Name.Length > 0)
                {
                    metadata["name"] = g.Name;
                }
                else
                {
                    metadata["creationTimestamp"] = null;
                }

                items.Add(new JsonObject { ["metadata"] = metadata, ["versions"] = versions });
            }

            return new JsonObject
            {
                ["kind"] = "APIGroupDiscoveryList",
                ["apiVersion"] = "apidiscovery.k8s.io/v2",
                ["metadata"] = new JsonObject(),
                ["items"] = items,
            };
        }

        private static JsonObject Kind(string group, string version, string kind) =>
            new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

        private static JsonArray StringArray(IEnumerable<string> values) =>
            new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
    }
}

/// <summary>Orders Kubernetes versions as discovery does: GA before beta before alpha, higher numbers first, others last by name.</summary>
internal sealed class KubeVersionComparer : IComparer<string>
{
    public static readonly KubeVersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Parse(x ?? string.Empty);
        var b = Parse(y ?? string.Empty);
        if (a.Rank != b.Rank)
        {
            return a.Rank.CompareTo(b.Rank);
        }

        if (a.Rank == 3)
        {
            return string.CompareOrdinal(x, y);
        }

        if (a.Major != b.Major)
        {
            return b.Major.CompareTo(a.Major);
        }

        return b.Minor.CompareTo(a.Minor);
    }

    private static (int Rank, int Major, int Minor) Parse(string v)
    {
        if (v.Length < 2 || v[0] != 'v' || !char.IsAsciiDigit(v[1]))
        {
            return (3, 0, 0);
        }

        var i = 1;
        while (i < v.Length && char.IsAsciiDigit(v[i]))
        {
            i++;
        }

        var major = int.Parse(v.AsSpan(1, i - 1), CultureInfo.InvariantCulture);
        if (i == v.Length)
        {
            return (0, major, 0);
        }

        var rest = v[i..];
        foreach (var (prefix, rank) in new[] { ("beta", 1), ("alpha", 2) })
        {
            if (rest.StartsWith(prefix, StringComparison.Ordinal) && rest.Length > prefix.Length
                && rest[prefix.Length..].All(char.IsAsciiDigit))
            {
                return (rank, major, int.Parse(rest[prefix.Length..], CultureInfo.InvariantCulture));
            }
        }

        return (3, 0, 0);
    }
}
