using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Velero.Sdk.Backup.Hooks;
using Velero.Sdk.Cluster;
using Velero.Sdk.Filtering;
using Velero.Sdk.Model;

namespace Velero.Sdk.Restore;

/// <summary>Post-restore exec hooks (velero-engine.md 4.13): run in restored pods once their containers run; awaited at the end.</summary>
internal sealed partial class RestoreRun
{
    private static readonly TimeSpan DefaultExecTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentQueue<Task> _hookTasks = new();
    private HookRunner? _hookRunner;

    private sealed record RestoreExecHook(string Name, string? Container, IReadOnlyList<string> Command, bool FailOnError, TimeSpan ExecTimeout, TimeSpan? WaitTimeout, bool WaitForReady);

    /// <summary>Waits for every hook started during the restore.</summary>
    private async Task WaitForHooksAsync()
    {
        while (_hookTasks.TryDequeue(out var task))
        {
            await task.ConfigureAwait(false);
        }
    }

    private Task RunExecHooksAsync(JsonObject pod, ApiResourceInfo resource, string ns, string name, CancellationToken cancellationToken)
    {
        var hooks = ResolveExecHooks(pod, ns);
        if (hooks.Count > 0)
        {
            _hookTasks.Enqueue(Task.Run(() => RunPodHooksAsync(resource, ns, name, hooks, cancellationToken), cancellationToken));
        }

        return Task.CompletedTask;
    }

    private List<RestoreExecHook> ResolveExecHooks(JsonObject pod, string ns)
    {
        var annotations = pod["metadata"]?["annotations"] as JsonObject;
        var firstContainer = (pod["spec"]?["containers"] as JsonArray)?.FirstOrDefault()?["name"]?.GetValue<string>();
        if (annotations?[VeleroAnnotations.PostRestoreHookCommand]?.GetValue<string>() is { Length: > 0 } command)
        {
            string? A(string key) => annotations[key]?.GetValue<string>();
            return
            [
                new RestoreExecHook(
                    HookResolver.AnnotationHookName,
                    A(VeleroAnnotations.PostRestoreHookContainer) ?? firstContainer,
                    HookResolver.ParseCommand(command),
                    string.Equals(A(VeleroAnnotations.PostRestoreHookOnError), HookErrorMode.Fail, StringComparison.Ordinal),
                    Duration(A(VeleroAnnotations.PostRestoreHookExecTimeout)) ?? DefaultExecTimeout,
                    Duration(A(VeleroAnnotations.PostRestoreHookWaitTimeout)),
                    string.Equals(A(VeleroAnnotations.PostRestoreHookWaitForReady), "true", StringComparison.OrdinalIgnoreCase)),
            ];
        }

        var result = new List<RestoreExecHook>();
        foreach (var spec in _restore.Spec.Hooks?.Resources ?? [])
        {
            if (!HookApplies(spec, ns, Labels(pod)))
            {
                continue;
            }

            foreach (var hook in spec.PostHooks ?? [])
            {
                if (hook.Exec is not { Command.Count: > 0 } exec)
                {
                    continue;
                }

                result.Add(new RestoreExecHook(
                    spec.Name ?? string.Empty,
                    string.IsNullOrEmpty(exec.Container) ? firstContainer : exec.Container,
                    [.. exec.Command],
                    exec.OnError == HookErrorMode.Fail,
                    Duration(exec.ExecTimeout) is { } t && t > TimeSpan.Zero ? t : DefaultExecTimeout,
                    Duration(exec.WaitTimeout),
                    exec.WaitForReady == true));
            }
        }

        return result;
    }

    /// <summary>Whether a restore hook spec applies to a pod in target namespace <paramref name="ns"/> with these labels.</summary>
    internal static bool HookApplies(V1RestoreResourceHookSpec spec, string ns, IEnumerable<KeyValuePair<string, string>>? labels) =>
        new IncludesExcludes(spec.IncludedNamespaces, spec.ExcludedNamespaces).ShouldInclude(ns) &&
        (spec.LabelSelector is not { } selector || LabelSelector.FromLabelSelector(selector).Matches(labels));

    private static TimeSpan? Duration(string? value) =>
        !string.IsNullOrEmpty(value) && GoDuration.TryParse(value, out var d) ? d : null;

    private async Task RunPodHooksAsync(ApiResourceInfo resource, string ns, string name, List<RestoreExecHook> hooks, CancellationToken cancellationToken)
    {
        _hookRunner ??= new HookRunner(_api.Client);
        var started = _time.GetUtcNow();
        var maxWait = hooks.Any(h => h.WaitTimeout is null) ? _options.ResourceTimeout : hooks.Max(h => h.WaitTimeout!.Value);
        var path = ApiPaths.Item(resource, ns, name);
        for (int i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i];
            Interlocked.Increment(ref _hooksAttempted);
            JsonObject? pod = null;
            string? notRun = null;
            while (true)
            {
                var answer = await _api.TryGetAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                pod = answer is { } a ? JsonNode.Parse(a.Body) as JsonObject : null;
                var phase = pod?["status"]?["phase"]?.GetValue<string>();
                if (pod is null || phase is "Succeeded" or "Failed")
                {
                    notRun = pod is null ? "pod was deleted" : "pod is " + phase;
                    break;
                }

                if (!HasContainer(pod, hook.Container))
                {
                    notRun = $"no such container: \"{hook.Container}\"";
                    break;
                }

                if (ContainerRunning(pod, hook.Container!, hook.WaitForReady))
                {
                    break;
                }

                var waited = _time.GetUtcNow() - started;
                if (waited >= (hook.WaitTimeout ?? maxWait))
                {
                    notRun = "expired before executing";
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }

            if (notRun is not null)
            {
                Interlocked.Increment(ref _hooksFailed);
                _log.Problem(true, $"hook {hook.Name} in container {hook.Container} in pod {ns}/{name} not executed: {notRun}", ns);
                if (hook.FailOnError)
                {
                    return;
                }

                continue;
            }

            var errors = new List<string>();
            var ok = await _hookRunner.RunAsync(pod!, [new ResolvedHook(hook.Name, hook.Container, hook.Command, hook.FailOnError, hook.ExecTimeout)], HookPhase.Post, errors, cancellationToken).ConfigureAwait(false);
            foreach (var e in errors)
            {
                Interlocked.Increment(ref _hooksFailed);
                _log.Problem(true, e, ns);
            }

            if (!ok)
            {
                return;
            }
        }
    }

    private static bool HasContainer(JsonObject pod, string? container) =>
        container is not null && (pod["spec"]?["containers"] as JsonArray ?? []).Any(c => c?["name"]?.GetValue<string>() == container);

    private static bool ContainerRunning(JsonObject pod, string container, bool ready)
    {
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).FirstOrDefault(c => c?["name"]?.GetValue<string>() == container);
        if (status is null || status["state"]?["running"] is null)
        {
            return false;
        }

        return !ready || status["ready"]?.GetValue<bool>() == true;
    }
}
