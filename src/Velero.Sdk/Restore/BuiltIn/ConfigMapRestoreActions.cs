using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;

namespace Velero.Sdk.Restore.BuiltIn;

/// <summary>An action configured by a plugin ConfigMap in the Velero namespace (none: no change; more than one: an error).</summary>
internal abstract class ConfigMapRestoreAction : RestoreItemAction
{
    protected abstract string ConfigKey { get; }

    protected async Task<JsonObject?> DataAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        if (context.Run is not { } run)
        {
            return null;
        }

        var maps = await run.Lookups.PluginConfigMapsAsync(ConfigKey, cancellationToken).ConfigureAwait(false);
        if (maps.Count > 1)
        {
            throw new InvalidOperationException($"found more than one ConfigMap matching label selector \"velero.io/plugin-config,{ConfigKey}=RestoreItemAction\": {string.Join(", ", maps.Select(JsonPath.Name))}");
        }

        return maps.Count == 0 ? null : JsonPath.Object(maps[0], "data");
    }
}

/// <summary><c>velero.io/change-storage-class</c>: storage classes renamed by the ConfigMap's data (old class to new class).</summary>
internal sealed class ChangeStorageClassAction : ConfigMapRestoreAction
{
    public override string Name => "velero.io/change-storage-class";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("persistentvolumeclaims", "persistentvolumes", "statefulsets.apps");

    protected override string ConfigKey => "velero.io/change-storage-class";

    public override async Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var item = context.Item;
        if (await DataAsync(context, cancellationToken).ConfigureAwait(false) is not { Count: > 0 } data)
        {
            return new RestoreItemActionResult(item);
        }

        var specs = context.Identifier.Resource == "statefulsets"
            ? (JsonPath.Array(item, "spec", "volumeClaimTemplates") ?? []).Select(t => JsonPath.Object(t, "spec")).OfType<JsonObject>().ToList()
            : JsonPath.Object(item, "spec") is { } s ? [s] : [];
        foreach (var spec in specs)
        {
            if (JsonPath.String(spec, "storageClassName") is not { Length: > 0 } current || data[current]?.GetValue<string>() is not { Length: > 0 } target)
            {
                continue;
            }

            if (!await context.Run!.Lookups.StorageClassExistsAsync(target, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"error getting storage class {target} from API: storageclasses.storage.k8s.io \"{target}\" not found");
            }

            spec["storageClassName"] = target;
        }

        return new RestoreItemActionResult(item);
    }
}

/// <summary>
/// <c>velero.io/change-image-name</c>: container images rewritten by the ConfigMap's rules (<c>"old part,new part"</c>); where
/// several rules match an image the first in key order wins.
/// </summary>
internal sealed class ChangeImageNameAction : ConfigMapRestoreAction
{
    public override string Name => "velero.io/change-image-name";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources(
        "deployments.apps", "statefulsets.apps", "daemonsets.apps", "replicasets.apps", "replicationcontrollers", "jobs.batch", "cronjobs.batch", "pods");

    protected override string ConfigKey => "velero.io/change-image-name";

    public override async Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var item = context.Item;
        if (await DataAsync(context, cancellationToken).ConfigureAwait(false) is not { Count: > 0 } data)
        {
            return new RestoreItemActionResult(item);
        }

        var rules = new List<(string Old, string New)>();
        foreach (var (_, value) in data.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var text = value?.GetValue<string>() ?? string.Empty;
            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                continue;
            }

            var (from, to) = (text[..comma].Trim(), text[(comma + 1)..].Trim());
            if (from.Length > 0 && to.Length > 0)
            {
                rules.Add((from, to));
            }
        }

        var podSpec = context.Identifier.Resource switch
        {
            "pods" => JsonPath.Object(item, "spec"),
            "cronjobs" => JsonPath.Object(item, "spec", "jobTemplate", "spec", "template", "spec"),
            _ => JsonPath.Object(item, "spec", "template", "spec"),
        };
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (JsonPath.Array(podSpec, list) ?? []).OfType<JsonObject>())
            {
                if (JsonPath.String(container, "image") is not { } image)
                {
                    continue;
                }

                foreach (var (from, to) in rules)
                {
                    if (image.Contains(from, StringComparison.Ordinal))
                    {
                        container["image"] = image.Replace(from, to, StringComparison.Ordinal);
                        break;
                    }
                }
            }
        }

        return new RestoreItemActionResult(item);
    }
}
