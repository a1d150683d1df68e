using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Velero.Sdk.Testing.Discovery;

namespace Velero.Sdk.Testing.Http;

/// <summary>
/// Cluster IPs from the service CIDR (10.96.0.0/12) and node ports from 30000-32767, as the service registry
/// allocates them: given values are checked against what other services hold, missing ones are picked at random.
/// On an update, unset values are carried over from the stored service (the registry's patchAllocatedValues).
/// </summary>
internal static class ServiceAllocator
{
    public const string ServiceCidr = "10.96.0.0/12";
    private const uint CidrBase = (10u << 24) | (96u << 16);
    private const uint CidrSize = 1u << 20;
    private const int NodePortMin = 30000;
    private const int NodePortMax = 32767;

    private static readonly string[] SpecOrder =
    [
        "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges",
        "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies",
        "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
    ];

    private static readonly string[] PortOrder = ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"];

    /// <summary>The cluster IPs and node ports one stored service holds.</summary>
    private sealed record Holdings(string[] Ips, (long Port, string Protocol)[] Ports);

    private static Holdings Read(Storage.StoredObject service)
    {
        var o = service.Parse()["spec"];
        var ips = (o?["clusterIPs"] as JsonArray ?? []).Select(x => Defaulting.Str(x)).Append(Defaulting.Str(o?["clusterIP"]))
            .Where(ip => !string.IsNullOrEmpty(ip) && ip != "None")
            .Select(ip => ip!)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var ports = new List<(long, string)>();
        foreach (var p in o?["ports"] as JsonArray ?? [])
        {
            if (p?["nodePort"] is JsonValue np && np.TryGetValue<long>(out var n) && n > 0)
            {
                ports.Add((n, Defaulting.Str(p["protocol"]) ?? "TCP"));
            }
        }

        return new Holdings(ips, [.. ports.Distinct()]);
    }

    /// <summary>
    /// Which cluster IPs and node ports the stored services hold, kept current from the store's service events, as the
    /// registry's bitmap allocators are: a create looks up the values it needs instead of reading every stored service.
    /// </summary>
    internal sealed class Index
    {
        private readonly object _gate = new();
        private readonly Dictionary<string, Holdings> _byService = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _ips = new(StringComparer.Ordinal);
        private readonly Dictionary<(long Port, string Protocol), int> _ports = [];

        /// <summary>Follows one committed change of a service (called under the store lock).</summary>
        public void OnChange(Storage.WatchEvent e)
        {
            var held = e.Type == "DELETED" ? null : Read(e.Object);
            lock (_gate)
            {
                if (_byService.Remove(e.Object.Key, out var old))
                {
                    Count(old, -1);
                }

                if (held is not null)
                {
                    _byService[e.Object.Key] = held;
                    Count(held, 1);
                }
            }
        }

        /// <summary>Whether a service other than <paramref name="self"/> holds the cluster IP.</summary>
        public bool IpHeldByOther(string ip, string self)
        {
            lock (_gate)
            {
                return _ips.GetValueOrDefault(ip) - (_byService.TryGetValue(self, out var mine) && mine.Ips.Contains(ip) ? 1 : 0) > 0;
            }
        }

        /// <summary>Whether a service other than <paramref name="self"/> holds the node port.</summary>
        public bool PortHeldByOther((long Port, string Protocol) port, string self)
        {
            lock (_gate)
            {
                return _ports.GetValueOrDefault(port) - (_byService.TryGetValue(self, out var mine) && mine.Ports.Contains(port) ? 1 : 0) > 0;
            }
        }

        private void Count(Holdings h, int delta)
        {
            foreach (var ip in h.Ips)
            {
                Adjust(_ips, ip, delta);
            }

            foreach (var port in h.Ports)
            {
                Adjust(_ports, port, delta);
            }
        }

        private static void Adjust<TKey>(Dictionary<TKey, int> counts, TKey key, int delta)
            where TKey : notnull
        {
            var n = counts.GetValueOrDefault(key) + delta;
            if (n > 0)
            {
                counts[key] = n;
            }
            else
            {
                counts.Remove(key);
            }
        }
    }

