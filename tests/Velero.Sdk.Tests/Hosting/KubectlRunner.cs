using System.Diagnostics;

namespace Velero.Sdk.Tests.Hosting;

/// <summary>Runs the real kubectl 1.32 against an in-process API server (its own kubeconfig and cache).</summary>
internal sealed class KubectlRunner : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly string _kubeconfig;

    public KubectlRunner(KubernetesApiServer server) => _kubeconfig = server.WriteKubeconfig(_dir.Combine("kubeconfig"));

    private static string Binary { get; } = Find();

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable("KUBECTL_1_32");
        if (!string.IsNullOrEmpty(env) && File.Exists(env))
        {
            return env;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var dispatcher = System.IO.Path.Combine(dir, "kubectl");
            if (File.Exists(dispatcher))
            {
                var resolved = new FileInfo(dispatcher).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dispatcher;
                var versioned = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(resolved)!, "kubectl.1.32");
                return File.Exists(versioned) ? versioned : dispatcher;
            }
        }

        throw new InvalidOperationException("kubectl not found on PATH (or set KUBECTL_1_32)");
    }

    /// <summary>Runs kubectl and returns stdout, failing the test with stderr when it exits non-zero.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--kubeconfig=" + _kubeconfig);
        psi.ArgumentList.Add("--cache-dir=" + _dir.Combine("cache"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = _dir.Path;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        p.ExitCode.ShouldBe(0, $"kubectl {string.Join(' ', args)} failed: {await stderr}");
        return await stdout;
    }

    public void Dispose() => _dir.Dispose();
}
