using System.Diagnostics;
using Xunit.Abstractions;

namespace Velero.Sdk.Tests.Samples;

/// <summary>
/// The F# and PowerShell samples (samples/FSharp/backup.fsx, samples/PowerShell/Backup.ps1) run as users run them,
/// <c>dotnet fsi</c> and <c>dotnet pwsh</c> (the local tool of .config/dotnet-tools.json, restored by eng/test.sh), each
/// against samples/LocalCluster in a child process, with Velero.Sdk published to artifacts/velero-sdk as the README says.
/// </summary>
public sealed class ScriptSampleTests : IClassFixture<ScriptSampleTests.PublishedSdk>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private readonly PublishedSdk _sdk;
    private readonly ITestOutputHelper _output;

    public ScriptSampleTests(PublishedSdk sdk, ITestOutputHelper output)
    {
        _sdk = sdk;
        _output = output;
    }

    public static TheoryData<string> Scripts => new() { "fsharp", "powershell" };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_script_backs_up_the_shop_and_restores_it_into_a_new_namespace(string script)
    {
        using var bucket = new TempFolder();
        var run = await RunAsync(script, bucket.Path, LocalClusterDll());

        run.ExitCode.ShouldBe(0, run.Output);
        run.Output.ShouldMatch(@"LocalCluster \(pid \d+\): serving http://127\.0\.0\.1:\d+/");
        run.Output.ShouldMatch(@"backup shop-\d{14}: Completed in [\d.]+ s, 10 items, 0 errors, 0 warnings");
        run.Output.ShouldMatch(@"restore shop-\d{14}-\d{14}: Completed in [\d.]+ s, 8 items created or updated, 0 errors");
        foreach (var restored in new[] { "Namespace", "ConfigMap web-config", "Secret web-credentials", "PersistentVolumeClaim data", "Service web", "Deployment web", "Pod web-0", "Storefront main" })
        {
            run.Output.ShouldMatch($@"(?m)^  {restored} +restored$");
        }

        run.Output.ShouldContain("verified: 8/8 objects in namespace 'shop-restored'");
        run.Output.ShouldContain("round trip ok in ");
        run.Output.ShouldContain("LocalCluster stopped");
        run.Output.ShouldNotContain("MISSING");

        // The bucket has Velero's layout: one backup (velero-backup.json written last) and the restore's results.
        var backup = Directory.GetDirectories(Path.Combine(bucket.Path, "backups")).ShouldHaveSingleItem();
        File.Exists(Path.Combine(backup, "velero-backup.json")).ShouldBeTrue();
        File.Exists(Path.Combine(backup, Path.GetFileName(backup) + ".tar.gz")).ShouldBeTrue();
        Directory.GetDirectories(Path.Combine(bucket.Path, "restores")).ShouldHaveSingleItem();
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task The_script_exits_non_zero_with_the_reason_when_LocalCluster_is_not_built(string script)
    {
        using var bucket = new TempFolder();
        var missing = Path.Combine(bucket.Path, "LocalCluster.dll");
        var run = await RunAsync(script, bucket.Path, missing);

        run.ExitCode.ShouldBe(1, run.Output);
        run.Output.ShouldContain($"{missing} not found: build it with 'dotnet build samples/LocalCluster -c Release'");
        Directory.Exists(Path.Combine(bucket.Path, "backups")).ShouldBeFalse();
    }

    private async Task<ScriptRun> RunAsync(string script, string bucket, string localCluster)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = PublishedSdk.RepoRoot, // where .config/dotnet-tools.json is found
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        string[] arguments = script switch
        {
            "fsharp" => ["fsi", "samples/FSharp/backup.fsx", "--storage", bucket, "--local-cluster", localCluster],
            "powershell" => ["pwsh", "-NoProfile", "-NonInteractive", "-File", "samples/PowerShell/Backup.ps1", "-Storage", bucket, "-LocalCluster", localCluster],
            _ => throw new ArgumentOutOfRangeException(nameof(script)),
        };
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not end within {Timeout}: {await stdout}{await stderr}");
        }

        var output = await stdout + await stderr;
        _output.WriteLine($"dotnet {arguments[0]} ({script}): exit {process.ExitCode} after {watch.Elapsed.TotalSeconds:F1} s");
        _output.WriteLine(output);
        return new ScriptRun(process.ExitCode, output);
    }

    private static string LocalClusterDll()
    {
        // tests/Velero.Sdk.Tests/bin/<Configuration>/net10.0/ -> samples/LocalCluster/bin/<Configuration>/net10.0/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(PublishedSdk.RepoRoot, "samples", "LocalCluster", "bin", tfm.Parent!.Name, tfm.Name, "LocalCluster.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built with the solution");
        return dll;
    }

    private sealed record ScriptRun(int ExitCode, string Output);

    /// <summary>
    /// Publishes the built Velero.Sdk (<c>dotnet publish --no-build</c>, about a second) into artifacts/velero-sdk, the folder
    /// both scripts reference, so they always load the assembly under test with every dependency beside it.
    /// </summary>
    public sealed class PublishedSdk : IAsyncLifetime
    {
        public static string RepoRoot { get; } = FindRepoRoot();

        public async Task InitializeAsync()
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "publish", "src/Velero.Sdk/Velero.Sdk.csproj", "-c", configuration, "--no-build", "-o", "artifacts/velero-sdk", "-nologo" })
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            process.ExitCode.ShouldBe(0, $"dotnet publish of Velero.Sdk failed: {await stdout}{await stderr}");
        }

        public Task DisposeAsync() => Task.CompletedTask;

        private static string FindRepoRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Velero.Sdk.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
}
