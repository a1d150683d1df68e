namespace Velero.Sdk.Benchmarks.Scale;

/// <summary>Finds kubectl 1.32: the versioned binary beside the <c>kubectl</c> dispatcher on PATH.</summary>
internal static class Kubectl
{
    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("KUBECTL_1_32") is { Length: > 0 } explicitPath)
        {
            return explicitPath;
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
            return File.Exists(versioned) ? versioned : dispatcher;
        }

        throw new InvalidOperationException("kubectl not found on PATH");
    }
}
