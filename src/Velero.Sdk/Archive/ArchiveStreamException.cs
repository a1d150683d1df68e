namespace Velero.Sdk.Archive;

/// <summary>Raised inside the reader's stream stack so the reading loop can tell what went wrong and name the entry.</summary>
internal sealed class ArchiveStreamException : Exception
{
    public ArchiveStreamException()
    {
    }

    public ArchiveStreamException(string message)
        : base(message)
    {
    }

    public ArchiveStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ArchiveStreamException(ArchiveStreamFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public ArchiveStreamFailure Failure { get; }
}
