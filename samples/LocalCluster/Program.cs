using System.Globalization;
using System.Text.Json;
using LocalCluster;
using Velero.Sdk.Testing;

// Serves a seeded in-process Kubernetes API server on 127.0.0.1:<port> until SIGTERM or Ctrl-C.
// Usage: LocalCluster --port <N> [--seed <file-or-folder>]... --kubeconfig-out <path> [--exec-answers <yaml>] [--token <bearer>]
int? port = null;
string? kubeconfig = null;
string? execAnswers = null;
string? token = null;
var seeds = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--port":
            port = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seeds.Add(Next());
            break;
        case "--kubeconfig-out":
            kubeconfig = Next();
            break;
        case "--exec-answers":
            execAnswers = Next();
            break;
        case "--token":
            token = Next();
            break;
        default:
            Console.Error.WriteLine($"error: unknown argument {args[i]}");
            Console.Error.WriteLine("usage: LocalCluster --port <N> [--seed <file-or-folder>]... --kubeconfig-out <path> [--exec-answers <yaml>] [--token <bearer>]");
            return 2;
    }
}

if (port is null || kubeconfig is null)
{
    Console.Error.WriteLine("usage: LocalCluster --port <N> [--seed <file-or-folder>]... --kubeconfig-out <path> [--exec-answers <yaml>] [--token <bearer>]");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
{
    ctx.Cancel = true;
    stop.Cancel();
});

IReadOnlyList<ExecAnswer> answers = [];
if (execAnswers is not null)
{
    try
    {
        answers = ExecAnswer.Load(execAnswers);
    }
    catch (Exception e) when (e is IOException or InvalidOperationException or YamlDotNet.Core.YamlException or FormatException)
    {
        Console.Error.WriteLine($"error: --exec-answers {execAnswers}: {e.Message}");
        return 1;
    }
}

await using var server = await KubernetesApiServer.StartAsync(new KubernetesApiServerOptions { Port = port.Value, BearerToken = token });
server.Exec.Add(async (request, ct) =>
{
    var answer = answers.FirstOrDefault(a => a.Matches(request));
    if (answer is null)
    {
        return null;
    }

    if (answer.DelayMs > 0)
    {
        await Task.Delay(answer.DelayMs, ct);
    }

    return new ExecResult(answer.Stdout, answer.Stderr, answer.ExitCode);
});
server.Exec.Executed += (request, result) =>
    Console.WriteLine($"exec {request.Namespace}/{request.Pod}/{request.Container}: {JsonSerializer.Serialize(request.Command)} -> {result.ExitCode.ToString(CultureInfo.InvariantCulture)}");

try
{
    // All seeds as one set: CRDs (established at once), then namespaces, then the rest.
    var n = await server.SeedAsync(seeds, stop.Token);
    Console.WriteLine($"seeded {n.ToString(CultureInfo.InvariantCulture)} objects from {seeds.Count.ToString(CultureInfo.InvariantCulture)} seed(s)");
}
catch (Exception e) when (e is InvalidOperationException or IOException or YamlDotNet.Core.YamlException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

var written = server.WriteKubeconfig(kubeconfig);
Console.WriteLine($"serving {server.BaseAddress} (kubeconfig {written}); stop with Ctrl-C or SIGTERM");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

Console.WriteLine("stopped");
return 0;
