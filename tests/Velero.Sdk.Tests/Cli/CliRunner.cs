using System.Diagnostics;

namespace Velero.Sdk.Tests.Cli;

/// <summary>What one run of the CLI gave: its exit code and both streams.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the built CLI (samples/Velero.Cli, built before the tests by a project reference) as a child process with a
/// kubeconfig, a bucket folder and a home folder for schedules of its own; stdin is closed so a confirmation prompt reads "no".
/// </summary>
internal sealed class CliRunner(string kubeconfig, string storage, string home)
{
    private static readonly string Dll = Path.Combine(
        RepoRoot(), "samples", "Velero.Cli", "bin",
        AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "Velero.Cli.dll");

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public string Storage => storage;

    /// <summary>Runs <c>velero &lt;group&gt; &lt;verb&gt; --kubeconfig ... --storage ... &lt;rest&gt;</c> (global flags added unless the arguments give them).</summary>
    public async Task<CliRun> RunAsync(params string[] args)
    {
        File.Exists(Dll).ShouldBeTrue($"{Dll} is built before the tests");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add(Dll);
        var globals = new List<string>();
        if (!args.Contains("--kubeconfig"))
        {
            globals.AddRange(["--kubeconfig", kubeconfig]);
        }

        if (!args.Contains("--storage"))
        {
            globals.AddRange(["--storage", storage]);
        }

        // The group and verb first, then the global flags, then the command's own (so a test can end with a flag missing its value).
        foreach (var a in args.Take(2).Concat(globals).Concat(args.Skip(2)))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("KUBECONFIG");
        psi.Environment.Remove("VELERO_NAMESPACE");
        psi.Environment["VELERO_CLI_HOME"] = home;
        foreach (var (k, v) in Environment)
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Velero.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
