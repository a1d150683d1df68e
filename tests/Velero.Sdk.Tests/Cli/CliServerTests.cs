using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Velero.Sdk.Model;
using Velero.Sdk.Tests.Backup;
using Velero.Sdk.Tests.Hosting;

namespace Velero.Sdk.Tests.Cli;

public sealed class CliServerTests
{
    private static readonly string Dll = Path.Combine(
        Path.GetDirectoryName(typeof(CliServerTests).Assembly.Location)!, "..", "..", "..", "..", "..", "samples", "Velero.Cli", "bin",
        AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "Velero.Cli.dll");

    [Fact]
    public async Task Server_installs_the_CRDs_makes_the_folder_the_default_location_reconciles_and_stops_on_SIGTERM()
    {
        await using var cluster = await ShopCluster.StartAsync();
        cluster.Exec.Add(null, null, null, null, new ExecResult());
        using var temp = new TempFolder();
        var kubeconfig = cluster.WriteKubeconfig(temp.Combine("kubeconfig"));
        var bucket = temp.Combine("bucket");
        using var http = new HttpClient { BaseAddress = cluster.BaseAddress };
        var velero = new VeleroResourceClient(http);

        using (var server = await StartServerAsync(kubeconfig, bucket))
        {
            var location = await velero.GetAsync("backupstoragelocations", "default");
            ((string?)location!["spec"]!["provider"]).ShouldBe("filesystem");
            ((bool?)location["spec"]!["default"]).ShouldBe(true);
            await velero.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"via-server"},"spec":{"includedNamespaces":["shop"]}}""");
            await velero.WaitForPhaseAsync("backups", "via-server", BackupPhase.Completed, 60);
            File.Exists(Path.Combine(bucket, "backups", "via-server", "velero-backup.json")).ShouldBeTrue();
            Directory.GetDirectories(bucket).Select(Path.GetFileName).ShouldBe(["backups"]);
            (await StopAsync(server)).ShouldBe(0);
        }

        // Restore-only: restores run, backups do not.
        using (var server = await StartServerAsync(kubeconfig, bucket, "--restore-only"))
        {
            await velero.CreateAsync("restores", """{"apiVersion":"velero.io/v1","kind":"Restore","metadata":{"name":"back"},"spec":{"backupName":"via-server","namespaceMapping":{"shop":"shop-back"}}}""");
            await velero.WaitForPhaseAsync("restores", "back", RestorePhase.Completed, 60);
            cluster.GetObject("v1", "Namespace", null, "shop-back").ShouldNotBeNull();
            await velero.CreateAsync("backups", """{"apiVersion":"velero.io/v1","kind":"Backup","metadata":{"name":"not-now"},"spec":{}}""");
            await Task.Delay(1500);
            ((string?)(await velero.GetAsync("backups", "not-now"))!["status"]?["phase"]).ShouldNotBe(BackupPhase.InProgress);
            Directory.Exists(Path.Combine(bucket, "backups", "not-now")).ShouldBeFalse();
            (await StopAsync(server)).ShouldBe(0);
        }
    }

    private static async Task<Process> StartServerAsync(string kubeconfig, string bucket, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Dll, "server", "--kubeconfig", kubeconfig, "--storage", bucket }.Concat(extra))
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(90));
        line.ShouldBe("server ready", $"stderr: {stderr}");
        return process;
    }

    private static async Task<int> StopAsync(Process server)
    {
        using (var kill = Process.Start("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return server.ExitCode;
    }
}