    public static void Allocate(ApiEngine engine, ResourceType type, JsonObject spec, string name, string ns, JsonObject? previous)
    {
        var svcType = Defaulting.Str(spec["type"]) ?? "ClusterIP";
        var needsClusterIp = svcType != "ExternalName";
        var needsNodePorts = svcType == "NodePort" || (svcType == "LoadBalancer" && !(spec["allocateLoadBalancerNodePorts"] is JsonValue b && b.TryGetValue<bool>(out var allocate) && !allocate));

        if (previous is not null)
        {
            CarryOver(spec, previous, needsClusterIp, needsNodePorts);
        }

        // What every other service holds, from the index the store's service events keep current.
        var self = Storage.StoredObject.KeyOf(ns, name);
        var index = engine.ServiceHoldings;
        var errors = new List<FieldError>();
        if (needsClusterIp)
        {
            ClusterIp(engine, spec, ip => index.IpHeldByOther(ip, self), errors);
        }

        if (needsNodePorts)
        {
            NodePorts(engine, spec, port => index.PortHeldByOther(port, self), errors);
        }

        if (errors.Count > 0)
        {
            throw ApiException.Invalid(type, name, errors);
        }
    }

    private static void CarryOver(JsonObject spec, JsonObject previous, bool needsClusterIp, bool needsNodePorts)
    {
        var prevType = Defaulting.Str(previous["type"]) ?? "ClusterIP";
        if (needsClusterIp && prevType != "ExternalName")
        {
            if (string.IsNullOrEmpty(Defaulting.Str(spec["clusterIP"])) && previous["clusterIP"] is JsonValue ip)
            {
                spec.Remove("clusterIP");
                Defaulting.SetDefault(spec, "clusterIP", ip.DeepClone(), SpecOrder);
            }

            foreach (var f in new[] { "clusterIPs", "ipFamilies", "ipFamilyPolicy" })
            {
                if (spec[f] is null && previous[f] is { } v)
                {
                    Defaulting.SetDefault(spec, f, v.DeepClone(), SpecOrder);
                }
            }
        }

        if (needsNodePorts && prevType is "NodePort" or "LoadBalancer")
        {
            var old = previous["ports"] as JsonArray ?? [];
            foreach (var p in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (p["nodePort"] is JsonValue n && n.TryGetValue<long>(out var given) && given > 0)
                {
                    continue;
                }

                var match = old.OfType<JsonObject>().FirstOrDefault(o => Long(o["port"]) == Long(p["port"]) && (Defaulting.Str(o["protocol"]) ?? "TCP") == (Defaulting.Str(p["protocol"]) ?? "TCP"));
                if (match?["nodePort"] is JsonValue carried)
                {
                    p.Remove("nodePort");
                    Defaulting.SetDefault(p, "nodePort", carried.DeepClone(), PortOrder);
                }
            }
        }
    }

