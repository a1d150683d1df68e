using System.Text.Json;
using System.Text.Json.Nodes;
using Velero.Sdk.Actions.BuiltIn;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Backup.Hooks;

/// <summary>
/// Finds the exec hooks of a pod for a phase: its annotations first (<c>pre.hook.backup.velero.io/*</c>, the legacy
/// <c>hook.backup.velero.io/*</c> for pre, <c>post.hook.backup.velero.io/*</c>), otherwise the spec's hooks that select it.
/// An unset <c>onError</c> means <c>Fail</c>, as Velero documents.
/// </summary>
internal sealed class HookResolver
{
    public const string AnnotationHookName = "<from-annotation>";
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly List<(V1BackupResourceHookSpec Spec, IncludesExcludes Namespaces, IncludesExcludes Resources, LabelSelector Labels)> _specs = [];

    /// <exception cref="FormatException">A spec hook's label selector is invalid (fatal for the backup, as in Velero).</exception>
    public HookResolver(V1BackupHooks? hooks, DiscoverySnapshot discovery)
    {
        foreach (var spec in hooks?.Resources ?? [])
        {
            _specs.Add((
                spec,
                new IncludesExcludes(spec.IncludedNamespaces, spec.ExcludedNamespaces),
                new IncludesExcludes((spec.IncludedResources ?? []).Select(discovery.ResolveFilterEntry), (spec.ExcludedResources ?? []).Select(discovery.ResolveFilterEntry)),
                LabelSelector.FromLabelSelector(spec.LabelSelector)));
        }
    }

    /// <summary>Whether the backup's spec has any hooks (otherwise only pod annotations can give hooks).</summary>
    public bool HasSpecs => _specs.Count > 0;

    /// <summary>Warnings met while reading annotations (e.g. an unparsable timeout).</summary>
    public IReadOnlyList<ResolvedHook> Resolve(JsonObject pod, HookPhase phase, List<string> warnings)
    {
        var annotations = JsonPath.Object(pod, "metadata", "annotations");
        var fromAnnotations = FromAnnotations(annotations, phase, warnings);
        if (fromAnnotations is not null)
        {
            return [fromAnnotations];
        }

        var ns = JsonPath.Namespace(pod);
        var labels = JsonPath.Object(pod, "metadata", "labels")?.ToDictionary(kv => kv.Key, kv => kv.Value?.GetValue<string>() ?? string.Empty);
        var result = new List<ResolvedHook>();
        foreach (var (spec, namespaces, resources, selector) in _specs)
        {
            if (!namespaces.ShouldInclude(ns) || !resources.ShouldInclude("pods") || !selector.Matches(labels))
            {
                continue;
            }

            foreach (var hook in (phase == HookPhase.Pre ? spec.PreHooks : spec.PostHooks) ?? [])
            {
                if (hook.Exec is not { } exec)
                {
                    continue;
                }

                var timeout = exec.Timeout is { } t && GoDuration.TryParse(t, out var d) && d > TimeSpan.Zero ? d : DefaultTimeout;
                result.Add(new ResolvedHook(spec.Name ?? string.Empty, NullIfEmpty(exec.Container), [.. exec.Command ?? []], exec.OnError != HookErrorMode.Continue, timeout));
            }
        }

        return result;
    }

    private static ResolvedHook? FromAnnotations(JsonObject? annotations, HookPhase phase, List<string> warnings)
    {
        if (annotations is null)
        {
            return null;
        }

        string prefix = phase == HookPhase.Pre ? "pre." : "post.";
        string? Get(string key) => JsonPath.String(annotations, key);

        var command = Get(prefix + VeleroAnnotations.BackupHookCommand);
        bool legacy = false;
        if (string.IsNullOrEmpty(command) && phase == HookPhase.Pre)
        {
            command = Get(VeleroAnnotations.BackupHookCommand);
            legacy = true;
        }

        if (string.IsNullOrEmpty(command))
        {
            return null;
        }

        string Key(string name) => (legacy ? string.Empty : prefix) + name;
        var container = Get(Key(VeleroAnnotations.BackupHookContainer));
        var onError = Get(Key(VeleroAnnotations.BackupHookOnError));
        var timeoutText = Get(Key(VeleroAnnotations.BackupHookTimeout));
        var timeout = DefaultTimeout;
        if (!string.IsNullOrEmpty(timeoutText))
        {
            if (GoDuration.TryParse(timeoutText, out var d) && d > TimeSpan.Zero)
            {
                timeout = d;
            }
            else
            {
                warnings.Add($"Unable to parse provided timeout {timeoutText}, using default");
            }
        }

        return new ResolvedHook(AnnotationHookName, NullIfEmpty(container), ParseCommand(command), onError != HookErrorMode.Continue, timeout);
    }

    /// <summary>A JSON string array when the value starts with '['; otherwise (or if that fails) one argument.</summary>
    internal static IReadOnlyList<string> ParseCommand(string value)
    {
        if (value.StartsWith('['))
        {
            try
            {
                var parsed = JsonSerializer.Deserialize<string[]>(value);
                if (parsed is { Length: > 0 })
                {
                    return parsed;
                }
            }
            catch (JsonException)
            {
            }
        }

        return [value];
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
