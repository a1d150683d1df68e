using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup;

/// <summary>
/// The checks a Velero server makes on a Backup (or a Schedule's template) before it runs it, with Velero's messages:
/// those that need no cluster (filters, selectors, TTL, names). Returns every problem at once.
/// </summary>
public static class BackupValidation
{
    /// <summary>Velero's message when old and new resource filters are mixed.</summary>
    public const string MixedFiltersMessage =
        "include-resources, exclude-resources and include-cluster-resources are old filter parameters.\n" +
        "include-cluster-scoped-resources, exclude-cluster-scoped-resources, include-namespace-scoped-resources and exclude-namespace-scoped-resources are new filter parameters.\n" +
        "They cannot be used together";

    /// <summary>Velero's message when both <c>labelSelector</c> and <c>orLabelSelectors</c> are set on a backup.</summary>
    public const string BothSelectorsMessage =
        "encountered labelSelector as well as orLabelSelectors in backup spec, only one can be specified";

    /// <summary>Validates a backup spec.</summary>
    public static IReadOnlyList<string> ValidateSpec(V1BackupSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new List<string>();

        bool oldFilters = ResourceFilter.UsesOldModel(spec.IncludedResources, spec.ExcludedResources, spec.IncludeClusterResources);
        bool newFilters = Any(spec.IncludedClusterScopedResources) || Any(spec.ExcludedClusterScopedResources) ||
                          Any(spec.IncludedNamespaceScopedResources) || Any(spec.ExcludedNamespaceScopedResources);
        if (oldFilters && newFilters)
        {
            errors.Add(MixedFiltersMessage);
        }

        if (oldFilters)
        {
            foreach (var e in FilterValidation.ValidateIncludesExcludes(spec.IncludedResources, spec.ExcludedResources))
            {
                errors.Add("Invalid included/excluded resource lists: " + e);
            }
        }
        else
        {
            foreach (var e in FilterValidation.ValidateScopedIncludesExcludes(spec.IncludedClusterScopedResources, spec.ExcludedClusterScopedResources))
            {
                errors.Add("Invalid cluster-scoped included/excluded resource lists: " + e);
            }

            foreach (var e in FilterValidation.ValidateScopedIncludesExcludes(spec.IncludedNamespaceScopedResources, spec.ExcludedNamespaceScopedResources))
            {
                errors.Add("Invalid namespace-scoped included/excluded resource lists: " + e);
            }
        }

        foreach (var e in FilterValidation.ValidateNamespaceIncludesExcludes(spec.IncludedNamespaces, spec.ExcludedNamespaces))
        {
            errors.Add("Invalid included/excluded namespace lists: " + e);
        }

        if (spec.LabelSelector is not null && spec.OrLabelSelectors is { Count: > 0 })
        {
            errors.Add(BothSelectorsMessage);
        }

        AddSelectorErrors(spec.LabelSelector, "labelSelector", errors);
        if (spec.OrLabelSelectors is not null)
        {
            for (int i = 0; i < spec.OrLabelSelectors.Count; i++)
            {
                AddSelectorErrors(spec.OrLabelSelectors[i], $"orLabelSelectors[{i}]", errors);
            }
        }

        AddDurationErrors(spec.Ttl, "ttl", errors);
        AddDurationErrors(spec.CsiSnapshotTimeout, "csiSnapshotTimeout", errors);
        AddDurationErrors(spec.ItemOperationTimeout, "itemOperationTimeout", errors);

        if (spec.OrderedResources is not null)
        {
            foreach (var (resource, items) in spec.OrderedResources)
            {
                if (string.IsNullOrWhiteSpace(resource))
                {
                    errors.Add("orderedResources: a key is empty; keys are plural resource names such as \"pods\"");
                }
                else if (string.IsNullOrWhiteSpace(items))
                {
                    errors.Add($"orderedResources[{resource}]: the list is empty; expected comma-separated \"namespace/name\" or \"name\" entries");
                }
            }
        }

        if (spec.Hooks?.Resources is { } hooks)
        {
            for (int i = 0; i < hooks.Count; i++)
            {
                var h = hooks[i];
                if (string.IsNullOrEmpty(h.Name))
                {
                    errors.Add($"hooks.resources[{i}]: name is required");
                }

                foreach (var (phase, list) in new[] { ("pre", h.PreHooks), ("post", h.PostHooks) })
                {
                    for (int j = 0; j < (list?.Count ?? 0); j++)
                    {
                        var exec = list![j].Exec;
                        if (exec?.Command is not { Count: > 0 })
                        {
                            errors.Add($"hooks.resources[{i}].{phase}[{j}].exec.command: at least one element is required");
                        }

                        if (exec?.OnError is { Length: > 0 } onError && onError != HookErrorMode.Continue && onError != HookErrorMode.Fail)
                        {
                            errors.Add($"hooks.resources[{i}].{phase}[{j}].exec.onError: \"{onError}\" is not one of Continue, Fail");
                        }

                        AddDurationErrors(exec?.Timeout, $"hooks.resources[{i}].{phase}[{j}].exec.timeout", errors);
                    }
                }
            }
        }

        return errors;
    }

    /// <summary>Validates the name of a Backup or Schedule (an RFC 1123 subdomain).</summary>
    public static IReadOnlyList<string> ValidateName(string? name, string kind)
    {
        if (string.IsNullOrEmpty(name))
        {
            return [$"{kind} name is required"];
        }

        return KubernetesNames.ValidateDns1123Subdomain(name).Select(m => $"invalid {kind} name \"{name}\": {m}").ToList();
    }

    internal static void AddSelectorErrors(k8s.Models.V1LabelSelector? selector, string field, List<string> errors)
    {
        if (selector is null)
        {
            return;
        }

        try
        {
            LabelSelector.FromLabelSelector(selector);
        }
        catch (LabelSelectorParseException e)
        {
            errors.Add($"{field}: {e.Reason}");
        }
    }

    internal static void AddDurationErrors(string? value, string field, List<string> errors)
    {
        if (value is null)
        {
            return;
        }

        if (!GoDuration.TryParse(value, out var d))
        {
            errors.Add($"{field}: \"{value}\" is not a duration (Go syntax, e.g. \"720h0m0s\")");
        }
        else if (d < TimeSpan.Zero)
        {
            errors.Add($"{field} must not be negative: \"{value}\"");
        }
    }

    private static bool Any(IList<string>? list) => list is { Count: > 0 };
}
