using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>The in-process API server, run as samples/LocalCluster in a process of its own.</summary>
internal sealed partial class LocalClusterProcess : IAsyncDisposable
{
    private readonly Process _process;

    private LocalClusterProcess(Process process, string kubeconfig, Uri server, string token)
    {
        _process = process;
        Kubeconfig = kubeconfig;
        Server = server;
        Token = token;
    }

    public string Kubeconfig { get; }

    public Uri Server { get; }

    public string Token { get; }

    public int ObjectCount { get; set; }

    /// <summary>The server process's CPU time so far.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<LocalClusterProcess> StartAsync(string repoRoot, string work)
    {
        var dll = Path.Combine(repoRoot, "samples", "LocalCluster", "bin", "Release", "net10.0", "LocalCluster.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: build the solution in Release first (dotnet build -c Release)");
        }

        var port = ScaleRun.FreePort();
        var kubeconfig = Path.Combine(work, "kubeconfig");
        var token = Guid.NewGuid().ToString("N");
        var psi = new ProcessStartInfo("dotnet")
        {
            // No bearer token: kubectl does not send one to a plain-http server.
            ArgumentList = { dll, "--port", port.ToString(CultureInfo.InvariantCulture), "--kubeconfig-out", kubeconfig },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("[server] " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(kubeconfig))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("LocalCluster did not start");
            }

            await Task.Delay(100);
        }

        return new LocalClusterProcess(process, kubeconfig, new Uri($"http://127.0.0.1:{port}"), token);
    }

    public HttpClient CreateHttpClient()
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = Server, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
