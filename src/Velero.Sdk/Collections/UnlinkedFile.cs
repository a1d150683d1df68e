namespace Velero.Sdk.Collections;

/// <summary>
/// Private scratch files: created new with mode 0600 and unlinked at once on Unix (the open handle keeps the data, and
/// nothing is left behind even if the process dies), deleted on close on Windows.
/// </summary>
internal static class UnlinkedFile
{
    /// <summary>Creates the file at <paramref name="path"/> (which must not exist) for reading and writing, and unlinks it where the system allows.</summary>
    public static FileStream Create(string path, int bufferSize)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None,
            BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        return file;
    }
}
