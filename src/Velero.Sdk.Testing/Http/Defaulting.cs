using System.Text;
using System.Text.Json.Nodes;
using Velero.Sdk.Testing.Discovery;

namespace Velero.Sdk.Testing.Http;

/// <summary>
/// The defaults kube-apiserver fills in when it decodes a create, update or patch of the built-in types that
/// backups and restores touch (Kubernetes' <c>SetDefaults_*</c> functions for core/v1 and apps/v1), each new field
/// placed where the Go struct puts it. Seeding stores objects as written and does not default.
/// </summary>
internal static class Defaulting
{
    private static readonly string[] DeploymentSpecOrder = ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"];
    private static readonly string[] JobSpecOrder =
    [
        "parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy", "successPolicy", "backoffLimit", "backoffLimitPerIndex",
        "maxFailedIndexes", "selector", "manualSelector", "template", "ttlSecondsAfterFinished", "completionMode", "suspend", "podReplacementPolicy",
        "managedBy",
    ];

    private static readonly string[] StrategyOrder = ["type", "rollingUpdate"];
    private static readonly string[] RollingUpdateOrder = ["maxUnavailable", "maxSurge"];

    private static readonly string[] PodSpecOrder =
    [
        "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds", "activeDeadlineSeconds",
        "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID",
        "hostIPC", "shareProcessNamespace", "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations",
        "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName", "enableServiceLinks", "preemptionPolicy",
        "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os", "hostUsers", "schedulingGates", "resourceClaims", "resources",
    ];

    private static readonly string[] ContainerOrder =
    [
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy", "restartPolicy", "volumeMounts",
        "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy",
        "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    ];

    private static readonly string[] ContainerLists = ["initContainers", "containers", "ephemeralContainers"];
    private static readonly string[] Probes = ["livenessProbe", "readinessProbe", "startupProbe"];
    private static readonly string[] ModeSources = ["configMap", "secret", "downwardAPI"];
    private static readonly string[] ContainerPortOrder = ["name", "hostPort", "containerPort", "protocol", "hostIP"];
    private static readonly string[] ProbeOrder = ["exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold", "terminationGracePeriodSeconds"];
    private static readonly string[] HttpGetOrder = ["path", "port", "host", "scheme", "httpHeaders"];
    private static readonly string[] KeyToPathVolumeOrder = ["name", "secretName", "items", "defaultMode", "optional"];
    private static readonly string[] ProjectedOrder = ["sources", "defaultMode"];
    private static readonly string[] FieldRefOrder = ["apiVersion", "fieldPath"];

    private static readonly string[] ServiceSpecOrder =
    [
        "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP", "loadBalancerSourceRanges",
        "externalName", "externalTrafficPolicy", "healthCheckNodePort", "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies",
        "ipFamilyPolicy", "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
    ];

    private static readonly string[] ServicePortOrder = ["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"];
    private static readonly string[] PvcSpecOrder = ["accessModes", "selector", "resources", "volumeName", "storageClassName", "volumeMode", "dataSource", "dataSourceRef", "volumeAttributesClassName"];
    private static readonly string[] SecretOrder = ["kind", "apiVersion", "metadata", "immutable", "data", "stringData", "type"];

    /// <summary>Whether <see cref="Apply"/> defaults anything for this type.</summary>
    public static bool Defaults(ResourceType type) =>
        !type.IsCustom && type.StorageKey is "/pods" or "apps/deployments" or "batch/jobs" or "/services" or "/persistentvolumeclaims" or "/persistentvolumes" or "/secrets";

    /// <summary>Fills in the defaults of a built-in object (a no-op for other types).</summary>
    public static void Apply(ResourceType type, JsonObject obj)
    {
        if (type.IsCustom)
        {
            return;
        }

        switch (type.StorageKey)
        {
            case "/pods":
                if (obj["spec"] is JsonObject podSpec)
                {
                    PodSpec(podSpec);

                    // SetDefaults_Pod (not PodSpec): pods, unlike pod templates, get enableServiceLinks.
                    SetDefault(podSpec, "enableServiceLinks", true, PodSpecOrder);
                    RequestsFromLimits(podSpec);
                }

                break;
            case "apps/deployments":
                Deployment(obj);
                break;
            case "batch/jobs":
                Job(obj);
                break;
            case "/services":
                if (obj["spec"] is JsonObject svcSpec)
                {
                    ServiceSpec(svcSpec);
                }

                break;
            case "/persistentvolumeclaims":
                if (obj["spec"] is JsonObject pvcSpec)
                {
                    SetDefault(pvcSpec, "volumeMode", "Filesystem", PvcSpecOrder);
                    Reorder(pvcSpec, PvcSpecOrder);
                }

                break;
            case "/persistentvolumes":
                if (obj["spec"] is JsonObject pvSpec)
                {
                    SetDefault(pvSpec, "persistentVolumeReclaimPolicy", "Retain", ["capacity", "accessModes", "claimRef", "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName"]);
                    SetDefault(pvSpec, "volumeMode", "Filesystem", ["capacity", "accessModes", "claimRef", "persistentVolumeReclaimPolicy", "storageClassName", "mountOptions", "volumeMode", "nodeAffinity", "volumeAttributesClassName"]);
                }

                break;
            case "/secrets":
                Secret(obj);
                break;
        }
    }

    private static void Deployment(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        SetDefault(spec, "replicas", 1, DeploymentSpecOrder);
        if (spec["strategy"] is not JsonObject strategy)
        {
            strategy = new JsonObject();
            SetDefault(spec, "strategy", strategy, DeploymentSpecOrder);
        }

        SetDefault(strategy, "type", "RollingUpdate", StrategyOrder);
        if (Str(strategy["type"]) == "RollingUpdate")
        {
            if (strategy["rollingUpdate"] is not JsonObject rolling)
            {
                rolling = new JsonObject();
                SetDefault(strategy, "rollingUpdate", rolling, StrategyOrder);
            }

            SetDefault(rolling, "maxUnavailable", "25%", RollingUpdateOrder);
            SetDefault(rolling, "maxSurge", "25%", RollingUpdateOrder);
        }

        SetDefault(spec, "revisionHistoryLimit", 10, DeploymentSpecOrder);
        SetDefault(spec, "progressDeadlineSeconds", 600, DeploymentSpecOrder);
        Reorder(spec, DeploymentSpecOrder);
        Reorder(strategy, StrategyOrder);
        if (strategy["rollingUpdate"] is JsonObject ru)
        {
            Reorder(ru, RollingUpdateOrder);
        }

        if (spec["template"] is JsonObject template)
        {
            Reorder(template, ["metadata", "spec"]);
            if (template["spec"] is JsonObject podSpec)
            {
                PodSpec(podSpec);
            }
        }
    }

    /// <summary>SetDefaults_Job, and the template's pod defaults.</summary>
    private static void Job(JsonObject obj)
    {
        if (obj["spec"] is not JsonObject spec)
        {
            return;
        }

        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            SetDefault(spec, "completions", 1, JobSpecOrder);
        }

        SetDefault(spec, "parallelism", 1, JobSpecOrder);
        SetDefault(spec, "backoffLimit", spec["backoffLimitPerIndex"] is null ? 6 : int.MaxValue, JobSpecOrder);
        SetDefault(spec, "manualSelector", false, JobSpecOrder);
        SetDefault(spec, "completionMode", "NonIndexed", JobSpecOrder);
        SetDefault(spec, "suspend", false, JobSpecOrder);
        SetDefault(spec, "podReplacementPolicy", spec["podFailurePolicy"] is null ? "TerminatingOrFailed" : "Failed", JobSpecOrder);
        Reorder(spec, JobSpecOrder);
        if (spec["template"] is JsonObject template)
        {
            Reorder(template, ["metadata", "spec"]);
            if (template["spec"] is JsonObject podSpec)
            {
                PodSpec(podSpec);
            }
        }
    }

