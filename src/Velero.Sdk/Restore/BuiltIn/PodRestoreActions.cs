using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Backup.Hooks;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore.BuiltIn;

/// <summary>
/// <c>velero.io/pod</c>: the node and priority are cleared, the old service-account token volumes and their mounts removed,
/// and the pod's priority class restored first.
/// </summary>
internal sealed class PodAction : RestoreItemAction
{
    public override string Name => "velero.io/pod";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var pod = context.Item;
        if (JsonPath.Object(pod, "spec") is not { } spec)
        {
            return Task.FromResult(new RestoreItemActionResult(pod));
        }

        spec.Remove("nodeName");
        spec.Remove("priority");
        var sa = JsonPath.String(spec, "serviceAccountName");
        if (!string.IsNullOrEmpty(sa) && JsonPath.Array(spec, "volumes") is { } volumes)
        {
            var prefix = sa + "-token-";
            var removed = volumes.Where(v => JsonPath.String(v, "name")?.StartsWith(prefix, StringComparison.Ordinal) == true).ToList();
            var names = removed.Select(v => JsonPath.String(v, "name")).ToHashSet(StringComparer.Ordinal);
            foreach (var v in removed)
            {
                volumes.Remove(v);
            }

            foreach (var list in new[] { "containers", "initContainers" })
            {
                foreach (var c in (JsonPath.Array(spec, list) ?? []).OfType<JsonObject>())
                {
                    if (JsonPath.Array(c, "volumeMounts") is { } mounts)
                    {
                        foreach (var m in mounts.Where(m => names.Contains(JsonPath.String(m, "name"))).ToList())
                        {
                            mounts.Remove(m);
                        }
                    }
                }
            }
        }

        List<ResourceIdentifier> extra = [];
        if (JsonPath.String(spec, "priorityClassName") is { Length: > 0 } priorityClass)
        {
            extra.Add(new ResourceIdentifier("scheduling.k8s.io", "priorityclasses", null, priorityClass));
        }

        return Task.FromResult(new RestoreItemActionResult(pod, extra));
    }
}

/// <summary>
/// <c>velero.io/init-restore-hook</c>: restore hooks' init containers (from the pod's annotations, else from the restore's
/// spec) go first among the init containers, after an existing <c>restore-wait</c> container.
/// </summary>
internal sealed class InitRestoreHookAction : RestoreItemAction
{
    public override string Name => "velero.io/init-restore-hook";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var pod = context.Item;
        var hooks = FromAnnotations(pod) ?? FromSpec(context);
        if (hooks.Count == 0 || JsonPath.Object(pod, "spec") is not { } spec)
        {
            return Task.FromResult(new RestoreItemActionResult(pod));
        }

        var existing = JsonPath.Array(spec, "initContainers") ?? [];
        var ordered = new JsonArray();
        foreach (var c in existing.Where(c => JsonPath.String(c, "name") == "restore-wait"))
        {
            ordered.Add(c!.DeepClone());
        }

        foreach (var h in hooks)
        {
            ordered.Add(h);
        }

        foreach (var c in existing.Where(c => JsonPath.String(c, "name") != "restore-wait"))
        {
            ordered.Add(c?.DeepClone());
        }

        spec["initContainers"] = ordered;
        return Task.FromResult(new RestoreItemActionResult(pod));
    }

    private static List<JsonObject>? FromAnnotations(JsonObject pod)
    {
        var annotations = JsonPath.Object(pod, "metadata", "annotations");
        if (annotations?[VeleroAnnotations.InitRestoreHookContainerImage]?.GetValue<string>() is not { Length: > 0 } image)
        {
            return null;
        }

        var command = annotations[VeleroAnnotations.InitRestoreHookCommand]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new InvalidOperationException($"restore init hook annotation {VeleroAnnotations.InitRestoreHookCommand} is empty: the init container needs a command");
        }

        var name = annotations[VeleroAnnotations.InitRestoreHookContainerName]?.GetValue<string>();
        return
        [
            new JsonObject
            {
                ["name"] = string.IsNullOrEmpty(name) ? "velero-restore-init-" + Guid.NewGuid().ToString()[..8] : name,
                ["image"] = image,
                ["command"] = new JsonArray([.. HookResolver.ParseCommand(command).Select(c => (JsonNode?)JsonValue.Create(c))]),
            },
        ];
    }

    private static List<JsonObject> FromSpec(RestoreItemActionContext context)
    {
        var result = new List<JsonObject>();
        var labels = Restore.RestoreRun.Labels(context.Item);
        foreach (var spec in context.Restore.Spec.Hooks?.Resources ?? [])
        {
            if (!Restore.RestoreRun.HookApplies(spec, context.TargetNamespace ?? string.Empty, labels))
            {
                continue;
            }

            foreach (var hook in spec.PostHooks ?? [])
            {
                foreach (var container in hook.Init?.InitContainers ?? [])
                {
                    if (JsonNode.Parse(container.GetRawText()) is JsonObject c)
                    {
                        result.Add(c);
                    }
                }
            }
        }

        return result;
    }
}

