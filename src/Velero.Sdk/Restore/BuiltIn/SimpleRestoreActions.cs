using System.Text.Json.Nodes;
using Velero.Sdk.Actions;
using Velero.Sdk.Actions.BuiltIn;

namespace Velero.Sdk.Restore.BuiltIn;

/// <summary><c>velero.io/add-pvc-from-pod</c>: the claims a pod mounts are restored before it.</summary>
internal sealed class AddPvcFromPodAction : RestoreItemAction
{
    public override string Name => "velero.io/add-pvc-from-pod";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var claims = (JsonPath.Array(context.Item, "spec", "volumes") ?? [])
            .Select(v => JsonPath.String(v, "persistentVolumeClaim", "claimName"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Select(c => new ResourceIdentifier(string.Empty, "persistentvolumeclaims", context.Identifier.Namespace, c))
            .ToList();
        return Task.FromResult(new RestoreItemActionResult(context.Item, claims));
    }
}

/// <summary><c>velero.io/admission-webhook-configuration</c>: webhooks with side effects are restored with <c>sideEffects: None</c>.</summary>
internal sealed class AdmissionWebhookConfigurationAction : RestoreItemAction
{
    public override string Name => "velero.io/admission-webhook-configuration";

    public override ResourceSelector AppliesTo { get; } =
        ResourceSelector.ForResources("mutatingwebhookconfigurations.admissionregistration.k8s.io", "validatingwebhookconfigurations.admissionregistration.k8s.io");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        if (JsonPath.String(context.Item, "apiVersion") == "admissionregistration.k8s.io/v1")
        {
            foreach (var webhook in (JsonPath.Array(context.Item, "webhooks") ?? []).OfType<JsonObject>())
            {
                if (JsonPath.String(webhook, "sideEffects") is not ("None" or "NoneOnDryRun"))
                {
                    webhook["sideEffects"] = "None";
                }
            }
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item));
    }
}

/// <summary><c>velero.io/apiservice</c>: APIServices Kubernetes manages itself are not restored.</summary>
internal sealed class ApiServiceAction : RestoreItemAction
{
    public override string Name => "velero.io/apiservice";

    public override ResourceSelector AppliesTo { get; } = new()
    {
        IncludedResources = ["apiservices.apiregistration.k8s.io"],
        LabelSelector = "kube-aggregator.kubernetes.io/automanaged",
    };

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(RestoreItemActionResult.Skip(context.Item));
}

/// <summary><c>velero.io/cluster-role-bindings</c> and <c>velero.io/role-bindings</c>: subjects' namespaces follow the mapping.</summary>
internal abstract class BindingSubjectsAction : RestoreItemAction
{
    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        foreach (var subject in (JsonPath.Array(context.Item, "subjects") ?? []).OfType<JsonObject>())
        {
            if (JsonPath.String(subject, "namespace") is { Length: > 0 } ns && context.NamespaceMapping.TryGetValue(ns, out var target))
            {
                subject["namespace"] = target;
            }
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item));
    }
}

/// <inheritdoc />
internal sealed class ClusterRoleBindingAction : BindingSubjectsAction
{
    public override string Name => "velero.io/cluster-role-bindings";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("clusterrolebindings.rbac.authorization.k8s.io");
}

/// <inheritdoc />
internal sealed class RoleBindingAction : BindingSubjectsAction
{
    public override string Name => "velero.io/role-bindings";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("rolebindings.rbac.authorization.k8s.io");
}

