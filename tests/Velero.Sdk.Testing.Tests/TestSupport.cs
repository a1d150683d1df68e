using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Velero.Sdk.Testing.Tests;

/// <summary>Paths of the repository and of the shared test data.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string SharedTestData
    {
        get
        {
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata"));
            if (!Directory.Exists(p))
            {
                throw new InvalidOperationException($"shared test data not found at {p} (expected ../shared/testdata beside the repository)");
            }

            return p;
        }
    }

    public static string Data(params string[] parts) => Path.Combine([SharedTestData, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Velero.Sdk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Velero.Sdk.sln not found above " + AppContext.BaseDirectory);
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "velero-sdk-testing-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(d);
        return d;
    }
}

/// <summary>A started server with a plain HttpClient on it.</summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(KubernetesApiServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public KubernetesApiServer Server { get; }

    public HttpClient Http { get; }

    public static async Task<ServerFixture> StartAsync(KubernetesApiServerOptions? options = null) =>
        new(await KubernetesApiServer.StartAsync(options));

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            req.Content = new StringContent(body, Encoding.UTF8);
            req.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var resp = await Http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        return ((int)resp.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Code, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Code, JsonNode? Body)> PostAsync(string path, string body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(int Code, JsonNode? Body)> PutAsync(string path, string body) => SendAsync(HttpMethod.Put, path, body);

    public Task<(int Code, JsonNode? Body)> PatchAsync(string path, string body, string contentType) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<(int Code, JsonNode? Body)> DeleteAsync(string path, string? body = null) => SendAsync(HttpMethod.Delete, path, body);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>Runs the real kubectl 1.32 (the versioned binary beside the gcloud dispatcher) against a server.</summary>
internal sealed class Kubectl
{
    private readonly string _kubeconfig;
    private readonly string _cacheDir;

    public Kubectl(KubernetesApiServer server)
    {
        var dir = TestPaths.TempDir();
        _kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
        _cacheDir = Path.Combine(dir, "cache");
    }

    public static string Binary { get; } = FindBinary();

    private static string FindBinary()
    {
        var env = Environment.GetEnvironmentVariable("KUBECTL_1_32");
        if (!string.IsNullOrEmpty(env) && File.Exists(env))
        {
            return env;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var dispatcher = Path.Combine(dir, "kubectl");
            if (!File.Exists(dispatcher))
            {
                continue;
            }

            var resolved = new FileInfo(dispatcher).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dispatcher;
            var versioned = Path.Combine(Path.GetDirectoryName(resolved)!, "kubectl.1.32");
            if (File.Exists(versioned))
            {
                return versioned;
            }
        }

        throw new InvalidOperationException("kubectl 1.32 not found: these tests need the versioned binary 'kubectl.1.32' beside the 'kubectl' dispatcher on PATH (or KUBECTL_1_32=/path/to/kubectl.1.32)");
    }

    public async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + _kubeconfig);
        psi.ArgumentList.Add("--cache-dir=" + _cacheDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["KUBECONFIG"] = _kubeconfig;
        psi.Environment["HOME"] = Path.GetDirectoryName(_kubeconfig)!;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 2 minutes");
        }

        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs kubectl and returns stdout, failing the test with stderr when it exits non-zero.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await RunAsync(args);
        exit.ShouldBe(0, $"kubectl {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }

    /// <summary>Starts a long-running kubectl (a watch) whose stdout lines are collected.</summary>
    public Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + _kubeconfig);
        psi.ArgumentList.Add("--cache-dir=" + _cacheDir);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = Path.GetDirectoryName(_kubeconfig)!;
        return Process.Start(psi)!;
    }
}

internal static class Json
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what, int seconds = 30)
        where T : class
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var v = await probe();
            if (v is not null)
            {
                return v;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Delay(50);
        }
    }
}
