using System.Diagnostics;

namespace Velero.Sdk.Tests.Restore;

/// <summary>The README's main job (samples/QuickStart) runs its backup and restore round trip on the embedded cluster.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public async Task The_quick_start_backs_up_deletes_and_restores_the_shop_into_a_new_namespace()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepoRoot(), "samples", "QuickStart", "bin", configuration, "net10.0", "QuickStart.dll");
        File.Exists(dll).ShouldBeTrue($"{dll} is built with the solution");
        var bucket = Directory.CreateTempSubdirectory("velero-quickstart-");
        try
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { dll, "--storage", bucket.FullName })
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
            var output = await stdout;
            process.ExitCode.ShouldBe(0, output + await stderr);

            output.ShouldContain("namespace 'shop' deleted");
            output.ShouldContain("namespace 'shop-restored' now has 1 pod(s): web-0");
            output.ShouldMatch(@"restore shop-\d{14}-\d{14}: Completed");
            Directory.GetDirectories(Path.Combine(bucket.FullName, "backups")).ShouldHaveSingleItem();
            Directory.GetDirectories(Path.Combine(bucket.FullName, "restores")).ShouldHaveSingleItem();
        }
        finally
        {
            bucket.Delete(recursive: true);
        }
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
