namespace Velero.Cli.CommandLine;

/// <summary>The command line is wrong (unknown flag, bad value, missing argument) or the request does not validate: exit code 2.</summary>
internal sealed class UsageException(string message, IReadOnlyList<string>? details = null) : Exception(message)
{
    /// <summary>Further lines (each validation problem), printed after the message.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];
}
