namespace Velero.Sdk;

/// <summary>
/// A failure of a whole operation (a backup, a restore, a storage call). Filter on <see cref="ErrorCode"/>:
/// <c>catch (VeleroException e) when (e.ErrorCode == VeleroErrorCode.NotFound)</c>. Per-item problems are not
/// thrown: they are recorded in the operation's result.
/// </summary>
public class VeleroException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VeleroException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VeleroException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public VeleroException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a code, a message and an optional inner exception.</summary>
    public VeleroException(VeleroErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>What kind of failure this is.</summary>
    public VeleroErrorCode ErrorCode { get; }
}
