namespace Velero.Sdk.Tests;

/// <summary>
/// Locates the shared test data folder (<c>../shared/testdata</c> next to the repository root).
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>Absolute path of the shared <c>testdata</c> folder.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Combines <paramref name="parts"/> below <see cref="Root"/>.</summary>
    public static string Path(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var all = new string[parts.Length + 1];
        all[0] = Root;
        Array.Copy(parts, 0, all, 1, parts.Length);
        return System.IO.Path.Combine(all);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Velero.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException(
                $"Could not find the repository root (the folder holding Velero.Sdk.sln) above '{AppContext.BaseDirectory}'.");
        }

        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "testdata"));
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Shared test data folder not found: '{root}'.");
        }

        return root;
    }
}
