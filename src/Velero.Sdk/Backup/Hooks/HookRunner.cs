using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Velero.Sdk.Actions.BuiltIn;

namespace Velero.Sdk.Backup.Hooks;

/// <summary>Runs exec hooks in pods through the pod <c>exec</c> subresource (no shell), with timeouts.</summary>
internal sealed class HookRunner(IKubernetes client)
{
    private const int MaxConnectAttempts = 6;

    private int _attempted;
    private int _failed;

    public int Attempted => _attempted;

    public int Failed => _failed;

    /// <summary>
    /// Runs the hooks in order. Every failure is an error message. Returns false when a hook with <c>onError: Fail</c>
    /// failed (the remaining hooks are not run but still counted as attempted, as Velero counts them).
    /// </summary>
    public async Task<bool> RunAsync(JsonObject pod, IReadOnlyList<ResolvedHook> hooks, HookPhase phase, List<string> errors, CancellationToken cancellationToken)
    {
        var podPhase = JsonPath.String(pod, "status", "phase");
        if (hooks.Count == 0 || podPhase is "Succeeded" or "Failed")
        {
            return true;
        }

        var ns = JsonPath.Namespace(pod);
        var name = JsonPath.Name(pod);
        for (int i = 0; i < hooks.Count; i++)
        {
            var hook = hooks[i];
            Interlocked.Increment(ref _attempted);
            var error = await RunOneAsync(pod, ns, name, hook, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                continue;
            }

            Interlocked.Increment(ref _failed);
            errors.Add($"{phase.ToString().ToLowerInvariant()} hook {hook.Name} failed in pod {ns}/{name}: {error}");
            if (hook.FailOnError)
            {
                Interlocked.Add(ref _attempted, hooks.Count - i - 1);
                return false;
            }
        }

        return true;
    }

    private async Task<string?> RunOneAsync(JsonObject pod, string ns, string name, ResolvedHook hook, CancellationToken cancellationToken)
    {
        if (hook.Command.Count == 0)
        {
            return "the hook has no command";
        }

        var container = hook.Container ?? JsonPath.String(JsonPath.Array(pod, "spec", "containers")?.FirstOrDefault(), "name");
        if (container is null || !HasContainer(pod, container))
        {
            return $"no such container: \"{hook.Container ?? string.Empty}\"";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hook.Timeout);
        var stderr = new StringBuilder();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await ExecOnceAsync(ns, name, container, hook, stderr, timeout.Token).ConfigureAwait(false);
            }
            catch (WebSocketException) when (attempt < MaxConnectAttempts && !timeout.IsCancellationRequested)
            {
                // The exec connection was refused (e.g. 429 or 5xx instead of the upgrade): the command never ran, so try again.
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"timed out after {hook.Timeout}";
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return e.Message;
            }
        }
    }

    private async Task<string?> ExecOnceAsync(string ns, string name, string container, ResolvedHook hook, StringBuilder stderr, CancellationToken cancellationToken)
    {
        int exit = await client.NamespacedPodExecAsync(name, ns, container, hook.Command, false, async (stdin, stdout, err) =>
        {
            using var outReader = new StreamReader(stdout);
            using var errReader = new StreamReader(err);
            var o = outReader.ReadToEndAsync(cancellationToken);
            var e = errReader.ReadToEndAsync(cancellationToken);
            await Task.WhenAll(o, e).ConfigureAwait(false);
            stderr.Append(e.Result);
        }, cancellationToken).ConfigureAwait(false);
        return exit == 0 ? null : $"command {string.Join(' ', hook.Command)} exited with code {exit}{(stderr.Length > 0 ? ": " + stderr.ToString().Trim() : string.Empty)}";
    }

    private static bool HasContainer(JsonObject pod, string container)
    {
        if ((JsonPath.Array(pod, "spec", "containers") ?? []).Any(c => JsonPath.String(c, "name") == container))
        {
            return true;
        }

        return (JsonPath.Array(pod, "spec", "initContainers") ?? []).Any(c => JsonPath.String(c, "name") == container && JsonPath.String(c, "restartPolicy") == "Always");
    }
}
