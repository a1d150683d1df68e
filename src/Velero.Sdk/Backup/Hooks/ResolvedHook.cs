namespace Velero.Sdk.Backup.Hooks;

/// <summary>One exec hook to run in a pod.</summary>
/// <param name="Name">The hook spec name, or <c>&lt;from-annotation&gt;</c>.</param>
/// <param name="Container">The container; null means the pod's first container.</param>
/// <param name="Command">The argv.</param>
/// <param name="FailOnError">True when a failure stops the remaining hooks (and, for a pre hook, drops the pod).</param>
/// <param name="Timeout">How long the command may run.</param>
internal sealed record ResolvedHook(string Name, string? Container, IReadOnlyList<string> Command, bool FailOnError, TimeSpan Timeout);
