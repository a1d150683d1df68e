using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s;

namespace Velero.Sdk.Testing.Tests;

/// <summary>The LocalCluster sample as a process: seeding, kubeconfig, exec answers and their log, errors.</summary>
public sealed class LocalClusterTests
{
    private static string Dll()
    {
        // tests/Velero.Sdk.Testing.Tests/bin/<Configuration>/net10.0/ -> samples/LocalCluster/bin/<Configuration>/net10.0/
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(TestPaths.RepoRoot, "samples", "LocalCluster", "bin", tfmDir.Parent!.Name, tfmDir.Name, "LocalCluster.dll");
        File.Exists(path).ShouldBeTrue($"LocalCluster is not built at {path}");
        return path;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll());
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi)!;
    }

    [Fact]
    public async Task Serves_the_seeded_cluster_answers_exec_and_stops_on_sigterm()
    {
        var dir = TestPaths.TempDir();
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var answers = Path.Combine(dir, "answers.yaml");
        await File.WriteAllTextAsync(answers, """
            - {namespace: nginx-example, pod: "*", container: "*", command: [/bin/sh, -c, echo hi], stdout: "hi\n", exitCode: 0}
            - {namespace: "*", pod: "*", container: "*", command: "*", stderr: "nope\n", exitCode: 2}
            """);
        var pod = Path.Combine(dir, "pod.yaml");
        await File.WriteAllTextAsync(pod, "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: nginx-example}\nspec: {containers: [{name: nginx, image: nginx}]}\nstatus: {phase: Running}\n");
        var port = FreePort();
        using var p = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", pod,
            "--seed", TestPaths.Data("k8s-manifests", "velero-examples", "nginx-app_base.yaml"), "--kubeconfig-out", kubeconfig, "--exec-answers", answers);
        var lines = new List<string>();
        async Task<string> WaitLine(Func<string, bool> match)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (true)
            {
                var line = await p.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("LocalCluster exited: " + await p.StandardError.ReadToEndAsync());
                lines.Add(line);
                if (match(line))
                {
                    return line;
                }
            }
        }

        try
        {
            await WaitLine(l => l.StartsWith("serving ", StringComparison.Ordinal));
            File.Exists(kubeconfig).ShouldBeTrue();
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
            using var client = new Kubernetes(config);
            var pods = await client.CoreV1.ListNamespacedPodAsync("nginx-example");
            pods.Items.ShouldHaveSingleItem().Status.Phase.ShouldBe("Running");
            (await client.AppsV1.ReadNamespacedDeploymentAsync("nginx-deployment", "nginx-example")).Spec.Replicas.ShouldBe(2);

            string? stdout = null;
            var code = await client.NamespacedPodExecAsync("web", "nginx-example", "nginx", ["/bin/sh", "-c", "echo hi"], false, async (_, o, _) => stdout = await new StreamReader(o).ReadToEndAsync(), CancellationToken.None);
            code.ShouldBe(0);
            stdout.ShouldBe("hi\n");
            (await WaitLine(l => l.StartsWith("exec ", StringComparison.Ordinal))).ShouldBe("exec nginx-example/web/nginx: [\"/bin/sh\",\"-c\",\"echo hi\"] -> 0");
            (await client.NamespacedPodExecAsync("web", "nginx-example", "nginx", ["ls"], false, (_, _, _) => Task.CompletedTask, CancellationToken.None)).ShouldBe(2);
            (await WaitLine(l => l.StartsWith("exec ", StringComparison.Ordinal))).ShouldBe("exec nginx-example/web/nginx: [\"ls\"] -> 2");

            // kubectl with the kubeconfig LocalCluster wrote (a later --kubeconfig wins over the helper's own).
            await using var unused = await KubernetesApiServer.StartAsync();
            var kubectl = await new Kubectl(unused).RunAsync("--kubeconfig=" + kubeconfig, "get", "deployments", "-n", "nginx-example", "-o", "name");
            kubectl.Stdout.Trim().ShouldBe("deployment.apps/nginx-deployment");
        }
        finally
        {
            Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(cts.Token);
        }

        p.ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task A_seed_that_fails_exits_non_zero_naming_the_object()
    {
        var dir = TestPaths.TempDir();
        var bad = Path.Combine(dir, "bad.yaml");
        await File.WriteAllTextAsync(bad, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Not_Valid, namespace: x}\n");
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        using var p = Start("--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", bad, "--kubeconfig-out", kubeconfig);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stderr = await p.StandardError.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        p.ExitCode.ShouldNotBe(0);
        stderr.ShouldContain("v1, Kind=ConfigMap x/Not_Valid");
        File.Exists(kubeconfig).ShouldBeFalse();
    }
}