    private static void ClusterIp(ApiEngine engine, JsonObject spec, Func<string, bool> used, List<FieldError> errors)
    {
        var clusterIp = Defaulting.Str(spec["clusterIP"]) ?? string.Empty;
        var clusterIps = (spec["clusterIPs"] as JsonArray ?? []).Select(x => Defaulting.Str(x) ?? string.Empty).Where(x => x.Length > 0).ToList();
        if (clusterIp.Length == 0 && clusterIps.Count > 0)
        {
            clusterIp = clusterIps[0];
        }

        if (clusterIp == "None")
        {
            // Headless: no address, but families are still set.
            Set(spec, "clusterIP", "None");
            Set(spec, "clusterIPs", new JsonArray("None"));
            Defaulting.SetDefault(spec, "ipFamilies", new JsonArray("IPv4"), SpecOrder);
            Defaulting.SetDefault(spec, "ipFamilyPolicy", "SingleStack", SpecOrder);
            return;
        }

        if (clusterIp.Length > 0)
        {
            var list = "[]string{\"" + clusterIp + "\"}";
            if (!IPAddress.TryParse(clusterIp, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                errors.Add(new FieldError("spec.clusterIPs[0]", "FieldValueInvalid", $"Invalid value: \"{clusterIp}\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
                return;
            }

            var value = ToUInt(parsed);
            if (value - CidrBase >= CidrSize || value == CidrBase || value == CidrBase + CidrSize - 1)
            {
                errors.Add(new FieldError("spec.clusterIPs", "FieldValueInvalid", $"Invalid value: {list}: failed to allocate IP {clusterIp}: the provided IP ({clusterIp}) is not in the valid range. The range of valid IPs is {ServiceCidr}"));
                return;
            }

            if (used(clusterIp))
            {
                errors.Add(new FieldError("spec.clusterIPs", "FieldValueInvalid", $"Invalid value: {list}: failed to allocate IP {clusterIp}: provided IP is already allocated"));
                return;
            }
        }
        else
        {
            // Random, as the allocator picks; .0 (network) and the last address (broadcast) are never used.
            do
            {
                var offset = 1 + (uint)engine.NextRandom((int)CidrSize - 2);
                clusterIp = FromUInt(CidrBase + offset);
            }
            while (used(clusterIp));
        }

        Set(spec, "clusterIP", clusterIp);
        Set(spec, "clusterIPs", new JsonArray(clusterIp));
        Defaulting.SetDefault(spec, "ipFamilies", new JsonArray("IPv4"), SpecOrder);
        Defaulting.SetDefault(spec, "ipFamilyPolicy", "SingleStack", SpecOrder);
    }

    private static void NodePorts(ApiEngine engine, JsonObject spec, Func<(long Port, string Protocol), bool> used, List<FieldError> errors)
    {
        var ports = (spec["ports"] as JsonArray ?? []).ToList();
        var mine = new HashSet<(long, string)>();
        for (var i = 0; i < ports.Count; i++)
        {
            if (ports[i] is not JsonObject p || p["nodePort"] is not JsonValue n || !n.TryGetValue<long>(out var port) || port == 0)
            {
                continue;
            }

            var protocol = Defaulting.Str(p["protocol"]) ?? "TCP";
            var field = $"spec.ports[{i.ToString(CultureInfo.InvariantCulture)}].nodePort";
            if (!mine.Add((port, protocol)))
            {
                errors.Add(new FieldError(field, "FieldValueDuplicate", $"Duplicate value: {port.ToString(CultureInfo.InvariantCulture)}"));
            }
            else if (port is < NodePortMin or > NodePortMax)
            {
                errors.Add(new FieldError(field, "FieldValueInvalid", $"Invalid value: {port.ToString(CultureInfo.InvariantCulture)}: provided port is not in the valid range. The range of valid ports is {NodePortMin}-{NodePortMax}"));
            }
            else if (used((port, protocol)))
            {
                errors.Add(new FieldError(field, "FieldValueInvalid", $"Invalid value: {port.ToString(CultureInfo.InvariantCulture)}: provided port is already allocated"));
            }
        }

        foreach (var p in ports.OfType<JsonObject>())
        {
            if (p["nodePort"] is JsonValue n && n.TryGetValue<long>(out var given) && given > 0)
            {
                continue;
            }

            // The same port number serves a port's TCP and UDP entries alike when they share a port.
            var protocol = Defaulting.Str(p["protocol"]) ?? "TCP";
            long chosen;
            do
            {
                chosen = NodePortMin + engine.NextRandom(NodePortMax - NodePortMin + 1);
            }
            while (used((chosen, protocol)) || mine.Contains((chosen, protocol)));

            mine.Add((chosen, protocol));
            p.Remove("nodePort");
            Defaulting.SetDefault(p, "nodePort", chosen, PortOrder);
        }
    }

    private static long? Long(JsonNode? n) => n is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    private static void Set(JsonObject spec, string key, JsonNode value)
    {
        if (spec.ContainsKey(key))
        {
            spec[key] = value;
        }
        else
        {
            Defaulting.SetDefault(spec, key, value, SpecOrder);
        }
    }

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static string FromUInt(uint v) =>
        string.Create(CultureInfo.InvariantCulture, $"{v >> 24}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}");
}
