using System.Runtime.InteropServices;

namespace Velero.Sdk.Archive;

/// <summary>
/// Gives the C allocator's free pages back to the system (glibc's <c>malloc_trim</c>), where that exists. zlib's state for
/// each compressor (a few hundred KB) comes from the C allocator, which keeps freed pages resident for reuse.
/// </summary>
internal static class NativeHeap
{
    private static int _unavailable;

    /// <summary>Returns free pages of every malloc arena to the system; false where the C library has no such call.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref _unavailable) != 0)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries without it
            Volatile.Write(ref _unavailable, 1);
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