    /// <summary>
    /// The job strategy's PrepareForCreate: unless the selector is manual, the template gets the job-name and
    /// controller-uid labels (legacy and prefixed), the selector matches the controller uid, and a job without
    /// labels takes the template's.
    /// </summary>
    public static void PrepareJobForCreate(JsonObject job)
    {
        if (job["spec"] is not JsonObject spec || spec["template"] is not JsonObject template)
        {
            return;
        }

        var name = Str(job["metadata"]?["name"]) ?? string.Empty;
        var uid = Str(job["metadata"]?["uid"]) ?? string.Empty;
        if (spec["manualSelector"] is not JsonValue manual || !manual.TryGetValue<bool>(out var isManual) || !isManual)
        {
            if (template["metadata"] is not JsonObject templateMeta)
            {
                templateMeta = new JsonObject();
                SetDefault(template, "metadata", templateMeta, ["metadata", "spec"]);
            }

            var labels = templateMeta["labels"] as JsonObject ?? new JsonObject();
            var merged = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
            foreach (var (k, v) in labels)
            {
                merged[k] = v?.DeepClone();
            }

            merged.TryAdd("job-name", name);
            merged.TryAdd("batch.kubernetes.io/job-name", name);
            merged.TryAdd("controller-uid", uid);
            merged.TryAdd("batch.kubernetes.io/controller-uid", uid);
            var sorted = new JsonObject();
            foreach (var (k, v) in merged)
            {
                sorted[k] = v;
            }

            templateMeta["labels"] = sorted;
            if (spec["selector"] is not JsonObject selector)
            {
                selector = new JsonObject();
                spec.Remove("selector");
                SetDefault(spec, "selector", selector, JobSpecOrder);
            }

            if (selector["matchLabels"] is not JsonObject matchLabels)
            {
                selector["matchLabels"] = matchLabels = new JsonObject();
            }

            if (!matchLabels.ContainsKey("batch.kubernetes.io/controller-uid"))
            {
                matchLabels["batch.kubernetes.io/controller-uid"] = uid;
            }
        }

        if (job["metadata"] is JsonObject metadata && metadata["labels"] is not JsonObject { Count: > 0 } && template["metadata"]?["labels"] is JsonObject { Count: > 0 } templateLabels)
        {
            metadata["labels"] = templateLabels.DeepClone();
        }
    }

