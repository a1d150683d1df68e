namespace Velero.Cli.Output;

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, so nothing is printed after the operation returns (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
