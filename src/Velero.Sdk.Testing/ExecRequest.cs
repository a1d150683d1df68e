namespace Velero.Sdk.Testing;

/// <summary>A <c>pods/exec</c> request received by the server.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod's name.</param>
/// <param name="Container">The container (the pod's only container when the request names none).</param>
/// <param name="Command">The argv of the command.</param>
public sealed record ExecRequest(string Namespace, string Pod, string Container, IReadOnlyList<string> Command);

/// <summary>What an exec answers: the output streams and the exit code (0 is success).</summary>
/// <param name="Stdout">Written to the stdout channel.</param>
/// <param name="Stderr">Written to the stderr channel.</param>
/// <param name="ExitCode">The command's exit code.</param>
public sealed record ExecResult(string Stdout = "", string Stderr = "", int ExitCode = 0);