    /// <summary>SetDefaults_PodSpec plus the defaults of its containers and volumes.</summary>
    private static void PodSpec(JsonObject spec)
    {
        foreach (var list in ContainerLists)
        {
            foreach (var c in Objects(spec[list]))
            {
                Container(c);
            }
        }

        foreach (var v in Objects(spec["volumes"]))
        {
            Volume(v);
        }

        SetDefault(spec, "restartPolicy", "Always", PodSpecOrder);
        SetDefault(spec, "terminationGracePeriodSeconds", 30, PodSpecOrder);
        SetDefault(spec, "dnsPolicy", "ClusterFirst", PodSpecOrder);
        SetDefault(spec, "securityContext", new JsonObject(), PodSpecOrder);
        SetDefault(spec, "schedulerName", "default-scheduler", PodSpecOrder);
        Reorder(spec, PodSpecOrder);
    }

    private static void Container(JsonObject c)
    {
        foreach (var p in Objects(c["ports"]))
        {
            SetDefault(p, "protocol", "TCP", ContainerPortOrder);
            Reorder(p, ContainerPortOrder);
        }

        foreach (var e in Objects(c["env"]))
        {
            if (e["valueFrom"]?["fieldRef"] is JsonObject fieldRef)
            {
                SetDefault(fieldRef, "apiVersion", "v1", FieldRefOrder);
            }
        }

        SetDefault(c, "resources", new JsonObject(), ContainerOrder);
        foreach (var probe in Probes)
        {
            if (c[probe] is JsonObject p)
            {
                if (p["httpGet"] is JsonObject http)
                {
                    SetDefault(http, "scheme", "HTTP", HttpGetOrder);
                    Reorder(http, HttpGetOrder);
                }

                SetDefault(p, "timeoutSeconds", 1, ProbeOrder);
                SetDefault(p, "periodSeconds", 10, ProbeOrder);
                SetDefault(p, "successThreshold", 1, ProbeOrder);
                SetDefault(p, "failureThreshold", 3, ProbeOrder);
                Reorder(p, ProbeOrder);
            }
        }

        SetDefault(c, "terminationMessagePath", "/dev/termination-log", ContainerOrder);
        SetDefault(c, "terminationMessagePolicy", "File", ContainerOrder);
        SetDefault(c, "imagePullPolicy", PullPolicy(Str(c["image"]) ?? string.Empty), ContainerOrder);
        Reorder(c, ContainerOrder);
    }

    /// <summary><c>Always</c> for <c>:latest</c> or untagged images, <c>IfNotPresent</c> otherwise.</summary>
    private static string PullPolicy(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return "IfNotPresent";
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var tag = colon > lastSlash ? image[(colon + 1)..] : string.Empty;
        return tag.Length == 0 || tag == "latest" ? "Always" : "IfNotPresent";
    }

    private static void Volume(JsonObject v)
    {
        foreach (var source in ModeSources)
        {
            if (v[source] is JsonObject s)
            {
                SetDefault(s, "defaultMode", 420, source == "downwardAPI" ? ["items", "defaultMode"] : KeyToPathVolumeOrder);
                Reorder(s, source == "downwardAPI" ? ["items", "defaultMode"] : KeyToPathVolumeOrder);
            }
        }

        if (v["projected"] is JsonObject projected)
        {
            SetDefault(projected, "defaultMode", 420, ProjectedOrder);
        }

        foreach (var item in Objects(v["downwardAPI"]?["items"]))
        {
            if (item["fieldRef"] is JsonObject fieldRef)
            {
                SetDefault(fieldRef, "apiVersion", "v1", FieldRefOrder);
            }
        }
    }

    /// <summary>SetDefaults_Pod: a container with limits but no requests requests its limits.</summary>
    private static void RequestsFromLimits(JsonObject spec)
    {
        foreach (var list in new[] { "initContainers", "containers" })
        {
            foreach (var c in Objects(spec[list]))
            {
                if (c["resources"] is not JsonObject resources || resources["limits"] is not JsonObject { Count: > 0 } limits)
                {
                    continue;
                }

                if (resources["requests"] is not JsonObject requests)
                {
                    requests = new JsonObject();
                    SetDefault(resources, "requests", requests, ["limits", "requests", "claims"]);
                }

                foreach (var (name, value) in limits)
                {
                    if (!requests.ContainsKey(name))
                    {
                        requests[name] = value?.DeepClone();
                    }
                }
            }
        }
    }