/// <summary><c>velero.io/crd-preserve-fields</c>: v1 CRDs with <c>preserveUnknownFields</c> move it into every version's schema.</summary>
internal sealed class CrdPreserveFieldsAction : RestoreItemAction
{
    public override string Name => "velero.io/crd-preserve-fields";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("customresourcedefinitions.apiextensions.k8s.io");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var item = context.Item;
        if (JsonPath.String(item, "apiVersion") == "apiextensions.k8s.io/v1" &&
            JsonPath.Object(item, "spec") is { } spec && spec["preserveUnknownFields"] is JsonValue v && v.TryGetValue<bool>(out var preserve) && preserve)
        {
            spec["preserveUnknownFields"] = false;
            foreach (var version in (JsonPath.Array(spec, "versions") ?? []).OfType<JsonObject>())
            {
                if (JsonPath.Object(version, "schema", "openAPIV3Schema") is { } schema)
                {
                    schema["x-kubernetes-preserve-unknown-fields"] = true;
                }
            }
        }

        return Task.FromResult(new RestoreItemActionResult(item));
    }
}

/// <summary><c>velero.io/job</c>: the controller-uid labels of the old job are removed from the selector and the template.</summary>
internal sealed class JobAction : RestoreItemAction
{
    private static readonly string[] Keys = ["controller-uid", "batch.kubernetes.io/controller-uid"];

    public override string Name => "velero.io/job";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("jobs.batch");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        foreach (var labels in new[] { JsonPath.Object(context.Item, "spec", "selector", "matchLabels"), JsonPath.Object(context.Item, "spec", "template", "metadata", "labels") })
        {
            foreach (var key in Keys)
            {
                labels?.Remove(key);
            }
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item));
    }
}

/// <summary><c>velero.io/pod-volume-restore</c>: stale <c>restore-wait</c> init containers are always removed.</summary>
internal sealed class PodVolumeRestoreAction : RestoreItemAction
{
    public override string Name => "velero.io/pod-volume-restore";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("pods");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        if (JsonPath.Array(context.Item, "spec", "initContainers") is { } init)
        {
            foreach (var c in init.Where(c => JsonPath.String(c, "name") is "restore-wait" or "restic-wait").ToList())
            {
                init.Remove(c);
            }
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item));
    }
}

/// <summary><c>velero.io/pvc</c>: binding and provisioning annotations go; a bound claim brings its volume first.</summary>
internal sealed class PvcAction : RestoreItemAction
{
    private static readonly string[] Annotations =
    [
        "pv.kubernetes.io/bind-completed", "pv.kubernetes.io/bound-by-controller", "volume.kubernetes.io/storage-provisioner",
        "volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/selected-node", "velero.io/volume-snapshot-name",
        "velero.io/data-upload-name",
    ];

    public override string Name => "velero.io/pvc";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("persistentvolumeclaims");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        if (JsonPath.Object(context.Item, "metadata", "annotations") is { } annotations)
        {
            foreach (var a in Annotations)
            {
                annotations.Remove(a);
            }
        }

        var backedUp = context.ItemFromBackup;
        List<ResourceIdentifier> extra = [];
        if (JsonPath.String(backedUp, "status", "phase") == "Bound" && JsonPath.String(backedUp, "spec", "volumeName") is { Length: > 0 } volume)
        {
            extra.Add(new ResourceIdentifier(string.Empty, "persistentvolumes", null, volume));
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item, extra));
    }
}

/// <summary><c>velero.io/service-account</c>: references to the old auto-created token secrets are removed (every one of them).</summary>
internal sealed class ServiceAccountAction : RestoreItemAction
{
    public override string Name => "velero.io/service-account";

    public override ResourceSelector AppliesTo { get; } = ResourceSelector.ForResources("serviceaccounts");

    public override Task<RestoreItemActionResult> ExecuteAsync(RestoreItemActionContext context, CancellationToken cancellationToken)
    {
        var prefix = context.Identifier.Name + "-token-";
        if (JsonPath.Array(context.Item, "secrets") is { } secrets)
        {
            foreach (var s in secrets.Where(s => JsonPath.String(s, "name")?.StartsWith(prefix, StringComparison.Ordinal) == true).ToList())
            {
                secrets.Remove(s);
            }
        }

        return Task.FromResult(new RestoreItemActionResult(context.Item));
    }
}
