namespace Velero.Sdk.Storage;

/// <summary>
/// Upload content that is a whole local file the engine wrote and no one else changes (a finished backup's tarball in its
/// temporary folder), read from its start. A <see cref="FileSystemObjectStore"/> copies such a file with
/// <see cref="File.Copy(string, string)"/>, letting the kernel move the bytes, instead of reading and writing them through
/// buffers; any other store reads it as the stream it is.
/// </summary>
internal sealed class LocalFileContent(string path) : FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan)
{
    /// <summary>The file's path, when the stream is still at its start (nothing read yet); otherwise null.</summary>
    public string? WholeFile => Position == 0 ? Name : null;
}
