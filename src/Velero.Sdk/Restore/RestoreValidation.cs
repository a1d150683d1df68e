using System.Text.Json;
using Velero.Sdk.Backup;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore;

/// <summary>
/// The checks a Velero server makes on a Restore before it runs it, with Velero's messages: those that need no cluster
/// and no bucket. Returns every problem at once.
/// </summary>
public static class RestoreValidation
{
    /// <summary>Velero's message when neither or both of <c>backupName</c> and <c>scheduleName</c> are set.</summary>
    public const string SourceMessage = "Either a backup or schedule must be specified as a source for the restore, but not both";

    /// <summary>Velero's message when both <c>labelSelector</c> and <c>orLabelSelectors</c> are set on a restore.</summary>
    public const string BothSelectorsMessage =
        "encountered labelSelector as well as orLabelSelectors in restore spec, only one can be specified";

    /// <summary>Velero's message for an init-hook container without a name, an image or a command.</summary>
    public const string InitContainerMessage = "invalid InitContainer in restore hook, it doesn't have Command, Name or Image field";

    /// <summary>
    /// The resources a restore never creates; Velero appends them to every restore's excludes.
    /// </summary>
    public static IReadOnlyList<string> NonRestorableResources { get; } =
    [
        "nodes",
        "events",
        "events.events.k8s.io",
        "backups.velero.io",
        "restores.velero.io",
        "resticrepositories.velero.io",
        "csinodes.storage.k8s.io",
        "volumeattachments.storage.k8s.io",
        "backuprepositories.velero.io",
    ];

    /// <summary>Validates a restore spec.</summary>
    public static IReadOnlyList<string> ValidateSpec(V1RestoreSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();

        // Velero appends the non-restorable resources to the excludes before it checks the lists.
        var excludes = (spec.ExcludedResources ?? []).Concat(NonRestorableResources).ToList();
        foreach (var r in spec.IncludedResources ?? [])
        {
            if (NonRestorableResources.Contains(r, StringComparer.Ordinal))
            {
                errors.Add($"{r} are non-restorable resources");
            }
        }

        foreach (var e in FilterValidation.ValidateIncludesExcludes(spec.IncludedResources, excludes))
        {
            errors.Add("Invalid included/excluded resource lists: " + e);
        }

        foreach (var e in FilterValidation.ValidateIncludesExcludes(spec.IncludedNamespaces, spec.ExcludedNamespaces))
        {
            errors.Add("Invalid included/excluded namespace lists: " + e);
        }

        if (spec.LabelSelector is not null && spec.OrLabelSelectors is { Count: > 0 })
        {
            errors.Add(BothSelectorsMessage);
        }

        BackupValidation.AddSelectorErrors(spec.LabelSelector, "labelSelector", errors);
        for (int i = 0; i < (spec.OrLabelSelectors?.Count ?? 0); i++)
        {
            BackupValidation.AddSelectorErrors(spec.OrLabelSelectors![i], $"orLabelSelectors[{i}]", errors);
        }

        if (string.IsNullOrEmpty(spec.BackupName) == string.IsNullOrEmpty(spec.ScheduleName))
        {
            errors.Add(SourceMessage);
        }

        if (!string.IsNullOrEmpty(spec.ExistingResourcePolicy) && !ExistingResourcePolicy.IsDefined(spec.ExistingResourcePolicy))
        {
            errors.Add("Invalid ExistingResourcePolicy: " + spec.ExistingResourcePolicy);
        }

        if (spec.NamespaceMapping is { Count: > 0 } mapping)
        {
            errors.AddRange(NamespaceMapping.Validate(mapping).Select(e => "namespaceMapping: " + e));
        }

        foreach (var hook in spec.Hooks?.Resources ?? [])
        {
            foreach (var h in hook.PostHooks ?? [])
            {
                foreach (var c in h.Init?.InitContainers ?? [])
                {
                    if (!HasNameImageCommand(c))
                    {
                        errors.Add(InitContainerMessage);
                    }
                }
            }
        }

        BackupValidation.AddDurationErrors(spec.ItemOperationTimeout, "itemOperationTimeout", errors);
        return errors;
    }

    private static bool HasNameImageCommand(JsonElement container) =>
        container.ValueKind == JsonValueKind.Object &&
        container.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && n.GetString()!.Length > 0 &&
        container.TryGetProperty("image", out var i) && i.ValueKind == JsonValueKind.String && i.GetString()!.Length > 0 &&
        container.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() > 0;
}