/// <summary>
/// <c>velero.io/secret</c>: an auto-created service-account token secret whose account exists in the cluster is not
/// restored; other token secrets lose the values the token controller fills in.
/// </summary>
internal sealed class SecretAction : RestoreItemAction
{
    public override string Name => "velero.io/secret";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("secrets");

    public override async Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var secret = context.Item;
        if (JsonPath.String(secret, "type") != "kubernetes.io/service-account-token")
        {
            return new RestoreItemActionResult(secret);
        }

        if (context.Run is { } run && context.Identifier.Namespace is { } ns)
        {
            foreach (var sa in await run.Lookups.ServiceAccountsAsync(ns, cancellationToken).ConfigureAwait(false))
            {
                if (context.Identifier.Name.StartsWith(JsonPath.Name(sa) + "-token-", StringComparison.Ordinal))
                {
                    return RestoreItemActionResult.Skip(secret);
                }
            }
        }

        JsonPath.Object(secret, "metadata", "annotations")?.Remove("kubernetes.io/service-account.uid");
        if (JsonPath.Object(secret, "data") is { } data)
        {
            data.Remove("token");
            data.Remove("ca.crt");
        }

        return new RestoreItemActionResult(secret);
    }
}

/// <summary>
/// <c>velero.io/service</c>: cluster IPs are cleared (unless headless) and node ports that were not set explicitly (in the
/// last-applied configuration or the managed fields), unless the restore preserves node ports.
/// </summary>
internal sealed class ServiceAction : RestoreItemAction
{
    public override string Name => "velero.io/service";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("services");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var service = context.Item;
        if (JsonPath.Object(service, "spec") is not { } spec)
        {
            return Task.FromResult(new RestoreItemActionResult(service));
        }

        if (JsonPath.String(spec, "clusterIP") != "None")
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }

        if (context.Restore.Spec.PreserveNodePorts == true)
        {
            return Task.FromResult(new RestoreItemActionResult(service));
        }

        var type = JsonPath.String(spec, "type");
        var explicitPorts = ExplicitNodePorts(service, out var explicitHealthCheck);
        if (type != "ExternalName")
        {
            foreach (var port in (JsonPath.Array(spec, "ports") ?? []).OfType<JsonObject>())
            {
                if (port["nodePort"] is null)
                {
                    continue;
                }

                var name = JsonPath.String(port, "name");
                var key = string.IsNullOrEmpty(name) ? "#" + port["nodePort"]!.ToJsonString() : name;
                var managedKey = port["port"]?.ToJsonString() + "/" + (JsonPath.String(port, "protocol") ?? "TCP");
                if (!explicitPorts.Contains(key) && !explicitPorts.Contains("mf:" + managedKey))
                {
                    port.Remove("nodePort");
                }
            }
        }

        if (type == "LoadBalancer" && JsonPath.String(spec, "externalTrafficPolicy") == "Local" && !explicitHealthCheck)
        {
            spec.Remove("healthCheckNodePort");
        }

        return Task.FromResult(new RestoreItemActionResult(service));
    }

    /// <summary>Node ports the user set: by name (or <c>#value</c> for unnamed ports) from last-applied, else <c>mf:port/protocol</c> from managed fields.</summary>
    private static HashSet<string> ExplicitNodePorts(JsonObject service, out bool healthCheck)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        healthCheck = false;
        if (JsonPath.String(service, "metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration") is { Length: > 0 } lastApplied)
        {
            try
            {
                var applied = JsonNode.Parse(lastApplied);
                foreach (var port in (JsonPath.Array(applied, "spec", "ports") ?? []).OfType<JsonObject>())
                {
                    if (port["nodePort"] is { } np)
                    {
                        var name = JsonPath.String(port, "name");
                        result.Add(string.IsNullOrEmpty(name) ? "#" + np.ToJsonString() : name);
                    }
                }

                healthCheck = JsonPath.Get(applied, "spec", "healthCheckNodePort") is not null;
            }
            catch (JsonException)
            {
            }

            return result;
        }

        foreach (var entry in (JsonPath.Array(service, "metadata", "managedFields") ?? []).OfType<JsonObject>())
        {
            if (JsonPath.Object(entry, "fieldsV1", "f:spec") is not { } fspec)
            {
                continue;
            }

            healthCheck |= fspec.ContainsKey("f:healthCheckNodePort");
            foreach (var (key, value) in JsonPath.Object(fspec, "f:ports") ?? [])
            {
                // Keys look like k:{"port":80,"protocol":"TCP"}.
                if (!key.StartsWith("k:", StringComparison.Ordinal) || value is not JsonObject fields || !fields.ContainsKey("f:nodePort"))
                {
                    continue;
                }

                try
                {
                    var k = JsonNode.Parse(key[2..]);
                    result.Add("mf:" + k?["port"]?.ToJsonString() + "/" + (JsonPath.String(k, "protocol") ?? "TCP"));
                }
                catch (JsonException)
                {
                }
            }
        }

        return result;
    }
}