    /// <summary>SetDefaults_Service (cluster IPs and node ports are allocated by the engine).</summary>
    private static void ServiceSpec(JsonObject spec)
    {
        SetDefault(spec, "type", "ClusterIP", ServiceSpecOrder);
        var type = Str(spec["type"]);
        SetDefault(spec, "sessionAffinity", "None", ServiceSpecOrder);
        if (Str(spec["sessionAffinity"]) == "ClientIP")
        {
            if (spec["sessionAffinityConfig"] is not JsonObject config)
            {
                config = new JsonObject();
                SetDefault(spec, "sessionAffinityConfig", config, ServiceSpecOrder);
            }

            if (config["clientIP"] is not JsonObject clientIp)
            {
                config["clientIP"] = clientIp = new JsonObject();
            }

            SetDefault(clientIp, "timeoutSeconds", 10800, ["timeoutSeconds"]);
        }

        Reorder(spec, ServiceSpecOrder);
        foreach (var p in Objects(spec["ports"]))
        {
            SetDefault(p, "protocol", "TCP", ServicePortOrder);
            if (p["targetPort"] is null || (p["targetPort"] is JsonValue tp && ((tp.TryGetValue<long>(out var t) && t == 0) || (tp.TryGetValue<string>(out var ts) && ts.Length == 0))))
            {
                p.Remove("targetPort");
                SetDefault(p, "targetPort", p["port"]?.DeepClone(), ServicePortOrder);
            }

            Reorder(p, ServicePortOrder);
        }

        if (type is "NodePort" or "LoadBalancer")
        {
            SetDefault(spec, "externalTrafficPolicy", "Cluster", ServiceSpecOrder);
        }

        if (type == "LoadBalancer")
        {
            SetDefault(spec, "allocateLoadBalancerNodePorts", true, ServiceSpecOrder);
        }

        if (type != "ExternalName")
        {
            SetDefault(spec, "internalTrafficPolicy", "Cluster", ServiceSpecOrder);
        }
    }

    /// <summary>A Secret's type defaults to Opaque; <c>stringData</c> is merged into <c>data</c> and never stored.</summary>
    private static void Secret(JsonObject obj)
    {
        if (obj["stringData"] is JsonObject stringData)
        {
            if (obj["data"] is not JsonObject data)
            {
                data = new JsonObject();
                obj.Remove("data");
                SetDefault(obj, "data", data, SecretOrder);
            }

            foreach (var (k, v) in stringData)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(v) ?? string.Empty));
            }
        }

        obj.Remove("stringData");
        SetDefault(obj, "type", "Opaque", SecretOrder);
        Reorder(obj, SecretOrder);
    }

    /// <summary>The string value of a node, or null when it is absent or not a string.</summary>
    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>
    /// Puts the properties in the Go struct's order, as a real server writes them back (properties it does not
    /// know keep their relative order after the known ones).
    /// </summary>
    public static void Reorder(JsonObject obj, string[] order)
    {
        // The common case, already in order, allocates nothing.
        var last = -1;
        var ordered = true;
        for (var i = 0; i < obj.Count && ordered; i++)
        {
            var r = Array.IndexOf(order, obj.GetAt(i).Key);
            r = r < 0 ? int.MaxValue : r;
            ordered = r >= last;
            last = r;
        }

        if (ordered)
        {
            return;
        }

        var props = obj.ToList();
        var sorted = props.Select((p, i) => (p, i, r: Array.IndexOf(order, p.Key)))
            .OrderBy(x => x.r < 0 ? int.MaxValue : x.r).ThenBy(x => x.i).Select(x => x.p).ToList();
        obj.Clear();
        foreach (var (k, v) in sorted)
        {
            obj[k] = v;
        }
    }

    /// <summary>Sets <paramref name="key"/> when it is absent (or null), at its place in <paramref name="order"/>.</summary>
    public static void SetDefault(JsonObject obj, string key, JsonNode? value, string[] order)
    {
        if (obj.TryGetPropertyValue(key, out var existing))
        {
            if (existing is not null)
            {
                return;
            }

            obj.Remove(key);
        }

        var rank = Array.IndexOf(order, key);
        if (rank < 0)
        {
            obj[key] = value;
            return;
        }

        // After the last property that comes before this one in the Go struct.
        var at = 0;
        for (var i = 0; i < obj.Count; i++)
        {
            var r = Array.IndexOf(order, obj.GetAt(i).Key);
            if (r >= 0 && r < rank)
            {
                at = i + 1;
            }
        }

        obj.Insert(at, key, value);
    }
}
